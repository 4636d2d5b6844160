"""What monitoring adds to the home pages' to-do lists (mentorship/home.py): the running
campaigns and their response rate — at a school for its staff, and per school (per
municipality at a region) in the table above it; at a municipality, for its methodists,
the schools' practices waiting for review (one count). Counts of links only, never people;
two queries whatever the number of schools or invitations.
"""

from __future__ import annotations

from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext as _

from mentorship import access as core_access
from mentorship.home import Cell, Column, RowGrouping, Todo, row_grouping
from mentorship.models import Role
from mentorship.tenancy.resolution import TenantContext
from mentorship.tenancy.scoping import unscoped_reads
from monitoring import access
from monitoring.models import CampaignSchool, Invitation, Practice, PracticeStatus
from monitoring.selectors.campaigns import INVITATION_COUNTS, Progress, running


def monitoring_home_figures(tenant: TenantContext) -> dict[str, list]:
    grouping = row_grouping(tenant)
    if grouping is None:
        if not access.CAMPAIGNS.permits(tenant):
            return {}
        return {"todos": [running_campaigns_todo(tenant.organization.slug)]}
    figures: dict[str, list] = {}
    if tenant.is_municipality and tenant.has_any(Role.METHODIST):
        figures["approvals"] = [unscoped_practices_to_review(tenant.organization)]
    if core_access.HOME_TABLE.permits(tenant):
        figures["columns"] = [unscoped_response_rate_column(grouping)]
    return figures


def unscoped_practices_to_review(municipality) -> Todo:
    """The practices the municipality's schools sent for review: a count that opens the
    bank's queue. One query, on the row's own `municipality`."""
    with unscoped_reads():
        count = Practice.objects.filter(
            municipality=municipality, status=PracticeStatus.SUBMITTED
        ).count()
    url = reverse("monitoring:practice_bank", kwargs={"org_slug": municipality.slug})
    return Todo(
        "practices_to_review",
        _("Практики школ ждут рассмотрения"),
        count,
        url,
        tone="primary",
    )


def _rate(progress: Progress) -> str:
    return f"{progress.rate} %" if progress.rate is not None else _("приглашений нет")


def running_campaigns_todo(slug: str) -> Todo:
    """The school's campaigns taking answers today, with the school's response rate over
    them, in the school's scope."""
    count = CampaignSchool.objects.filter(
        running("campaign__"), campaign__purpose="monitoring"
    ).count()
    totals = Invitation.objects.filter(
        running("campaign__"), campaign__purpose="monitoring"
    ).aggregate(**INVITATION_COUNTS)
    progress = Progress(**totals)
    url = reverse("monitoring:campaign_list", kwargs={"org_slug": slug})
    return Todo(
        "running_campaigns",
        _("Идут кампании мониторинга"),
        count,
        f"{url}?running=1",
        detail=_("ответили %(rate)s") % {"rate": _rate(progress)} if count else "",
        tone="info",
    )


def unscoped_response_rate_column(grouping: RowGrouping) -> Column:
    """The response rate over the running campaigns of each school (municipality): a
    school covered by one that has invited nobody yet is flagged."""
    key = grouping.key()
    with unscoped_reads():
        covered = set(
            CampaignSchool.objects.filter(
                grouping.within(), running("campaign__"), campaign__purpose="monitoring"
            )
            .values_list(key, flat=True)
            .distinct()
            .order_by()
        )
        counts = (
            Invitation.objects.filter(
                grouping.within(), running("campaign__"), campaign__purpose="monitoring"
            )
            .values(key)
            .annotate(**INVITATION_COUNTS)
            .order_by()
        )
        progress: dict[int, Progress] = defaultdict(Progress)
        for row in counts:
            pk = row.pop(key)
            progress[pk] = Progress(**row)
    cells = {}
    for pk in covered:
        p = progress[pk]
        flag = "" if p.invited else _("идёт кампания, никто не приглашён")
        cells[pk] = Cell(p.rate, _rate(p), flag=flag)
    return Column(
        "response_rate",
        _("Отклик"),
        cells,
        order=50,
        empty=Cell(None, _("кампании нет")),
    )
