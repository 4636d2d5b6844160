"""Writes to memberships: who holds which role where. Each is one audited transaction.

With an `actor` (a person acting in the portal) every write passes the grant rule
(mentorship/services/grants.py); `actor=None` is the system itself (the demo loader,
an accepted invitation whose inviter was checked), which only keeps roles at their level.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from mentorship import audit
from mentorship.models import Membership, Organization, Role, User

from .grants import check_grant, role_fits

__all__ = ["membership_change_role", "membership_grant", "membership_revoke"]


@transaction.atomic
def membership_grant(
    *, actor: User | None, user: User, organization: Organization, role: str
) -> Membership:
    if actor is not None:
        check_grant(actor=actor, organization=organization, role=role, person=user)
    elif not role_fits(role, organization):
        raise ValidationError(
            _("Роль «%(role)s» не назначается организации вида «%(kind)s».")
            % {"role": role, "kind": organization.get_kind_display()}
        )
    try:
        with transaction.atomic():
            membership, created = Membership.objects.get_or_create(
                user=user, organization=organization, role=role
            )
    except IntegrityError:
        # The same role granted at the same moment by another request: it is there now.
        membership, created = (
            Membership.objects.get(user=user, organization=organization, role=role),
            False,
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


def check_manage(actor: User, membership: Membership) -> None:
    """May `actor` change or end this membership? Only where they could have granted it."""
    check_grant(
        actor=actor,
        organization=membership.organization,
        role=membership.role,
        person=membership.user,
    )


@transaction.atomic
def membership_revoke(*, actor: User | None, membership: Membership) -> None:
    """End a membership: the person loses the role (the account stays)."""
    if actor is not None:
        check_manage(actor, membership)
    audit.record(
        actor=actor,
        organization=membership.organization,
        action="membership.revoke",
        obj=membership,
        user=membership.user.email,
        role=membership.role,
    )
    membership.delete()


@transaction.atomic
def membership_change_role(*, actor: User, membership: Membership, role: str) -> Membership:
    """Give the person another role at the same organisation instead of this one."""
    check_manage(actor, membership)
    check_grant(
        actor=actor, organization=membership.organization, role=role, person=membership.user
    )
    previous = membership.role
    if role == previous:
        return membership
    if Membership.objects.filter(
        user=membership.user, organization=membership.organization, role=role
    ).exists():
        raise ValidationError(
            {"role": _("У сотрудника уже есть роль «%(role)s».") % {"role": Role(role).label}}
        )
    membership.role = role
    try:
        with transaction.atomic():
            membership.save(update_fields=["role"])
    except IntegrityError:
        raise ValidationError(
            {"role": _("У сотрудника уже есть роль «%(role)s».") % {"role": Role(role).label}}
        ) from None
    audit.record(
        actor=actor,
        organization=membership.organization,
        action="membership.change_role",
        obj=membership,
        user=membership.user.email,
        role=role,
        previous_role=previous,
    )
    return membership
