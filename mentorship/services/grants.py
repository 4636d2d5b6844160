"""The one rule of who may give whom which role where; every write of staff applies it.

A role may be granted at an organisation when
1. the role belongs to that organisation's level (mentorship.models.ROLE_LEVEL: a curator
   at a school, a methodist at a municipality ...), and
2. the actor holds, at that organisation or one of its ancestors, a role that GRANTS
   (mentorship/access.py) entitles to grant it — which keeps everyone inside their
   subtree and below their own level, and
3. the person is not the actor: nobody changes their own roles.

Invitations, resending and revoking them, changing a role and ending a membership all go
through `check_grant` (the last three about the role the person holds now, too).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from mentorship.access import GRANTS
from mentorship.models import ROLE_LEVEL, Organization, Role, User
from mentorship.tenancy.resolution import roles_in

__all__ = ["check_grant", "grantable_roles", "role_fits"]


def role_fits(role: str, organization: Organization) -> bool:
    """Does `role` belong to the level of `organization` (a curator at a school ...)?"""
    level = ROLE_LEVEL[Role(role)]
    if level == "educational":
        return organization.is_educational
    return organization.kind == level


def grantable_roles(held: Iterable[str], organization: Organization) -> tuple[str, ...]:
    """The roles that someone holding `held` (at `organization` or above) may grant there,
    in the order of Role. With a request's TenantContext: `grantable_roles(tenant.roles,
    tenant.organization)`, no query."""
    entitled = {role for holder in held for role in GRANTS.get(holder, ())}
    return tuple(r for r in Role.values if r in entitled and role_fits(r, organization))


def check_grant(
    *,
    actor: User,
    organization: Organization,
    role: str,
    person: User | str | None = None,
    held: Iterable[str] | None = None,
) -> None:
    """Raise a Russian ValidationError unless `actor` may grant `role` at `organization`.

    `person` is the user or e-mail the role is for (refused when it is the actor).
    `held` are the actor's roles there when the caller knows them already (a request's
    tenant); otherwise they are read (one query).
    """
    if role not in Role.values:
        raise ValidationError({"role": _("Неизвестная роль.")})
    if not role_fits(role, organization):
        raise ValidationError(
            {
                "role": _("Роль «%(role)s» не назначается организации вида «%(kind)s».")
                % {"role": Role(role).label, "kind": organization.get_kind_display()}
            }
        )
    if person is not None and _is_actor(actor, person):
        raise ValidationError(
            _("Свои роли менять нельзя: попросите об этом вышестоящую организацию.")
        )
    if held is None:
        held = roles_in(actor, organization)
    if role not in grantable_roles(held, organization):
        raise ValidationError(
            {
                "role": _(
                    "Вы не можете назначать роль «%(role)s» в организации «%(organization)s»."
                )
                % {"role": Role(role).label, "organization": organization.short_name}
            }
        )


def _is_actor(actor: User, person: User | str) -> bool:
    if isinstance(person, User):
        return person.pk == actor.pk
    return person.strip().lower() == actor.email.lower()
