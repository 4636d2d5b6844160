"""Reads of the mentors' councils: each page in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from registry.models import Council, CouncilDecision, CouncilMeeting


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
        .prefetch_related("members", "plan_items", Prefetch("meetings", queryset=meetings))
        .first()
    )


def meeting_for_page(meeting_id: int) -> CouncilMeeting | None:
    return (
        CouncilMeeting.objects.filter(pk=meeting_id)
        .select_related("council", "protocol")
        .prefetch_related(
            "council__members",
            "present",
            Prefetch("decisions", queryset=CouncilDecision.objects.select_related("owner")),
        )
        .first()
    )
