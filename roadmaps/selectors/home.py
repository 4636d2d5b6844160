"""What roadmaps add to the home pages' to-do lists (mentorship/home.py), each figure in
one query whatever the number of schools or activities:

- a school: its overdue duties, linked to «Мероприятия школы» filtered to them;
- a municipality's and a region's table: roadmap completion per school (or per
  municipality, over its schools), flagged where something is overdue;
- the education department: the municipality's roadmaps waiting for its approval order.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mentorship import access as core_access
from mentorship.home import Cell, Column, RowGrouping, Todo, row_grouping
from mentorship.tenancy.resolution import TenantContext
from mentorship.tenancy.scoping import unscoped_reads
from roadmaps import access
from roadmaps.models import Activity, ActivityStatus, Roadmap, RoadmapStatus

# The roadmaps whose duties count: the current ones (a draft is already being worked on).
CURRENT = (RoadmapStatus.DRAFT, RoadmapStatus.APPROVED)


def _overdue(today) -> Q:
    return Q(due_date__lt=today) & ~Q(status=ActivityStatus.DONE)


def roadmaps_home_figures(tenant: TenantContext) -> dict[str, list]:
    figures: dict[str, list] = {}
    slug = tenant.organization.slug
    grouping = row_grouping(tenant)
    if grouping is None:
        if access.READ_SCHOOL_ACTIVITIES.permits(tenant):
            figures["todos"] = [overdue_todo(slug)]
        return figures
    if core_access.HOME_TABLE.permits(tenant):
        figures["columns"] = [unscoped_completion_column(grouping)]
    if tenant.is_municipality and access.APPROVE.permits(tenant):
        figures["approvals"] = [awaiting_approval(slug)]
    return figures


def overdue_todo(slug: str) -> Todo:
    """The school's unfinished duties past their date (in the school's scope)."""
    today = timezone.localdate()
    count = Activity.objects.filter(roadmap__status__in=CURRENT).filter(_overdue(today)).count()
    url = reverse("roadmaps:school_activities", kwargs={"org_slug": slug})
    return Todo(
        "overdue_activities",
        _("Просроченные мероприятия дорожной карты"),
        count,
        f"{url}?overdue=1",
        tone="danger",
    )


def unscoped_completion_column(grouping: RowGrouping) -> Column:
    """Done / all duties of the schools' current roadmaps, in %; a red flag with the
    number overdue. Statuses and dates only: roadmaps name no pupils."""
    today = timezone.localdate()
    key = grouping.key()
    with unscoped_reads():
        rows = (
            Activity.objects.filter(grouping.within(), roadmap__status__in=CURRENT)
            .values(key)
            .annotate(
                total=Count("pk"),
                done=Count("pk", filter=Q(status=ActivityStatus.DONE)),
                overdue=Count("pk", filter=_overdue(today)),
            )
            .values_list(key, "total", "done", "overdue")
            .order_by()
        )
        cells = {}
        for pk, total, done, overdue in rows:
            percent = round(100 * done / total)
            flag = (
                ngettext(
                    "просрочено %(n)s мероприятие",
                    "просрочено %(n)s мероприятия",
                    overdue,
                )
                % {"n": overdue}
                if overdue
                else ""
            )
            cells[pk] = Cell(percent, f"{percent} %", flag=flag)
    return Column(
        "roadmap",
        _("Дорожная карта"),
        cells,
        order=20,
        empty=Cell(None, _("нет мероприятий")),
    )


def awaiting_approval(slug: str) -> Todo:
    """The municipality's own roadmaps in draft: each waits for the department's order
    (a new edition of an approved one too). In the municipality's scope, one query."""
    drafts = list(
        Roadmap.objects.filter(status=RoadmapStatus.DRAFT, origin__isnull=True)
        .order_by("-updated_at", "-pk")
        .values_list("title", flat=True)
    )
    url = reverse("roadmaps:roadmap_list", kwargs={"org_slug": slug})
    return Todo(
        "roadmaps_to_approve",
        _("Дорожные карты ждут утверждения приказом"),
        len(drafts),
        f"{url}?status=draft",
        detail="; ".join(f"«{t}»" for t in drafts[:3]) + (" …" if len(drafts) > 3 else ""),
        tone="primary",
    )
