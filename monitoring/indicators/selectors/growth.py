"""Growth of participants: final − entry self-assessment, per participant and on average.

The entry and final growth questionnaires ask the same items under the same codes (the
registry's entry assessment parameters, `monitoring.standard.GROWTH_ITEMS`). For a
campaign with a final growth questionnaire, a participant's growth on an item is their
final answer less their latest entry answer on that item given in a campaign that
started no later. Only participants with both answers count («сопоставлено»).

Upper levels see averages only, hidden under 5 matched participants (and a second
school where the municipal average would give one back); the school's own staff also
see each participant's growth, as they see the registry's entry assessment.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from mentorship.models import Organization
from mentorship.tenancy.scoping import unscoped_reads
from monitoring.indicators.definitions import SUPPRESSION_THRESHOLD
from monitoring.indicators.selectors.results import hide_small_groups
from monitoring.models import Answer, Campaign, Kind, Response
from monitoring.standard import GROWTH_ITEMS
from registry.models import Participant

CODES = [code for code, _text in GROWTH_ITEMS]


def _mean(values: Sequence[int]) -> Decimal | None:
    if not values:
        return None
    return (Decimal(sum(values)) / len(values)).quantize(Decimal("0.01"))


@dataclass
class ItemGrowth:
    code: str
    label: str
    entry: Decimal | None
    final: Decimal | None
    growth: Decimal | None
    matched: int


@dataclass
class UnitGrowth:
    organization: Organization
    matched: int
    hidden: bool
    growth: dict[str, Decimal | None] = field(default_factory=dict)


@dataclass
class PersonGrowth:
    participant_id: int
    name: str
    # code → (entry, final, final − entry)
    items: dict[str, tuple[int, int, int]]

    def cells(self) -> list[tuple[int, int, int] | None]:
        return [self.items.get(code) for code in CODES]


@dataclass
class Growth:
    matched: int
    hidden: bool
    items: list[ItemGrowth]
    units: list[UnitGrowth] = field(default_factory=list)
    people: list[PersonGrowth] = field(default_factory=list)

    @property
    def labels(self) -> list[str]:
        return [text for _code, text in GROWTH_ITEMS]


def has_growth(campaign: Campaign) -> bool:
    questionnaires = (campaign.mentee_questionnaire, campaign.mentor_questionnaire)
    return any(q is not None and q.kind == Kind.GROWTH_FINAL for q in questionnaires)


def unscoped_growth(
    campaign: Campaign,
    schools: Sequence[Organization],
    *,
    per_school: bool,
    with_names: bool = False,
) -> Growth | None:
    """Growth over `schools` for a campaign with a final growth questionnaire.

    `with_names` is for the school's own page only, in its scope: each participant is
    listed; otherwise nobody is. Two queries (three with the names).
    """
    if not has_growth(campaign):
        return None
    ids = [s.pk for s in schools]
    with unscoped_reads():
        final = list(
            Answer.objects.filter(
                campaign=campaign,
                organization_id__in=ids,
                question__questionnaire__kind=Kind.GROWTH_FINAL,
                question__code__in=CODES,
                value__isnull=False,
            ).values_list("organization_id", "response__participant_id", "question__code", "value")
        )
        entry_rows = (
            Answer.objects.filter(
                organization_id__in=ids,
                question__questionnaire__kind=Kind.GROWTH_ENTRY,
                question__code__in=CODES,
                value__isnull=False,
                campaign__starts_on__lte=campaign.starts_on,
                response__participant_id__in=Response.objects.filter(campaign=campaign).values(
                    "participant_id"
                ),
            )
            .order_by("response__submitted_at", "pk")
            .values_list("response__participant_id", "question__code", "value")
        )
        # Ordered by time: the latest entry answer on an item overwrites the earlier.
        entry = {(pid, code): value for pid, code, value in entry_rows}

    deltas: dict[tuple[int, str], tuple[int, int, int]] = {}
    school_of: dict[int, int] = {}
    # One pass: the deltas by item, and by school and item, for the averages below.
    by_item: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    by_school_item: dict[tuple[int, str], list[int]] = defaultdict(list)
    for school_id, pid, code, value in final:
        if (pid, code) in entry:
            before = entry[(pid, code)]
            d = (before, value, value - before)
            deltas[(pid, code)] = d
            school_of[pid] = school_id
            by_item[code].append(d)
            by_school_item[(school_id, code)].append(d[2])
    total = len(school_of)
    hidden = total < SUPPRESSION_THRESHOLD
    items = [
        ItemGrowth(
            code=code,
            label=label,
            entry=None if hidden else _mean([d[0] for d in by_item[code]]),
            final=None if hidden else _mean([d[1] for d in by_item[code]]),
            growth=None if hidden else _mean([d[2] for d in by_item[code]]),
            matched=len(by_item[code]),
        )
        for code, label in GROWTH_ITEMS
    ]
    result = Growth(matched=total, hidden=hidden, items=items)
    if per_school:
        matched: dict[int, int] = {s.pk: 0 for s in schools}
        for school_id in school_of.values():
            matched[school_id] = matched.get(school_id, 0) + 1
        hidden_units = hide_small_groups(matched)
        for school in schools:
            unit = UnitGrowth(school, matched[school.pk], school.pk in hidden_units or hidden)
            if not unit.hidden and unit.matched:
                unit.growth = {c: _mean(by_school_item[(school.pk, c)]) for c in CODES}
            result.units.append(unit)
    if with_names:
        # In the school's own scope: its participants, for its own staff only.
        people = Participant.objects.filter(pk__in=list(school_of)).order_by(
            "last_name", "first_name", "pk"
        )
        by_person: dict[int, dict[str, tuple[int, int, int]]] = defaultdict(dict)
        for (pid, code), d in deltas.items():
            by_person[pid][code] = d
        result.people = [PersonGrowth(p.pk, p.full_name, by_person[p.pk]) for p in people]
    return result
