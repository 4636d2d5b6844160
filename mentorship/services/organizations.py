"""Writes to the core: organisations and memberships. Each is one audited transaction."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mentorship import audit
from mentorship.models import (
    PARENT_KIND,
    Organization,
    OrganizationKind,
    User,
)
from mentorship.signals import organization_created


@transaction.atomic
def organization_create(
    *,
    actor: User | None,
    kind: str,
    full_name: str,
    short_name: str,
    slug: str,
    parent: Organization | None = None,
    **extra: str,
) -> Organization:
    expected_parent_kind = PARENT_KIND[OrganizationKind(kind)]
    actual_parent_kind = parent.kind if parent else None
    if expected_parent_kind != actual_parent_kind:
        raise ValidationError(
            _("Организация вида «%(kind)s» должна входить в организацию вида «%(parent)s».")
            % {
                "kind": OrganizationKind(kind).label,
                "parent": OrganizationKind(expected_parent_kind).label
                if expected_parent_kind
                else _("нет (верхний уровень)"),
            }
        )
    org = Organization(
        kind=kind, parent=parent, full_name=full_name, short_name=short_name, slug=slug, **extra
    )
    org.full_clean()
    org.save()
    audit.record(actor=actor, organization=parent or org, action="organization.create", obj=org)
    # Apps hang their per-organisation setup here (e.g. a municipal roadmap's duties
    # cascade to a school added later), after the row is committed.
    transaction.on_commit(lambda: organization_created.send(sender=Organization, organization=org))
    return org
