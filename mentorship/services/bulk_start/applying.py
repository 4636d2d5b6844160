"""Applying a checked list, all or nothing; sweeping previews nobody confirmed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from mentorship import audit
from mentorship.models import Organization, PendingUpload, Role, User
from mentorship.tenancy.scoping import unscoped_reads

from ..invitations import invitation_create, throttle_invitations
from ..organizations import check_organizations_manage, organization_create
from .checking import bulk_start_check, split_name


class BulkStartRefused(Exception):
    """Some rows have errors: nothing was written. `rows` are the checked rows."""

    def __init__(self, rows: list[dict]) -> None:
        super().__init__("bulk start refused")
        self.rows = rows


@dataclass(frozen=True)
class BulkStartResult:
    created: int
    matched: int
    invited: int


@transaction.atomic
def bulk_start_apply(
    *, actor: User, municipality: Organization, rows: Iterable[dict]
) -> BulkStartResult:
    """Create or match every school and invite its curator; nothing at all if any row
    has an error (BulkStartRefused carries the checked rows)."""
    check_organizations_manage(actor, municipality)
    municipality = Organization.objects.select_for_update().get(pk=municipality.pk)
    checked = bulk_start_check(actor=actor, municipality=municipality, rows=rows)
    if any(row["errors"] for row in checked):
        raise BulkStartRefused(checked)
    letters = sum(1 for row in checked if row["invite"])
    if letters:
        throttle_invitations(actor, letters)
    created = matched = 0
    for row in checked:
        if row["action"] == "match":
            school = Organization.objects.get(pk=row["existing_id"])
            matched += 1
        else:
            school = organization_create(
                actor=actor,
                kind=row["kind_code"],
                full_name=row["full_name"],
                short_name=row["short_name"],
                parent=municipality,
                inn=row["inn"],
                address=row["address"],
                head_name=row["head_name"],
                head_position=row["head_position"],
            )
            created += 1
        if row["invite"]:
            last, first, patronymic = split_name(row["curator_name"])
            invitation_create(
                actor=actor,
                organization=school,
                role=Role.CURATOR,
                email=row["curator_email"],
                last_name=last,
                first_name=first,
                patronymic=patronymic,
                position=row["curator_position"],
                throttle=False,
            )
    audit.record(
        actor=actor,
        organization=municipality,
        action="organization.bulk_start",
        created=created,
        matched=matched,
        invited=letters,
    )
    return BulkStartResult(created=created, matched=matched, invited=letters)


def pending_uploads_sweep(*, older_than) -> int:
    """Delete every preview nobody confirmed in time, in every organisation: they hold
    curators' names and addresses. Run on each new upload, so none outlives the next one.
    Deletes by age only and reads nothing of them."""
    with unscoped_reads():
        deleted, _ = PendingUpload.objects.filter(created_at__lt=older_than).delete()
    return deleted
