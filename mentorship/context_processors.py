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
    # Opened now and then rather than daily: under «Ещё» at the end of the bar, so the
    # daily sections stay on one row of a laptop's screen however many sections there are.
    more: bool = False

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
    NavItem(_("Партнёры"), "registry:partner_list", rule="registry.partners.read", more=True),
    NavItem(_("База наставников"), "registry:mentor_base", rule="registry.mentor_base", more=True),
    NavItem(
        _("Конкурсы"),
        "registry:competition_list",
        rule="registry.competitions.section",
        more=True,
    ),
    NavItem(_("Школа наставников"), "registry:course_list", rule="registry.school.read", more=True),
    NavItem(
        _("Совет наставников"), "registry:council_list", rule="registry.council.read", more=True
    ),
    NavItem(_("Банк программ"), "registry:regional_bank", rule="registry.regional_bank"),
    NavItem(_("Показатели"), "indicators:dashboard", rule="indicators.dashboard"),
    NavItem(_("Документы"), "document_list", rule="core.documents"),
    NavItem(_("Мониторинг"), "monitoring:campaign_list", rule="monitoring.campaigns"),
    NavItem(
        _("Практики школы"),
        "monitoring:practice_list",
        rule="monitoring.practices_read",
        more=True,
    ),
    NavItem(
        _("Банк практик"), "monitoring:practice_bank", rule="monitoring.practice_bank", more=True
    ),
    # Schools of a municipality, municipalities of a region: for those who manage them.
    NavItem(_("Организации"), "organization_list", rule="core.organizations_manage"),
    NavItem(_("Сотрудники"), "staff_list", rule="core.staff_read", more=True),
    NavItem(_("Журнал действий"), "audit_log", rule="core.audit", more=True),
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
            items.append(
                {
                    "label": item.label,
                    "url": url,
                    "active": request.path == url,
                    "more": item.more,
                }
            )
    return items


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = SimpleLazyObject(lambda: _items(request))
    return {
        "nav_items": items,
        "nav_more": SimpleLazyObject(lambda: [i for i in items if i["more"]]),
        "nav_more_active": SimpleLazyObject(lambda: any(i["active"] and i["more"] for i in items)),
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
