"""Results of a monitoring campaign: response rate per school and results per question,
for one school or for the municipality, with the municipality's schools side by side.

Named cross-tenant reads: answers belong to the schools; the municipality reads them
here as counts per question and option, never a response or a person. The
questionnaires promise that only general figures are shown, so the results of fewer
than 5 respondents are hidden at every level, the school's own staff included; where
the municipal figures would give a hidden school back (its answers are the total less
the schools shown), more schools are hidden until the hidden ones together have at
least 5 respondents. A fixed number of queries whatever the number of schools.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentorship.models import Organization
from mentorship.tenancy.scoping import unscoped_reads
from monitoring.indicators.definitions import SUPPRESSION_THRESHOLD
from monitoring.indicators.selectors import charts
from monitoring.models import (
    SCALE_MAX,
    Answer,
    Campaign,
    CampaignSchool,
    Invitation,
    Question,
    QuestionKind,
    Questionnaire,
    Response,
)

# A scale answer that counts as "satisfied" or "high": 4–5 of 5, 8–10 of 10.
HIGH_FROM = {QuestionKind.SCALE_5: 4, QuestionKind.SCALE_10: 8}
LIVE = Q(revoked_at__isnull=True) | Q(responded_at__isnull=False)
# The key of the answers' counts when they are summed over the schools in SQL.
ALL_SCHOOLS = 0
ROLE_LABELS = {"mentee": gettext_lazy("наставляемые"), "mentor": gettext_lazy("наставники")}


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class RateRow:
    organization: Organization
    invited: int = 0
    responded: int = 0

    @property
    def rate(self) -> Decimal | None:
        return _percent(self.responded, self.invited)


@dataclass
class QuestionResult:
    question: Question
    # Per point of a scale (1…max), [нет, да] for yes/no, per option for a choice.
    counts: list[int]
    answered: int
    value_sum: int = 0

    @property
    def labels(self) -> list[str]:
        kind = self.question.kind
        if kind in SCALE_MAX:
            return [str(i) for i in range(1, SCALE_MAX[kind] + 1)]
        if kind == QuestionKind.YES_NO:
            return [_("нет"), _("да")]
        return [str(o) for o in self.question.options]

    @property
    def is_scale(self) -> bool:
        return self.question.kind in SCALE_MAX

    @property
    def is_text(self) -> bool:
        return self.question.kind == QuestionKind.TEXT

    @property
    def mean(self) -> Decimal | None:
        if not self.is_scale or not self.answered:
            return None
        return (Decimal(self.value_sum) / self.answered).quantize(Decimal("0.01"))

    @property
    def high_share(self) -> Decimal | None:
        """% of answers 4–5 (8–10), or of «да» for a yes/no question."""
        kind = self.question.kind
        if kind == QuestionKind.YES_NO:
            return _percent(self.counts[1], self.answered)
        if kind not in HIGH_FROM:
            return None
        return _percent(sum(self.counts[HIGH_FROM[kind] - 1 :]), self.answered)

    def chart(self) -> SafeString:
        return charts.distribution(list(zip(self.labels, self.counts, strict=True)), self.answered)


@dataclass
class UnitScore:
    """A school's figures for one questionnaire in the municipal table."""

    organization: Organization
    respondents: int
    hidden: bool

    @property
    def too_few(self) -> bool:
        """Hidden for its own small number (else hidden along with such a school)."""
        return 0 < self.respondents < SUPPRESSION_THRESHOLD

    # The mean of each scale question, in the questionnaire's order.
    means: list[Decimal | None] = field(default_factory=list)


@dataclass
class QuestionnaireResult:
    questionnaire: Questionnaire
    role: str
    respondents: int
    hidden: bool
    # Free-text questions are among them with their count only: never shown, they
    # could name people.
    questions: list[QuestionResult]
    units: list[UnitScore] = field(default_factory=list)

    @property
    def role_label(self) -> str:
        return str(ROLE_LABELS.get(self.role, self.role))

    @property
    def scale_questions(self) -> list[QuestionResult]:
        return [q for q in self.questions if q.is_scale]


@dataclass
class CampaignResults:
    campaign: Campaign
    organization: Organization
    rates: list[RateRow]
    questionnaires: list[QuestionnaireResult]
    threshold: int = SUPPRESSION_THRESHOLD

    @property
    def total(self) -> RateRow:
        return RateRow(
            self.organization,
            sum(r.invited for r in self.rates),
            sum(r.responded for r in self.rates),
        )


def hide_small_groups(respondents: dict[int, int]) -> set[int]:
    """Units to hide: those under the threshold, then the smallest others until the hidden
    ones together reach it, so that the total less the shown units reveals no one."""
    hidden = {u for u, n in respondents.items() if 0 < n < SUPPRESSION_THRESHOLD}
    shown = sorted((n, u) for u, n in respondents.items() if u not in hidden and n)
    while hidden and sum(respondents[u] for u in hidden) < SUPPRESSION_THRESHOLD and shown:
        hidden.add(shown.pop(0)[1])
    return hidden


def _questionnaires(campaign: Campaign) -> list[tuple[str, Questionnaire]]:
    pairs = [("mentee", campaign.mentee_questionnaire), ("mentor", campaign.mentor_questionnaire)]
    return [(role, q) for role, q in pairs if q is not None]


def unscoped_campaign_results(
    campaign: Campaign, schools: Sequence[Organization], *, per_school: bool
) -> CampaignResults:
    """The campaign's results over `schools` (one school, or the municipality's)."""
    ids = [s.pk for s in schools]
    by_id = {s.pk: s for s in schools}
    roles = _questionnaires(campaign)
    questionnaire_ids = [q.pk for _role, q in roles]
    with unscoped_reads():
        questions = list(
            Question.objects.filter(questionnaire_id__in=questionnaire_ids).order_by(
                "questionnaire_id", "position", "pk"
            )
        )
        invited = (
            Invitation.objects.filter(campaign=campaign, organization_id__in=ids)
            .values("organization_id")
            .annotate(
                invited=Count(
                    "pk", filter=Q(revoked_at__isnull=True) | Q(responded_at__isnull=False)
                ),
                responded=Count("pk", filter=Q(responded_at__isnull=False)),
            )
            .order_by()
        )
        respondents = (
            Response.objects.filter(campaign=campaign, organization_id__in=ids)
            .values("organization_id", "questionnaire_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        # Every answer of the campaign in one scan (a region's campaign has millions),
        # grouped by what is counted: the value of a scale/yes-no/single question, the
        # set of options picked in a multiple choice, whether a free text was written.
        # Per school only when the schools are shown side by side; the totals are the
        # same sums either way.
        unit = ("organization_id",) if per_school else ()
        answers = (
            Answer.objects.filter(campaign=campaign, organization_id__in=ids)
            .values(*unit, "question_id", "value", "choices")
            .annotate(n=Count("pk"), written=Count("pk", filter=~Q(text="")))
            .order_by()
        )
        rates = {r["organization_id"]: r for r in invited}
        counts_by = defaultdict(int)
        for r in respondents:
            counts_by[(r["organization_id"], r["questionnaire_id"])] = r["n"]
        kinds = {q.pk: q.kind for q in questions}
        # (school, question) → {value: answers}; (school, question) → {option: picks}
        # with how many answered it at all under the key -1; question → texts written.
        # The school is ALL_SCHOOLS when the totals alone are asked for.
        values: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
        picks: dict[tuple[int, int], dict[int, int]] = defaultdict(lambda: defaultdict(int))
        text_counts: dict[int, int] = defaultdict(int)
        for r in answers:
            key = (r.get("organization_id", ALL_SCHOOLS), r["question_id"])
            text_counts[r["question_id"]] += r["written"]
            if r["value"] is not None:
                values[key][r["value"]] = values[key].get(r["value"], 0) + r["n"]
            if r["choices"] is not None and kinds.get(r["question_id"]) == QuestionKind.MULTIPLE:
                picks[key][-1] += r["n"]
                for index in r["choices"] or ():
                    picks[key][index] += r["n"]

    rate_rows = [
        RateRow(s, rates.get(s.pk, {}).get("invited", 0), rates.get(s.pk, {}).get("responded", 0))
        for s in schools
    ]
    value_ids = ids if per_school else [ALL_SCHOOLS]
    results = []
    for role, questionnaire in roles:
        own = [q for q in questions if q.questionnaire_id == questionnaire.pk]
        per_unit = {s: counts_by[(s, questionnaire.pk)] for s in ids}
        hidden_units = hide_small_groups(per_unit)
        total = sum(per_unit.values())
        all_hidden = total < SUPPRESSION_THRESHOLD
        results.append(
            QuestionnaireResult(
                questionnaire=questionnaire,
                role=role,
                respondents=total,
                hidden=all_hidden,
                questions=[]
                if all_hidden
                else [_question(q, value_ids, values, picks, text_counts) for q in own],
                units=[_unit(by_id[s], per_unit[s], s in hidden_units, own, values) for s in ids]
                if per_school
                else [],
            )
        )
    return CampaignResults(
        campaign=campaign,
        organization=schools[0] if len(schools) == 1 else campaign.organization,
        rates=rate_rows,
        questionnaires=results,
    )


def _question(question: Question, ids: list[int], values, picks, texts=None) -> QuestionResult:
    kind = question.kind
    if kind == QuestionKind.MULTIPLE:
        counts = [0] * len(question.options)
        answered = 0
        for s in ids:
            for index, n in picks.get((s, question.pk), {}).items():
                if index == -1:
                    answered += n
                elif index < len(counts):
                    counts[index] += n
        # Each option's share is of those who answered: the shares add up to over 100 %.
        return QuestionResult(question, counts, answered)
    if kind in SCALE_MAX:
        points = range(1, SCALE_MAX[kind] + 1)
    elif kind == QuestionKind.YES_NO:
        points = range(0, 2)
    elif kind == QuestionKind.SINGLE:
        points = range(0, len(question.options))
    else:
        # Free text: only how many wrote something.
        return QuestionResult(question, [], (texts or {}).get(question.pk, 0))
    counts = [sum(values.get((s, question.pk), {}).get(p, 0) for s in ids) for p in points]
    value_sum = sum(p * n for p, n in zip(points, counts, strict=True)) if kind in SCALE_MAX else 0
    return QuestionResult(question, counts, sum(counts), value_sum)


def _unit(school, respondents, hidden, questions, values) -> UnitScore:
    unit = UnitScore(school, respondents, hidden or respondents < SUPPRESSION_THRESHOLD)
    if unit.hidden:
        return unit
    unit.means = [
        _question(q, [school.pk], values, {}).mean for q in questions if q.kind in SCALE_MAX
    ]
    return unit


def campaigns_of_year(year: int) -> list[Campaign]:
    """The organisation's own campaigns that start in the year (its tenant scope)."""
    return list(
        Campaign.objects.filter(starts_on__year=year, purpose="monitoring").order_by(
            "starts_on", "pk"
        )
    )


def school_campaigns_of_year(year: int) -> list[CampaignSchool]:
    """A school's rows of the campaigns covering it that start in the year (its scope)."""
    return list(
        CampaignSchool.objects.filter(
            campaign__starts_on__year=year, campaign__purpose="monitoring"
        )
        .select_related("campaign")
        .order_by("campaign__starts_on", "pk")
    )
