"""Signals the registry sends for other apps to react to, declared here, where they
are sent from (the house rule: cross-app reactions are explicit, never a side effect of
importing a module).

`rows_written_in_bulk`: sent with `organization_ids` (the schools whose rows changed)
by the services that write pairs, pair members or participants around the model
signals (`QuerySet.update`, `bulk_create`, `bulk_update`): the approval of pairs by
order, the order's date, the members of a new pair, the registry import. Sent inside
the writing transaction; a receiver that acts after the commit uses
`transaction.on_commit`. The indicators' cache listens (monitoring/indicators/apps.py).
"""

from django.dispatch import Signal

rows_written_in_bulk = Signal()
