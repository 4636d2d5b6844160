"""The progress matrix: a municipality's schools × its roadmap's school duties, or a
region's municipalities × its roadmap's municipal duties; statuses only."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.safestring import mark_safe

from mentorship.models import Organization
from mentorship.tenancy.scoping import unscoped_reads
from roadmaps.models import Activity, ActivityStatus, Roadmap

from .roadmaps import cascaded_activities, units_below


@dataclass
class MatrixRow:
    school: Organization
    cells: list[str]  # effective status per cascaded activity, "" where no copy
    done: int = 0
    total: int = 0
    # The unit's own copy of the roadmap (its `Roadmap` whose origin is this one), when
    # asked for (`with_copies`) and the unit has one.
    copy_id: int | None = None

    @property
    def percent(self) -> int | None:
        return round(100 * self.done / self.total) if self.total else None

    def cells_html(self) -> str:
        """The row's cells as HTML in one pass: 6,000 cells through template tags cost
        hundreds of milliseconds; this costs a few."""
        labels = {value: str(label) for value, label in ActivityStatus.choices}
        return mark_safe(  # noqa: S308 - only our own fixed labels and status codes
            "".join(
                f'<td class="status-{c} small text-center">{labels[c]}</td>'
                if c
                else '<td class="status-none small text-center">—</td>'
                for c in self.cells
            )
        )


@dataclass
class MatrixColumn:
    activity: Activity
    done: int = 0
    total: int = 0

    @property
    def percent(self) -> int | None:
        return round(100 * self.done / self.total) if self.total else None


@dataclass
class ProgressMatrix:
    columns: list[MatrixColumn]
    rows: list[MatrixRow] = field(default_factory=list)

    @property
    def overdue_count(self) -> int:
        return sum(row.cells.count(ActivityStatus.OVERDUE) for row in self.rows)


def unscoped_progress_matrix(
    roadmap: Roadmap,
    *,
    today: date | None = None,
    only_overdue: bool = False,
    with_copies: bool = False,
) -> ProgressMatrix:
    """Schools × cascaded activities of a municipal roadmap (municipalities × those of a
    regional one): statuses only, no people.

    A named cross-tenant read: the municipality reads its schools' copies, which carry
    statuses and dates, never personal data. Three queries whatever the size, and one
    more `with_copies`: each row's own copy of the roadmap (the region's matrix links a
    municipality's row to it).
    """
    today = today or timezone.localdate()
    columns = [MatrixColumn(a) for a in cascaded_activities(roadmap)]
    index = {c.activity.pk: i for i, c in enumerate(columns)}
    schools = units_below(roadmap.organization)
    with unscoped_reads():
        # No ordering: the model's default one would join sections and sort 6,000 rows.
        copies = (
            Activity.objects.filter(
                origin__roadmap=roadmap, organization__in=[s.pk for s in schools]
            )
            .order_by()
            .values_list("organization_id", "origin_id", "status", "due_date")
        )
        statuses: dict[int, list[str]] = {s.pk: [""] * len(columns) for s in schools}
        for org_id, origin_id, status, due in copies:
            effective = status
            if status != ActivityStatus.DONE and due and due < today:
                effective = ActivityStatus.OVERDUE
            if origin_id in index:  # a copy of an activity no longer marked for schools
                statuses[org_id][index[origin_id]] = effective
        copy_ids: dict[int, int] = {}
        if with_copies:
            copy_ids = dict(
                Roadmap.objects.filter(origin=roadmap, organization__in=[s.pk for s in schools])
                .order_by()
                .values_list("organization_id", "pk")
            )
    matrix = ProgressMatrix(columns=columns)
    for school in schools:
        cells = statuses[school.pk]
        row = MatrixRow(school=school, cells=cells, copy_id=copy_ids.get(school.pk))
        for i, cell in enumerate(cells):
            if not cell:
                continue
            row.total += 1
            columns[i].total += 1
            if cell == ActivityStatus.DONE:
                row.done += 1
                columns[i].done += 1
        if only_overdue and ActivityStatus.OVERDUE not in cells:
            continue
        matrix.rows.append(row)
    return matrix
