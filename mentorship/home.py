"""What the apps add to an organisation's home page, without the core importing them.

An app registers a context provider in its AppConfig.ready()::

    register_home_context(upcoming_activities, levels=(SCHOOL,))

A provider takes the request's TenantContext and returns template variables; the core
home view merges them, in registration order, into the page of that level.

Home pages are to-do lists (issue 12, item 4). A provider registered with
`figures=True` returns the to-do data itself, shared by the page and the API
(`/api/v1/o/<slug>/home/`), under these keys, each a list that the core concatenates
across providers:

- `todos`: `Todo` — a number that links to the filtered list behind it;
- `steps`: `Step` — the school's «Первые шаги» (programme → registry → consents →
  pairs → order);
- `columns`: `Column` — a column of the table of the organisations one level down
  (a municipality's schools, a region's municipalities), its cells keyed by their
  organisation's pk, with the red flags of the column;
- `approvals`: `Todo` — what waits for the education department's approval;
- `documents`: `DocumentLine` — the latest documents.

Each provider computes its figures in a fixed number of queries, whatever the number of
rows: aggregates grouped by organisation (`row_grouping` says how), never a query per
row. A provider checks the named rules itself and returns nothing to a role that may
not see its figures, so its queries are not run for that role.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from mentorship.models import EDUCATIONAL_KINDS, Organization, OrganizationKind
from mentorship.query import BadQuery
from mentorship.tenancy.resolution import TenantContext
from mentorship.tenancy.rules import LEVELS, MUNICIPALITY, REGION, level_of

__all__ = [
    "FIGURE_KEYS",
    "Cell",
    "Column",
    "DocumentLine",
    "HomeContext",
    "Step",
    "Todo",
    "home_context",
    "home_figures",
    "register_home_context",
    "row_grouping",
]

HomeContext = Callable[[TenantContext], Mapping[str, Any]]

# The keys whose lists are concatenated across providers rather than overwritten.
FIGURE_KEYS = ("todos", "steps", "columns", "approvals", "documents")

_providers: list[tuple[HomeContext, tuple[str, ...], bool]] = []


@dataclass(frozen=True)
class Todo:
    """A count that links to the list behind it, filtered to exactly what it counts."""

    key: str
    label: str
    count: int
    url: str
    # A second line: a campaign's response rate, an oldest date…
    detail: str = ""
    # Bootstrap colour of a non-zero count: danger, warning, info, primary.
    tone: str = "warning"


@dataclass(frozen=True)
class Step:
    """One of the school's first steps, done or not, with where to do it."""

    key: str
    label: str
    done: bool
    url: str


@dataclass(frozen=True)
class Cell:
    """One organisation's figure in a column: what sorts, what prints, a red flag."""

    value: int | float | str | date | datetime | None
    display: str
    flag: str = ""
    url: str = ""


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    cells: Mapping[int, Cell]
    # Position in the table (the core's curator column first, last activity last).
    order: int = 50
    numeric: bool = True
    # Printed under an empty cell (an organisation the query found nothing for).
    empty: Cell = field(default_factory=lambda: Cell(None, "—"))

    def cell(self, organization_id: int) -> Cell:
        return self.cells.get(organization_id, self.empty)


@dataclass(frozen=True)
class DocumentLine:
    """A document as a home page lists it. `url` is empty where the role may not open
    the file (a school's document that names people, seen from above): the line then
    shows the kind, number, date and summary, never the title."""

    organization: str
    label: str
    number: str
    date: date
    status: str
    summary: str = ""
    url: str = ""


def register_home_context(
    provider: HomeContext, *, levels: tuple[str, ...] = LEVELS, figures: bool = False
) -> None:
    """Add `provider` to the home pages of these levels; registering it twice is a no-op.

    `figures=True`: the provider returns to-do data under FIGURE_KEYS only, which the
    API serves as well."""
    if any(p is provider for p, _, _ in _providers):
        return
    unknown = set(levels) - set(LEVELS)
    if unknown:
        raise ValueError(f"Unknown levels {sorted(unknown)}")
    _providers.append((provider, tuple(levels), figures))


def _merge(context: dict[str, Any], provided: Mapping[str, Any]) -> None:
    for key, value in provided.items():
        if key in FIGURE_KEYS:
            context.setdefault(key, []).extend(value)
        else:
            context[key] = value


def _collect(tenant: TenantContext, *, figures_only: bool) -> dict[str, Any]:
    level = level_of(tenant.organization)
    context: dict[str, Any] = {}
    for provider, levels, figures in _providers:
        if level in levels and (figures or not figures_only):
            _merge(context, provider(tenant))
    for key in FIGURE_KEYS:
        context.setdefault(key, [])
    context["columns"].sort(key=lambda c: c.order)
    return context


def home_context(tenant: TenantContext) -> dict[str, Any]:
    """Everything the apps add to this tenant's home page."""
    return _collect(tenant, figures_only=False)


def home_figures(tenant: TenantContext) -> dict[str, list]:
    """The to-do data only (FIGURE_KEYS): the page's figures, as the API serves them."""
    context = _collect(tenant, figures_only=True)
    return {key: context[key] for key in FIGURE_KEYS}


@dataclass(frozen=True)
class RowGrouping:
    """How a figure over school-owned rows is grouped into the table's rows.

    `within(fk)`: a filter on the rows' organisation foreign key `fk` to the open
    schools under the tenant; `key(fk)`: the values() path of the table row a
    school-owned row belongs to (the school at a municipality, the school's
    municipality at a region)."""

    organization: Organization
    level: str

    def within(self, fk: str = "organization") -> Q:
        if self.level == MUNICIPALITY:
            return Q(
                **{
                    f"{fk}__parent": self.organization,
                    f"{fk}__closed_at__isnull": True,
                    f"{fk}__kind__in": EDUCATIONAL_KINDS,
                }
            )
        return Q(
            **{
                f"{fk}__parent__parent": self.organization,
                f"{fk}__parent__closed_at__isnull": True,
                f"{fk}__closed_at__isnull": True,
                f"{fk}__kind__in": EDUCATIONAL_KINDS,
            }
        )

    def key(self, fk: str = "organization") -> str:
        return f"{fk}_id" if self.level == MUNICIPALITY else f"{fk}__parent_id"


def row_grouping(tenant: TenantContext) -> RowGrouping | None:
    """The table's grouping at a municipality or a region; None at a school."""
    level = level_of(tenant.organization)
    if level not in (MUNICIPALITY, REGION):
        return None
    return RowGrouping(tenant.organization, level)


# --- The table of the organisations one level down -----------------------------------

NAME_KEY = "name"
SORT = "sort"


class BadSort(BadQuery):
    """`?sort=` names no column of the table: the page and the API answer 400 with the
    message (mentorship/query.py, the handlers of both)."""

    def __init__(self, sort: str) -> None:
        super().__init__(
            {SORT: [_("Таблицу нельзя упорядочить так: выберите столбец в её заголовке.")]}
        )
        self.sort = sort


@dataclass(frozen=True)
class TableRow:
    organization: Organization
    cells: tuple[Cell, ...]

    @property
    def flags(self) -> list[str]:
        return [c.flag for c in self.cells if c.flag]


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[TableRow, ...]
    sort: str

    @property
    def sort_keys(self) -> list[str]:
        return [NAME_KEY, *(c.key for c in self.columns)]

    def lines(self) -> list[tuple[TableRow, list[tuple[Column, Cell]]]]:
        """Each row with its cells beside their columns, for the template."""
        return [(row, list(zip(self.columns, row.cells, strict=True))) for row in self.rows]

    def headers(self) -> list[dict[str, Any]]:
        """Each sortable header: its label, the `sort` value its link asks for (the
        opposite direction when it is the current one) and the current direction."""
        current = self.sort.removeprefix("-")
        descending = self.sort.startswith("-")
        out = []
        for key, label, numeric in [
            (NAME_KEY, _("Организация"), False),
            *((c.key, c.label, c.numeric) for c in self.columns),
        ]:
            active = key == current
            out.append(
                {
                    "key": key,
                    "label": label,
                    "numeric": numeric,
                    "sort": key if active and descending else (f"-{key}" if active else key),
                    "direction": ("desc" if descending else "asc") if active else "",
                }
            )
        return out


def table_rows(organization: Organization) -> list[Organization]:
    """The open organisations one level down, the table's rows (one query)."""
    children = Organization.objects.open().filter(parent=organization)
    if organization.kind == OrganizationKind.MUNICIPALITY:
        children = children.filter(kind__in=EDUCATIONAL_KINDS)
    return list(children.order_by("short_name", "pk"))


def build_table(
    organizations: list[Organization], columns: list[Column], sort: str | None
) -> Table:
    """The rows × the columns, sorted server-side by `sort` («key» or «-key»), from a
    whitelist: the name and the columns' keys. Empty cells sort last either way."""
    sort = sort or NAME_KEY
    key = sort.removeprefix("-")
    descending = sort.startswith("-")
    if key != NAME_KEY and key not in {c.key for c in columns}:
        raise BadSort(sort)
    rows = [TableRow(o, tuple(c.cell(o.pk) for c in columns)) for o in organizations]
    if key == NAME_KEY:
        rows.sort(key=lambda r: (r.organization.short_name.casefold(), r.organization.pk))
        if descending:
            rows.reverse()
        return Table(tuple(columns), tuple(rows), sort)
    index = [c.key for c in columns].index(key)
    known = [r for r in rows if r.cells[index].value is not None]
    unknown = [r for r in rows if r.cells[index].value is None]
    known.sort(key=lambda r: r.cells[index].value, reverse=descending)
    return Table(tuple(columns), tuple(known + unknown), sort)
