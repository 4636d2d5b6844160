"""Who may do what with the indicators, per level of the organisation tree.

A level missing from a rule means the page does not exist there (404); a member of the
organisation without one of the roles gets 403. Municipal roles reach a school's pages
through their membership of its municipality.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from mentorship.api import MUNICIPALITY, REGION, SCHOOL, RolesByLevel, tenant_level
from mentorship.models import Role
from mentorship.tenancy.access import require_roles

DASHBOARD: RolesByLevel = {
    SCHOOL: (Role.CURATOR, Role.SCHOOL_VIEWER, Role.METHODIST, Role.DEPARTMENT),
    MUNICIPALITY: (Role.METHODIST, Role.DEPARTMENT),
    REGION: (Role.REGIONAL,),
}
# The methodical centre collects the schools' statistics too, so it may enter them.
CONTINGENT_EDIT: RolesByLevel = {
    SCHOOL: (Role.CURATOR, Role.METHODIST),
    MUNICIPALITY: (Role.METHODIST,),
}
TARGETS_READ: RolesByLevel = {
    MUNICIPALITY: (Role.METHODIST, Role.DEPARTMENT),
    REGION: (Role.REGIONAL,),
}
TARGETS_EDIT: RolesByLevel = {MUNICIPALITY: (Role.METHODIST,), REGION: (Role.REGIONAL,)}
# The school's own staff see its exact counts; everyone above sees them suppressed.
EXACT_ROLES = (Role.CURATOR, Role.SCHOOL_VIEWER)


def require(request: HttpRequest, rule: RolesByLevel) -> str:
    """The level of the request's organisation, after checking the rule's roles there."""
    level = tenant_level(request.tenant)
    allowed = rule.get(level)
    if not allowed:
        raise Http404(_("Такой страницы у этой организации нет."))
    require_roles(request, *allowed)
    return level


def can(request: HttpRequest, rule: RolesByLevel) -> bool:
    return request.tenant.has_any(*rule.get(tenant_level(request.tenant), ()))
