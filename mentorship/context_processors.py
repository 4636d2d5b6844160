"""Navigation by role and the organisation switcher, for every page."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from mentorship.notifications.selectors import BELL_CAP, unread_count
from mentorship.tenancy.resolution import TenantContext, organizations_of
from mentorship.tenancy.rules import rule


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    # The named rule of the page the item opens (mentorship/tenancy/rules.py): named, not
    # imported, so the core imports no app. When given, it alone decides, as on the page.
    rule: str | None = None

    def shown_to(self, tenant: TenantContext) -> bool:
        if self.rule is not None:
            return rule(self.rule).permits(tenant)
        return tenant.organization.kind in self.kinds and tenant.has_any(*self.roles)


# One list for the whole portal; apps add their sections here as they grow.
NAVIGATION: list[NavItem] = [
    NavItem(_("Главная"), "org_home", rule="core.home"),
    NavItem(_("Дорожные карты"), "roadmaps:roadmap_list", rule="roadmaps.read"),
    NavItem(
        _("Мероприятия школы"),
        "roadmaps:school_activities",
        rule="roadmaps.read_school_activities",
    ),
    NavItem(_("Программы"), "registry:programme_list", rule="registry.programmes.read"),
    NavItem(_("Пары и группы"), "registry:pair_list", rule="registry.pairs.read"),
    NavItem(_("Календарь"), "registry:calendar", rule="registry.calendar"),
    NavItem(_("Реестр"), "registry:participant_list", rule="registry.people.read"),
    NavItem(_("Анкеты кандидатов"), "monitoring:intake", rule="monitoring.intake_read"),
    NavItem(_("Партнёры"), "registry:partner_list", rule="registry.partners.read"),
    NavItem(_("База наставников"), "registry:mentor_base", rule="registry.mentor_base"),
    NavItem(_("Школа наставников"), "registry:course_list", rule="registry.school.section"),
    NavItem(_("Совет наставников"), "registry:council_list", rule="registry.council.section"),
    NavItem(_("Конкурсы"), "registry:competition_list", rule="registry.competitions.section"),
    NavItem(_("Показатели"), "indicators:dashboard", rule="indicators.dashboard"),
    NavItem(_("Документы"), "document_list", rule="core.documents"),
    NavItem(_("Мониторинг"), "monitoring:campaign_list", rule="monitoring.campaigns"),
    # Schools of a municipality, municipalities of a region: for those who manage them.
    NavItem(_("Организации"), "organization_list", rule="core.organizations_manage"),
    NavItem(_("Сотрудники"), "staff_list", rule="core.staff_read"),
    NavItem(_("Журнал действий"), "audit_log", rule="core.audit"),
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
