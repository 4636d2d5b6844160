"""Reads of the group meeting pages, in the school's scope and a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q

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
