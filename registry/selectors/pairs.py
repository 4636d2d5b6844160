"""Reads of pairs: the pages' lists (the same queries for 5 pairs or 500), stale pairs,
and the pairs an order on pairs lists."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from registry.models import (
    DevelopmentPlan,
    Meeting,
    MemberRole,
    Pair,
    PairMember,
    PairStatus,
    Participant,
    PlannedMeeting,
    PlannedStatus,
    PlanTask,
)

# Statuses a pair may have to be put into an order: proposed ones get approved by it,
# approved ones are listed again (the order is the school's full list for the year).
ORDERABLE = (PairStatus.PROPOSED, PairStatus.APPROVED)

STATUS_BADGES = {
    PairStatus.PROPOSED: "info",
    PairStatus.APPROVED: "primary",
    PairStatus.ACTIVE: "success",
    PairStatus.COMPLETED: "secondary",
    PairStatus.ENDED_EARLY: "warning",
    PairStatus.SUSPENDED: "danger",
    PairStatus.REJECTED: "light",
}


def _members() -> Prefetch:
    # `prefetched_members` is the name Pair.is_group looks for.
    return Prefetch(
        "members",
        queryset=PairMember.objects.select_related("participant").order_by("role", "pk"),
        to_attr="prefetched_members",
    )


def pair_rows(*, status: str = "", programme=None) -> QuerySet[Pair]:
    pairs = Pair.objects.select_related("programme", "form").prefetch_related(_members())
    if status:
        pairs = pairs.filter(status=status)
    if programme is not None:
        pairs = pairs.filter(programme=programme)
    return pairs.order_by("number")


STALE_DAYS = 30


def stale_pairs(today: datetime.date | None = None, days: int = STALE_DAYS) -> QuerySet[Pair]:
    """Working pairs silent for `days` days or more: flagged for the curator.

    Counted from the pair's own start (the order's date) or its last meeting, whichever
    is later, never from the programme's start: a pair approved yesterday is not
    "without meetings for 30 days". A pair without a start counts from its creation.
    """
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=days)
    started_before = Q(starts_on__lte=since) | Q(
        starts_on__isnull=True, created_at__date__lte=since
    )
    return (
        Pair.objects.filter(status__in=[PairStatus.APPROVED, PairStatus.ACTIVE])
        .filter(started_before)
        .annotate(recent=Count("meetings", filter=Q(meetings__held_on__gt=since)))
        .filter(recent=0)
    )


def stale_pair_ids() -> set[int]:
    """Working pairs with no meeting in 30 days: one query for the whole list."""
    return set(stale_pairs().values_list("pk", flat=True))


def decorate(pairs: Iterable[Pair], stale_ids: set[int] = frozenset()) -> None:
    """Attach what a row prints from the prefetched members, without touching the DB."""
    for pair in pairs:
        members = pair.prefetched_members
        pair.mentors = [m.participant for m in members if m.role == MemberRole.MENTOR]
        pair.mentees = [m.participant for m in members if m.role == MemberRole.MENTEE]
        pair.badge = STATUS_BADGES.get(pair.status, "secondary")
        pair.is_stale = pair.pk in stale_ids


def pair_for_page(queryset: QuerySet[Pair]) -> QuerySet[Pair]:
    """One pair with everything its page shows: members, meetings with attendance, plans."""
    return queryset.select_related("programme", "form", "order").prefetch_related(
        _members(),
        Prefetch(
            "meetings",
            queryset=Meeting.objects.prefetch_related(
                Prefetch("attended", queryset=Participant.objects.order_by("last_name"))
            ),
        ),
        # What lies ahead: the live planned meetings from yesterday on.
        Prefetch(
            "planned_meetings",
            queryset=PlannedMeeting.objects.filter(
                status=PlannedStatus.PLANNED,
                starts_at__gte=timezone.now() - datetime.timedelta(days=1),
            ).order_by("starts_at", "pk"),
        ),
        Prefetch(
            "plans",
            queryset=DevelopmentPlan.objects.select_related("mentee").prefetch_related(
                Prefetch("tasks", queryset=PlanTask.objects.order_by("due_on", "pk"))
            ),
        ),
    )


def member_people(pair: Pair, role: str | None = None) -> QuerySet[Participant]:
    """The pair's people as a queryset, for the choices of a form."""
    people = Participant.objects.filter(pair_memberships__pair=pair)
    if role:
        people = people.filter(pair_memberships__role=role)
    return people.order_by("last_name", "first_name", "pk")


def default_order_pairs(year: int) -> QuerySet[Pair]:
    """Proposed and approved pairs of programmes running in `year` (the active tenant's):
    what an order on pairs lists when nobody chose the pairs.

    A programme without dates runs until someone closes it (school No. 40's
    «Наставничество» since 2021), so open ends count as running.
    """
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return Pair.objects.filter(status__in=ORDERABLE).filter(
        Q(programme__starts_on__isnull=True) | Q(programme__starts_on__lte=last),
        Q(programme__ends_on__isnull=True) | Q(programme__ends_on__gte=first),
    )
