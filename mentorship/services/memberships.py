"""Writes to memberships: who holds which role where. Each is one audited transaction."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mentorship import audit
from mentorship.models import ROLE_LEVEL, Membership, Organization, User


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
