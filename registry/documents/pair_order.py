"""The order «Об утверждении наставнических пар/групп» as a document kind.

What the order lists:
- `params["pair_ids"]`, written by `registry.services.pair_order.pair_order_issue`: the
  pairs the curator issued it for. Kept in the row, so a regeneration prints the same
  appendix even after the pairs have moved on (approved → active).
- without them (`manage.py render_document pair_order`, the generic request form): the
  school's proposed and approved pairs of programmes running in the document's year.

Issuing approves the pairs only once the PDF exists: the kind registers
`pair_order_approve` as its `on_ready` hook, which the documents service calls in the
transaction that stores the file; see the module docstring of
`registry.services.pair_order`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentorship.documents.kinds import DocumentDataError, register
from mentorship.models import EDUCATIONAL_KINDS, Document, Organization
from mentorship.tenancy.rules import SCHOOL
from registry import access
from registry.models import Category, MemberRole, Pair, PairMember, Participant
from registry.selectors.pairs import default_order_pairs
from registry.services import pair_order as service

TITLE = gettext_lazy("Об утверждении наставнических пар/групп")
# A school year starts in September: an order of November 2026 is for 2026/2027.
SCHOOL_YEAR_FIRST_MONTH = 9


def school_year(on: datetime.date) -> str:
    first = on.year if on.month >= SCHOOL_YEAR_FIRST_MONTH else on.year - 1
    return f"{first}/{first + 1}"


@dataclass(frozen=True)
class Person:
    name: str
    detail: str


@dataclass(frozen=True)
class Row:
    number: int
    mentors: list[Person]
    mentees: list[Person]
    period: str


@dataclass(frozen=True)
class Group:
    """The appendix's pairs of one programme in one form, under a heading row.

    A heading instead of two more columns: the table keeps four columns wide enough for
    a name and its detail on one or two lines, so 500 pairs fit in about 25 pages and
    render in a few seconds (fewer cells and lines is what WeasyPrint's time follows).
    """

    programme: str
    form: str
    rows: list[Row]


def _person(participant: Participant) -> Person:
    """Full name and what tells two namesakes apart on paper: class, post, employer."""
    if participant.category == Category.PUPIL:
        detail = (
            _("%(c)s класс") % {"c": participant.class_label} if participant.class_label else ""
        )
    elif participant.category == Category.TEACHER:
        detail = participant.position or participant.subject
    elif participant.category == Category.COLLEGE_STUDENT:
        detail = participant.study_place
    else:
        detail = ", ".join(
            p for p in (participant.position, getattr(participant.partner, "name", "")) if p
        )
    return Person(name=participant.full_name, detail=detail)


def _period(pair: Pair, document: Document) -> str:
    """The pair's own period: from the date this order gives it (or the earlier order's
    that approved it), to its end."""
    starts, ends = pair.start_under(document), pair.ends_on
    if starts and ends:
        # A no-break space keeps the dash with the first date: the narrow column breaks
        # after it, one date per line.
        return f"{starts:%d.%m.%Y}\u00a0– {ends:%d.%m.%Y}"
    if starts:
        return _("с %(d)s") % {"d": f"{starts:%d.%m.%Y}"}
    if ends:
        return _("до %(d)s") % {"d": f"{ends:%d.%m.%Y}"}
    return pair.programme.period_text or "—"


def order_pairs(document: Document) -> list[Pair]:
    """The pairs printed in `document`, with everything the appendix shows, in 2 queries."""
    ids = service.pair_ids_param(document.params)
    pairs = (
        default_order_pairs(document.date.year) if ids is None else Pair.objects.filter(pk__in=ids)
    )
    members = PairMember.objects.select_related("participant__partner").order_by("pk")
    found = list(
        pairs.select_related("programme", "form").prefetch_related(
            Prefetch("members", queryset=members, to_attr="prefetched_members")
        )
    )
    if ids is not None and len(found) != len(ids):
        # The render runs in the document's tenant: another school's pair is not found,
        # and the whole order fails rather than silently print fewer pairs.
        raise DocumentDataError(
            _("Некоторых пар из приказа нет в реестре школы: приказ не сформирован.")
        )
    if not found:
        raise DocumentDataError(service.no_pairs_message())
    return found


def _groups(pairs: list[Pair], document: Document) -> list[Group]:
    """Pairs grouped by programme and form, each under its own number (the school's pair
    number, as on the pairs page), in the order of those numbers."""

    def people(pair: Pair, role: str) -> list[Person]:
        return [_person(m.participant) for m in pair.prefetched_members if m.role == role]

    entries = sorted(
        (
            (
                pair.programme.name,
                pair.form.name,
                pair.number,
                people(pair, MemberRole.MENTOR),
                people(pair, MemberRole.MENTEE),
                _period(pair, document),
            )
            for pair in pairs
        ),
        key=lambda e: (e[0], e[1], e[2]),
    )
    groups: list[Group] = []
    for programme, form, number, mentors, mentees, period in entries:
        if not groups or (groups[-1].programme, groups[-1].form) != (programme, form):
            groups.append(Group(programme=programme, form=form, rows=[]))
        groups[-1].rows.append(Row(number=number, mentors=mentors, mentees=mentees, period=period))
    return groups


def pairs_summary(document: Document) -> str:
    """«Пар в приказе: 35» for those who may see the order listed but not open it."""
    ids = document.params.get("pair_ids")
    if not isinstance(ids, list):
        return ""
    return _("Пар в приказе: %(n)s") % {"n": len(ids)}


def build_context(document: Document) -> dict[str, Any]:
    organization: Organization = document.organization
    if not organization.is_educational:
        raise DocumentDataError(_("Приказ об утверждении пар издаёт образовательная организация."))
    municipality = organization.municipality()
    pairs = order_pairs(document)
    return {
        "groups": _groups(pairs, document),
        "total": len(pairs),
        "municipality": municipality,
        "order_title": TITLE,
        "school_year": school_year(document.date),
    }


def approve_pairs(document: Document) -> None:
    """The kind's `on_ready` hook: the order's PDF is being stored, approve its pairs.

    Called by the documents service inside the transaction that saves the file and the
    status «ready», with the row locked: the order is either printed with its pairs
    approved, or not printed and nothing moved.
    """
    service.pair_order_approve(order=document)


register(
    service.KIND,
    label=gettext_lazy("Приказ об утверждении наставнических пар/групп"),
    template="documents/pair_order.html",
    build_context=build_context,
    # The school director's order: it names minors with their class, so it is issued and
    # read inside the school only; upper levels see its number, date and count of pairs.
    # Who issues it is the rule of the page that asks for it (registry/access.py).
    roles=access.PAIR_ORDER[SCHOOL],
    org_kinds=tuple(EDUCATIONAL_KINDS),
    numbered=True,
    personal_data=True,
    summary=pairs_summary,
    on_ready=approve_pairs,
)
