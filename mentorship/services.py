"""Writes to the core: organisations and memberships. Each is one audited transaction."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mentorship import audit
from mentorship.conflicts import conflicts
from mentorship.models import (
    PARENT_KIND,
    ROLE_LEVEL,
    Membership,
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
    # full_clean saw the address free; one created a moment ago still collides here.
    with conflicts(_("Организация с таким адресом уже есть.")):
        org.save()
    audit.record(actor=actor, organization=parent or org, action="organization.create", obj=org)
    # Apps hang their per-organisation setup here (e.g. a municipal roadmap's duties
    # cascade to a school added later), after the row is committed.
    transaction.on_commit(lambda: organization_created.send(sender=Organization, organization=org))
    return org


@transaction.atomic
def membership_grant(
    *, actor: User | None, user: User, organization: Organization, role: str
) -> Membership:
    level = ROLE_LEVEL[role]
    fits = organization.is_educational if level == "educational" else organization.kind == level
    if not fits:
        raise ValidationError(
            _("Роль «%(role)s» не назначается организации вида «%(kind)s».")
            % {"role": role, "kind": organization.get_kind_display()}
        )
    membership, created = Membership.objects.get_or_create(
        user=user, organization=organization, role=role
    )
    if created:
        audit.record(
            actor=actor,
            organization=organization,
            action="membership.grant",
            obj=membership,
            user=user.email,
            role=role,
        )
    return membership


@transaction.atomic
def membership_revoke(*, actor: User | None, membership: Membership) -> None:
    audit.record(
        actor=actor,
        organization=membership.organization,
        action="membership.revoke",
        obj=membership,
        user=membership.user.email,
        role=membership.role,
    )
    membership.delete()
