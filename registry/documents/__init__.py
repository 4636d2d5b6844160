"""Document kinds the registry contributes (discovered as `registry.documents` by
mentorship/documents/kinds.py): importing this package registers every kind below.

consent_form: the ready-to-sign consent forms under 152-ФЗ of chosen people;
pair_order:   the order «Об утверждении наставнических пар/групп», whose `on_ready` hook
              approves the pairs it lists when its PDF is stored.
acts:         the local acts from templates — orders on the model, the curator, the
              school of mentors, the council, rewards; the regulation; thank-you
              letters; certificates — each as PDF and editable .docx.
"""

from registry.documents import acts, consent_form, pair_order

__all__ = ["acts", "consent_form", "pair_order"]
