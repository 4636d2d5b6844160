"""Document kinds the registry contributes (discovered as `registry.documents` by
mentorship/documents/kinds.py): importing this package registers every kind below.

consent_form: the ready-to-sign consent forms under 152-ФЗ of chosen people;
pair_order:   the order «Об утверждении наставнических пар/групп», whose `on_ready` hook
              approves the pairs it lists when its PDF is stored.
"""

from registry.documents import consent_form, pair_order

__all__ = ["consent_form", "pair_order"]
