"""Navigation by role and the organisation switcher, for every page."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from mentorship import access
from mentorship.models import OrganizationKind, Role
from mentorship.notifications.selectors import BELL_CAP, unread_count
from mentorship.tenancy.resolution import organizations_of
from mentorship.tenancy.rules import Rule


@dataclass(frozen=True)
class NavItem:
    """A section: shown where the named `rule` lets the tenant's roles in, or (the older
    form) to `roles` at organisations of `kinds`."""

    label: str
    url_name: str
    roles: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    rule: Rule | None = None

    def shown_to(self, tenant) -> bool:
        if self.rule is not None:
            return self.rule.permits(tenant)
        return tenant.organization.kind in self.kinds and tenant.has_any(*self.roles)


ALL = tuple(Role.values)
SCHOOL_KINDS = ("school", "college", "additional", "other")
MUNICIPAL = (OrganizationKind.MUNICIPALITY,)
READERS = (Role.CURATOR, Role.SCHOOL_VIEWER, Role.METHODIST, Role.DEPARTMENT)
SCHOOL_STAFF = (Role.CURATOR, Role.SCHOOL_VIEWER, Role.METHODIST)

# One list for the whole portal; apps add their sections here as they grow.
NAVIGATION: list[NavItem] = [
    NavItem(_("Главная"), "org_home", ALL, tuple(OrganizationKind.values)),
    NavItem(_("Дорожные карты"), "roadmap_list", READERS, SCHOOL_KINDS + MUNICIPAL),
    NavItem(_("Мероприятия школы"), "school_activities", SCHOOL_STAFF, SCHOOL_KINDS),
    NavItem(_("Программы"), "programme_list", ALL, SCHOOL_KINDS),
    NavItem(_("Пары и группы"), "pair_list", (Role.CURATOR, Role.SCHOOL_VIEWER), SCHOOL_KINDS),
    NavItem(_("Реестр"), "participant_list", (Role.CURATOR, Role.SCHOOL_VIEWER), SCHOOL_KINDS),
    NavItem(_("Партнёры"), "partner_list", (Role.CURATOR, Role.SCHOOL_VIEWER), SCHOOL_KINDS),
    NavItem(_("Партнёры"), "partner_list", (Role.METHODIST, Role.DEPARTMENT), MUNICIPAL),
    NavItem(_("База наставников"), "mentor_base", (Role.METHODIST, Role.DEPARTMENT), MUNICIPAL),
    NavItem(_("Показатели"), "indicators:dashboard", READERS, SCHOOL_KINDS + MUNICIPAL),
    NavItem(_("Показатели"), "indicators:dashboard", (Role.REGIONAL,), (OrganizationKind.REGION,)),
    NavItem(
        _("Документы"),
        "document_list",
        (Role.CURATOR, Role.METHODIST, Role.DEPARTMENT, Role.REGIONAL),
        tuple(OrganizationKind.values),
    ),
    NavItem(
        _("Мониторинг"),
        "monitoring:campaign_list",
        (Role.CURATOR, Role.SCHOOL_VIEWER),
        SCHOOL_KINDS,
    ),
    NavItem(
        _("Мониторинг"), "monitoring:campaign_list", (Role.METHODIST, Role.DEPARTMENT), MUNICIPAL
    ),
    # Schools of a municipality, municipalities of a region: for those who manage them.
    NavItem(_("Организации"), "organization_list", rule=access.ORGANIZATIONS_MANAGE),
    NavItem(_("Сотрудники"), "staff_list", rule=access.STAFF_READ),
    NavItem(_("Журнал действий"), "audit_log", (Role.CURATOR,), SCHOOL_KINDS),
    NavItem(_("Журнал действий"), "audit_log", (Role.METHODIST,), MUNICIPAL),
]


def _items(request: HttpRequest) -> list[dict]:
    tenant = getattr(request, "tenant", None)
    if tenant is None:
        return []
    slug = tenant.organization.slug
    items = []
    for item in NAVIGATION:
        if item.shown_to(tenant):
            url = reverse(item.url_name, kwargs={"org_slug": slug})
            items.append({"label": item.label, "url": url, "active": request.path == url})
    return items


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_items": SimpleLazyObject(lambda: _items(request)),
        "switcher_orgs": SimpleLazyObject(lambda: organizations_of(user)),
        "tenant": getattr(request, "tenant", None),
    }


def notifications(request: HttpRequest) -> dict:
    """The bell's unread count: one capped COUNT, run only if the page shows the bell."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notifications": SimpleLazyObject(lambda: unread_count(user)),
        "unread_notifications_cap": BELL_CAP,
    }
