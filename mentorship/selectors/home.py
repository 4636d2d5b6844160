"""The core's figures on the home pages (mentorship/home.py): who runs each organisation
one level down and when anyone last worked there; and the page put together.

Named cross-tenant reads: a municipality's home reads its schools' staff and audit
dates, a region's its municipalities'. They return staff names, dates and counts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Case, Exists, F, Max, OuterRef, Q, QuerySet, When
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mentorship import access
from mentorship.home import (
    Cell,
    Column,
    DocumentLine,
    RowGrouping,
    Step,
    Table,
    Todo,
    build_table,
    row_grouping,
    table_rows,
)
from mentorship.models import (
    EDUCATIONAL_KINDS,
    AuditEntry,
    Invitation,
    Membership,
    Organization,
    OrganizationKind,
    Role,
)
from mentorship.tenancy.resolution import TenantContext
from mentorship.tenancy.rules import MUNICIPALITY

# A school where nobody has done anything for this long is flagged.
QUIET_DAYS = 30

__all__ = [
    "HomePage",
    "core_home_figures",
    "home_page",
    "unscoped_curator_column",
    "unscoped_last_activity_column",
]


@dataclass(frozen=True)
class HomePage:
    """An organisation's to-do list, for the page and the API alike."""

    todos: list[Todo]
    steps: list[Step]
    table: Table | None
    approvals: list[Todo]
    documents: list[DocumentLine]

    @property
    def steps_done(self) -> int:
        return sum(step.done for step in self.steps)

    @property
    def steps_percent(self) -> int:
        return round(100 * self.steps_done / len(self.steps)) if self.steps else 0

    @property
    def started(self) -> bool:
        """Every first step is done: the checklist folds away."""
        return bool(self.steps) and self.steps_done == len(self.steps)


def home_page(
    tenant: TenantContext, figures: Mapping[str, Any], sort: str | None = None
) -> HomePage:
    """The figures the providers gave (`home_context` or `home_figures`) as one page;
    the table of the organisations one level down sorted by `sort` (BadSort if it names
    no column; a page without a table ignores it). One query for the table's rows."""
    columns = list(figures.get("columns", []))
    table = None
    if row_grouping(tenant) is not None and access.HOME_TABLE.permits(tenant):
        table = build_table(table_rows(tenant.organization), columns, sort)
    return HomePage(
        # What waits first; the zeros (nothing to do) keep their order at the end.
        todos=sorted(figures.get("todos", []), key=lambda t: t.count == 0),
        steps=list(figures.get("steps", [])),
        table=table,
        approvals=list(figures.get("approvals", [])),
        documents=list(figures.get("documents", [])),
    )


def core_home_figures(tenant: TenantContext) -> dict[str, list]:
    """At a municipality and a region: the curator and last-activity columns of the
    table (the latest documents are mentorship/documents/selectors.py's)."""
    figures: dict[str, list] = {}
    grouping = row_grouping(tenant)
    if grouping is None:
        return figures
    if access.HOME_TABLE.permits(tenant):
        figures["columns"] = [
            unscoped_curator_column(grouping),
            unscoped_last_activity_column(grouping),
        ]
    return figures


def _schools_query(grouping: RowGrouping) -> QuerySet[Organization]:
    """The open schools under the tenant (at a region: of its open municipalities)."""
    schools = Organization.objects.open().filter(kind__in=EDUCATIONAL_KINDS)
    if grouping.level == MUNICIPALITY:
        return schools.filter(parent=grouping.organization)
    return schools.filter(parent__parent=grouping.organization, parent__closed_at__isnull=True)


def unscoped_curator_column(grouping: RowGrouping) -> Column:
    """Who runs each school: its curators by name, or «приглашение отправлено» (an
    invitation not yet expired), or the red flag «нет куратора». At a region, per
    municipality: how many of its schools have a curator. One query for the schools with
    two EXISTS, one for the names."""
    curators = Membership.objects.filter(organization=OuterRef("pk"), role=Role.CURATOR)
    # An invitation still waiting for its answer; one past its 7 days waits for nobody.
    invited = (
        Invitation.objects.open()
        .filter(organization=OuterRef("pk"), role=Role.CURATOR)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))
    )
    schools = list(
        _schools_query(grouping)
        .annotate(has_curator=Exists(curators), invited=Exists(invited))
        .values_list("pk", "parent_id", "has_curator", "invited")
    )
    label = _("Куратор")
    if grouping.level == MUNICIPALITY:
        names: dict[int, list[str]] = defaultdict(list)
        for membership in (
            Membership.objects.filter(
                role=Role.CURATOR, organization_id__in=[s[0] for s in schools]
            )
            .select_related("user")
            .order_by("user__last_name", "pk")
        ):
            names[membership.organization_id].append(membership.user.get_short_name())
        cells = {}
        for pk, _parent, has_curator, has_invitation in schools:
            if has_curator:
                cells[pk] = Cell(2, ", ".join(names[pk]))
            elif has_invitation:
                cells[pk] = Cell(1, _("приглашение отправлено"))
            else:
                cells[pk] = Cell(0, _("не назначен"), flag=_("нет куратора"))
        return Column("curator", label, cells, order=10, numeric=False)
    # A region: schools with a curator out of the municipality's schools.
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for _pk, parent_id, has_curator, has_invitation in schools:
        counts = totals[parent_id]
        counts[0] += 1
        counts[1] += bool(has_curator)
        counts[2] += bool(has_invitation and not has_curator)
    cells = {}
    for parent_id, (total, with_curator, invited_only) in totals.items():
        missing = total - with_curator - invited_only
        display = _("%(n)s из %(total)s") % {"n": with_curator, "total": total}
        if invited_only:
            display += " · " + ngettext("%(n)s приглашение", "%(n)s приглашения", invited_only) % {
                "n": invited_only
            }
        flag = (
            ngettext("%(n)s школа без куратора", "%(n)s школы без куратора", missing)
            % {"n": missing}
            if missing
            else ""
        )
        cells[parent_id] = Cell(round(100 * with_curator / total), display, flag=flag)
    return Column(
        "curator",
        _("Кураторы школ"),
        cells,
        order=10,
        numeric=False,
        empty=Cell(None, _("школ нет")),
    )


def unscoped_last_activity_column(grouping: RowGrouping) -> Column:
    """When a person last did anything recorded in the audit log of the school (at a
    region: of the municipality or any of its schools); flagged after 30 quiet days.
    One grouped query."""
    now = timezone.now()
    quiet_since = now - timedelta(days=QUIET_DAYS)
    entries = AuditEntry.objects.filter(actor__isnull=False)
    if grouping.level == MUNICIPALITY:
        rows = (
            entries.filter(grouping.within("organization"))
            .values("organization_id")
            .annotate(last=Max("at"))
            .values_list("organization_id", "last")
        )
    else:
        row = Case(
            When(organization__kind=OrganizationKind.MUNICIPALITY, then=F("organization_id")),
            default=F("organization__parent_id"),
        )
        municipal = Q(
            organization__parent=grouping.organization,
            organization__kind=OrganizationKind.MUNICIPALITY,
            organization__closed_at__isnull=True,
        )
        rows = (
            entries.filter(municipal | grouping.within())
            .annotate(row=row)
            .values("row")
            .annotate(last=Max("at"))
            .values_list("row", "last")
        )
    quiet = _("нет активности %(n)s дней") % {"n": QUIET_DAYS}
    cells = {}
    for pk, last in rows.order_by():
        local = timezone.localtime(last)
        cells[pk] = Cell(
            last,
            formats.date_format(local, "d.m.Y"),
            flag=quiet if last < quiet_since else "",
        )
    return Column(
        "last_activity",
        _("Активность"),
        cells,
        order=90,
        numeric=False,
        empty=Cell(None, _("не было"), flag=quiet),
    )
