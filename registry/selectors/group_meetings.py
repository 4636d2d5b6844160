"""Reads of the group meeting pages, in the school's scope and a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from importlib import import_module

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from registry import access
from registry.models import (
    ConsentState,
    GroupMeeting,
    GroupMeetingParticipant,
    MemberRole,
    MentorPreference,
    Participant,
)


def meetings():
    return (
        GroupMeeting.objects.select_related("programme")
        .annotate(
            invited_count=Count("invited", distinct=True),
            attended_count=Count("invited", filter=Q(invited__attended=True), distinct=True),
        )
        .order_by("-held_on", "-pk")
    )


@dataclass
class AttendeeRow:
    row: GroupMeetingParticipant
    # The people this attendee ranked after the meeting, best first.
    chosen: list[Participant] = field(default_factory=list)
    mutual_first: Participant | None = None


def attendees(meeting: GroupMeeting) -> list[AttendeeRow]:
    rows = [
        AttendeeRow(r)
        for r in GroupMeetingParticipant.objects.filter(meeting=meeting).select_related(
            "participant"
        )
    ]
    by_person = {(r.row.participant_id, r.row.role): r for r in rows}
    people = {r.row.participant_id: r.row.participant for r in rows}
    prefs = list(
        MentorPreference.objects.filter(meeting=meeting)
        .order_by("rank", "pk")
        .values_list("mentor_id", "mentee_id", "chosen_by")
    )
    firsts: set[tuple[int, int, str]] = set()
    for mentor_id, mentee_id, chosen_by in prefs:
        chooser, other = (
            (mentor_id, mentee_id)
            if chosen_by == MemberRole.MENTOR
            else (
                mentee_id,
                mentor_id,
            )
        )
        row = by_person.get((chooser, chosen_by))
        if row is not None and other in people:
            if not row.chosen:
                firsts.add((mentor_id, mentee_id, chosen_by))
            row.chosen.append(people[other])
    for mentor_id, mentee_id, chosen_by in firsts:
        if chosen_by == MemberRole.MENTOR and (mentor_id, mentee_id, MemberRole.MENTEE) in firsts:
            by_person[(mentor_id, MemberRole.MENTOR)].mutual_first = people[mentee_id]
            by_person[(mentee_id, MemberRole.MENTEE)].mutual_first = people[mentor_id]
    return rows


def invitable(meeting: GroupMeeting) -> list[tuple[Participant, str]]:
    """Mentors and mentees of the school with a valid consent, not invited yet."""
    taken = set(
        GroupMeetingParticipant.objects.filter(meeting=meeting).values_list(
            "participant_id", "role"
        )
    )
    out = []
    for person in (
        Participant.objects.filter(depersonalized_at__isnull=True, consent_state=ConsentState.VALID)
        .filter(Q(is_mentor=True) | Q(is_mentee=True))
        .order_by("last_name", "first_name", "pk")
    ):
        for role, flag in (
            (MemberRole.MENTOR, person.is_mentor),
            (MemberRole.MENTEE, person.is_mentee),
        ):
            if flag and (person.pk, role) not in taken:
                out.append((person, role))
    return out


# ---- the calendar (issue 15, item 3) ----------------------------------------------------

# The key under which group meetings feed the calendar's registry (mentorship.calendar).
CALENDAR_SOURCE = "registry.group_meetings"


def group_meetings_source(query):
    """Group meetings as calendar events: the school's for its staff who read them and
    for its private feed; a person's own calendar shows the meetings they are invited to.
    Two queries whatever the number of meetings."""
    # Looked up when called: the calendar's registry arrives with issue 15's calendar.
    CalendarEvent = import_module("mentorship.calendar").CalendarEvent  # noqa: N806

    if query.tenant is not None and not access.GROUP_MEETINGS_READ.permits(query.tenant):
        return []
    rows = GroupMeeting.objects.filter(
        held_on__gte=query.start, held_on__lte=query.end
    ).select_related("programme")
    if query.personal:
        rows = rows.filter(
            invited__participant_id=query.participant_id,
            invited__participant__consent_state=ConsentState.VALID,
        ).distinct()
    slug = query.organization.slug
    events = []
    for meeting in rows.order_by("held_on", "pk"):
        start = meeting.held_on
        if meeting.starts_at is not None:
            start = timezone.make_aware(
                datetime.datetime.combine(meeting.held_on, meeting.starts_at)
            )
        events.append(
            CalendarEvent(
                uid=f"group-meeting-{meeting.pk}@{slug}",
                source=CALENDAR_SOURCE,
                title=_("Групповая встреча: %(p)s") % {"p": meeting.programme.name},
                start=start,
                location=meeting.place,
                description=meeting.topic,
                url=""
                if query.personal
                else reverse(
                    "registry:group_meeting_detail",
                    kwargs={"org_slug": slug, "group_meeting_id": meeting.pk},
                ),
                extra={"programme": meeting.programme.name, "place": meeting.place},
            )
        )
    return events
