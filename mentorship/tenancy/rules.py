"""The one permission vocabulary: named rules of which roles may act at which level.

A rule names, per level of the organisation tree (school, municipality, region), the
roles that may do something there. The same rule object is read by

- the web decorator `tenant_view(rule)` (mentorship/tenancy/access.py),
- every viewset's action map (`action_roles`, mentorship/api/base.py),
- the navigation and links in templates (`{% if tenant|can:"roadmaps.read" %}`),
- the permission-matrix test, which derives the expected code of every route from it.

Order of checks, as in pretix: the page exists at this level (else 404), then the role
(else 403). A level absent from the rule means the page does not exist there.

Apps declare their rules in `<app>/access.py`::

    READ = Rule("roadmaps.read", school=(Role.CURATOR, ...), municipality=(...))

A rule is also a read-only mapping level → roles, so code that takes the older
`RolesByLevel` dicts keeps working with it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from mentorship.models import Organization, OrganizationKind

if TYPE_CHECKING:
    from .resolution import TenantContext

SCHOOL = "school"
MUNICIPALITY = "municipality"
REGION = "region"
LEVELS = (SCHOOL, MUNICIPALITY, REGION)

_rules: dict[str, Rule] = {}


def level_of(organization: Organization) -> str:
    if organization.is_educational:
        return SCHOOL
    if organization.kind == OrganizationKind.MUNICIPALITY:
        return MUNICIPALITY
    return REGION


class Rule(Mapping[str, tuple[str, ...]]):
    """Roles per level, under a dotted name unique in the project ("<app>.<action>")."""

    __slots__ = ("name", "_by_level")

    def __init__(
        self,
        name: str,
        *,
        school: tuple[str, ...] = (),
        municipality: tuple[str, ...] = (),
        region: tuple[str, ...] = (),
    ) -> None:
        self.name = name
        self._by_level = {
            level: tuple(roles)
            for level, roles in ((SCHOOL, school), (MUNICIPALITY, municipality), (REGION, region))
            if roles
        }
        if not self._by_level:
            raise ValueError(f"Rule {name!r} allows nobody anywhere")
        existing = _rules.get(name)
        if existing is not None and existing._by_level != self._by_level:
            raise ValueError(f"Rule {name!r} is declared twice with different roles")
        _rules[name] = self

    # Mapping protocol: level -> roles.
    def __getitem__(self, level: str) -> tuple[str, ...]:
        return self._by_level[level]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_level)

    def __len__(self) -> int:
        return len(self._by_level)

    def __repr__(self) -> str:
        return f"Rule({self.name!r}, {self._by_level!r})"

    def __hash__(self) -> int:
        return hash(self.name)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Rule) and other.name == self.name

    @property
    def roles(self) -> frozenset[str]:
        """Every role the rule names at any level."""
        return frozenset(r for roles in self._by_level.values() for r in roles)

    def exists_at(self, organization: Organization) -> bool:
        return level_of(organization) in self._by_level

    def allows(self, organization: Organization, roles: frozenset[str] | set[str]) -> bool:
        return bool(set(self._by_level.get(level_of(organization), ())) & set(roles))

    def expected_status(self, organization: Organization, roles: frozenset[str]) -> int:
        """What the web and the API answer: 404 where the page does not exist, 403 where
        the role is missing, 200 otherwise (the matrix test reads this)."""
        if not self.exists_at(organization):
            return 404
        return 200 if self.allows(organization, roles) else 403

    def check(self, tenant: TenantContext) -> None:
        """Raise 404 where the rule does not exist at the tenant's level, 403 without a role."""
        if not self.exists_at(tenant.organization):
            raise Http404(_("Такой страницы у этой организации нет."))
        if not self.allows(tenant.organization, tenant.roles):
            raise PermissionDenied(_("У вашей роли нет доступа к этому разделу."))

    def permits(self, tenant: TenantContext | None) -> bool:
        """For navigation and links: may this tenant's user open what the rule guards?"""
        return tenant is not None and self.allows(tenant.organization, tenant.roles)


def rule(name: str) -> Rule:
    """A declared rule by its dotted name; importing the apps' access modules declares them."""
    _load_access_modules()
    try:
        return _rules[name]
    except KeyError:
        raise LookupError(f"No permission rule named {name!r}") from None


def all_rules() -> dict[str, Rule]:
    _load_access_modules()
    return dict(_rules)


_loaded = False


def _load_access_modules() -> None:
    global _loaded
    if not _loaded:
        from mentorship.discovery import project_modules

        project_modules("access")
        _loaded = True
