from collections.abc import Iterable

from django.dispatch import Signal

# Sent after a new organisation is committed; receivers get `organization`.
organization_created = Signal()

# Sent by a write that bypasses the model signals (`QuerySet.update`, `bulk_create`, raw
# SQL) on the rows a school's figures are counted from — its participants, pairs and
# their members, questionnaire answers — with `organization_ids` (the schools) and
# `years` (the years concerned, None for every year). Receivers drop what they derived
# from those rows (monitoring/indicators/services/stored.py). Declared in the core so
# that the registry can send it without importing the apps that listen.
bulk_rows_changed = Signal()


def rows_changed_in_bulk(
    organization_ids: Iterable[int | None], years: Iterable[int] | None = None
) -> None:
    """Tell the listeners that these schools' counted rows changed in bulk."""
    ids = sorted({i for i in organization_ids if i})
    if ids:
        bulk_rows_changed.send(
            sender=None, organization_ids=ids, years=None if years is None else list(years)
        )
