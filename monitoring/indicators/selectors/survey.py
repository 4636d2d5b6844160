"""Satisfaction of mentees and mentors, from the monitoring questionnaires' answers.

The satisfaction % is the share of answers «4» or «5» among all answers on the 1–5
scale questions of the satisfaction questionnaires (kind «Удовлетворённость
наставляемых» for mentees, «… наставников» for mentors), in the campaigns that start in
the year. Every scale question of the questionnaire counts once per respondent, so a
respondent's overall view and the details weigh alike. The threshold of publication
counts respondents (people), not answers: see `dashboards._survey_figure`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Q

from mentorship.tenancy.scoping import unscoped_reads
from monitoring.indicators.definitions import Indicator
from monitoring.models import Answer, Campaign, Kind, Question, QuestionKind

SATISFIED_FROM = 4
KIND_TO_INDICATOR = {
    Kind.MENTEE_SATISFACTION: Indicator.MENTEE_SATISFACTION,
    Kind.MENTOR_SATISFACTION: Indicator.MENTOR_SATISFACTION,
}


@dataclass(frozen=True)
class Satisfaction:
    # {(school id, year): {indicator code: (answers 4–5, all answers, respondents)}}
    counts: dict[tuple[int, int], dict[str, tuple[int, int, int]]] = field(default_factory=dict)
    # False while no satisfaction answer exists for these schools and years.
    available: bool = False


def unscoped_satisfaction(school_ids: Sequence[int], years: Iterable[int]) -> Satisfaction:
    """Answer counts per school, year and questionnaire kind: numbers only, three queries
    (the satisfaction scale questions, the campaigns of the years, then the answers).

    The questions and campaigns are looked up first and passed to the answers' query as
    lists of ids: joined instead, PostgreSQL guesses one row for the join and reads the
    answers once per question through the index, then sorts them on disk (8 s over a
    region's 3 million answers; 1.5 s as one scan with lists).

    Grouped by school, campaign and question, with no DISTINCT: every scale question is
    answered once per response, so the respondents of a questionnaire at a school are
    the most answers any of its scale questions got there. A hash over a few thousand
    groups instead of a sort of every answer.
    """
    years = sorted(years)
    if not school_ids or not years:
        return Satisfaction()
    with unscoped_reads():
        codes = dict(
            Question.objects.filter(
                kind=QuestionKind.SCALE_5, questionnaire__kind__in=list(KIND_TO_INDICATOR)
            ).values_list("pk", "questionnaire__kind")
        )
        campaign_years = {
            pk: starts_on.year
            for pk, starts_on in Campaign.objects.filter(
                starts_on__gte=datetime.date(years[0], 1, 1),
                starts_on__lte=datetime.date(years[-1], 12, 31),
            ).values_list("pk", "starts_on")
        }
        # With no campaign (or question) the answers' query still runs, on an id no row
        # has: a page's number of queries does not depend on whether campaigns exist.
        rows = (
            Answer.objects.filter(
                organization_id__in=list(school_ids),
                question_id__in=list(codes) or [0],
                campaign_id__in=list(campaign_years) or [0],
                value__isnull=False,
            )
            .values("organization_id", "campaign_id", "question_id")
            .annotate(positive=Count("pk", filter=Q(value__gte=SATISFIED_FROM)), total=Count("pk"))
            .order_by()
        )
        # (school, year, code) → [positive, total, {campaign: respondents}]
        folded: dict[tuple[int, int, str], list] = {}
        for r in rows:
            code = KIND_TO_INDICATOR[codes[r["question_id"]]]
            key = (r["organization_id"], campaign_years[r["campaign_id"]], code)
            entry = folded.setdefault(key, [0, 0, {}])
            entry[0] += r["positive"]
            entry[1] += r["total"]
            campaign = r["campaign_id"]
            entry[2][campaign] = max(entry[2].get(campaign, 0), r["total"])
    counts: dict[tuple[int, int], dict[str, tuple[int, int, int]]] = {}
    for (school_id, year, code), (positive, total, by_campaign) in folded.items():
        counts.setdefault((school_id, year), {})[code] = (
            positive,
            total,
            sum(by_campaign.values()),
        )
    return Satisfaction(counts=counts, available=bool(counts))
