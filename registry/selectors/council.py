"""Reads of the mentors' councils: each page in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When

from registry.models import Council, CouncilDecision, CouncilMeeting, CouncilMember, CouncilRole


def members_in_order() -> QuerySet[CouncilMember]:
    """The chair, the secretary, then the members by name: as a protocol lists them."""
    rank = Case(
        When(role=CouncilRole.CHAIR, then=Value(0)),
        When(role=CouncilRole.SECRETARY, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return CouncilMember.objects.annotate(rank=rank).order_by("rank", "full_name", "pk")


def council_list() -> QuerySet[Council]:
    return Council.objects.annotate(
        member_count=Count("members", distinct=True),
        meeting_count=Count("meetings", distinct=True),
        open_decisions=Count(
            "meetings__decisions",
            filter=Q(meetings__decisions__done_on__isnull=True),
            distinct=True,
        ),
    ).order_by("title", "pk")


def council_for_page(council_id: int) -> Council | None:
    """The council with its members, plan and meetings (with open-decision counts)."""
    meetings = (
        CouncilMeeting.objects.annotate(
            decision_count=Count("decisions"),
            open_count=Count("decisions", filter=Q(decisions__done_on__isnull=True)),
        )
        .select_related("protocol")
        .order_by("-date", "-number")
    )
    return (
        Council.objects.filter(pk=council_id)
        .prefetch_related(
            Prefetch("members", queryset=members_in_order()),
            "plan_items",
            Prefetch("meetings", queryset=meetings),
        )
        .first()
    )


def meeting_for_page(meeting_id: int) -> CouncilMeeting | None:
    return (
        CouncilMeeting.objects.filter(pk=meeting_id)
        .select_related("council", "protocol")
        .prefetch_related(
            Prefetch("council__members", queryset=members_in_order()),
            Prefetch("present", queryset=members_in_order()),
            Prefetch("decisions", queryset=CouncilDecision.objects.select_related("owner")),
        )
        .first()
    )
