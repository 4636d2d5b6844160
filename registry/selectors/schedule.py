"""Reads for the calendar: planned pair meetings as calendar events, a person's next
meetings, the people a meeting concerns."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorship.calendar import CalendarEvent, CalendarQuery, calendar_events
from mentorship.models import Role, User
from registry import access
from registry.models import (
    ConsentState,
    MemberRole,
    Pair,
    PairMember,
    PairStatus,
    Participant,
    PlannedMeeting,
    PlannedStatus,
    PlanTask,
)

SOURCE = "registry.meetings"


def _day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


def planned_meetings(
    *, start: dt.date, end: dt.date, participant_id: int | None = None
) -> QuerySet[PlannedMeeting]:
    """The tenant's live planned meetings between two days, with their pairs' members and
    people: two queries whatever the number of meetings. A cancelled meeting leaves the
    calendars (a subscribed app drops it on its next refresh)."""
    since, until = _day_bounds(start, end)
    meetings = PlannedMeeting.objects.filter(
        starts_at__gte=since, starts_at__lt=until, status=PlannedStatus.PLANNED
    )
    if participant_id is not None:
        meetings = meetings.filter(pair__members__participant_id=participant_id)
    return meetings.select_related("pair").prefetch_related(
        Prefetch(
            "pair__members",
            queryset=PairMember.objects.select_related("participant").order_by("role", "pk"),
            to_attr="prefetched_members",
        )
    )


def meeting_event(meeting: PlannedMeeting, *, staff: bool, org_slug: str) -> CalendarEvent:
    members = getattr(meeting.pair, "prefetched_members", [])
    # The names are the staff's: a person's own calendar (a file on their phone) says
    # which meeting, not who else is in it.
    names = ", ".join(m.participant.short_name for m in members) if staff else ""
    description = "\n".join(
        line
        for line in (
            f"{meeting.get_kind_display()} · {meeting.get_format_display()}",
            _("Пара №%(n)s: %(names)s") % {"n": meeting.pair.number, "names": names}
            if staff
            else "",
            meeting.link,
        )
        if line
    )
    return CalendarEvent(
        uid=f"meeting-{meeting.pk}@{org_slug}",
        source=SOURCE,
        title=meeting.topic,
        start=meeting.starts_at,
        end=meeting.ends_at,
        location=meeting.place or meeting.link,
        description=description,
        url=(
            reverse(
                "registry:pair_detail", kwargs={"org_slug": org_slug, "pair_id": meeting.pair_id}
            )
            if staff
            else ""
        ),
        sequence=meeting.sequence,
        cancelled=meeting.status == PlannedStatus.CANCELLED,
        extra={
            "pair": meeting.pair.number,
            "names": names,
            "format": meeting.get_format_display(),
            "link": meeting.link,
            "place": meeting.place,
        },
    )


def meetings_source(query: CalendarQuery) -> list[CalendarEvent]:
    """Planned pair meetings: for the school's pair readers, its feed, and each member."""
    if query.tenant is not None and not access.PAIRS_READ.permits(query.tenant):
        return []
    meetings = planned_meetings(
        start=query.start, end=query.end, participant_id=query.participant_id
    )
    staff = not query.personal
    slug = query.organization.slug
    return [meeting_event(m, staff=staff, org_slug=slug) for m in meetings]


# --- The participant's own page ------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    name: str
    role: str
    email: str = ""
    phone: str = ""


@dataclass
class ParticipantPage:
    participant: Participant
    pairs: list[Pair]
    events: list[CalendarEvent]
    tasks: list[PlanTask]
    contacts: list[Contact]


PAGE_DAYS = 90


def _processable(person: Participant) -> bool:
    """`can_process` without a query (registry/services/consent.py), for a selector."""
    return person.consent_state == ConsentState.VALID and person.depersonalized_at is None


def participant_page(participant: Participant) -> ParticipantPage:
    """Everything the person's page shows, that person's own only, in a fixed number of
    queries: their open pairs with the other members, their next 90 days of calendar,
    the tasks of the plans they are in, whom to contact (mentor or mentees, curators)."""
    today = timezone.localdate()
    pairs = list(
        Pair.objects.filter(
            members__participant=participant,
            status__in=[PairStatus.APPROVED, PairStatus.ACTIVE, PairStatus.SUSPENDED],
        )
        .select_related("programme")
        .prefetch_related(
            Prefetch(
                "members",
                # The mentor first ("mentor" sorts after "mentee").
                queryset=PairMember.objects.select_related("participant").order_by("-role", "pk"),
                to_attr="prefetched_members",
            )
        )
        .order_by("pk")
    )
    # Someone whose consent is gone (withdrawn, expired) leaves the others' pages: no
    # name, no contact, no tasks of theirs.
    for pair in pairs:
        pair.visible_members = [
            m
            for m in pair.prefetched_members
            if m.participant_id == participant.pk or _processable(m.participant)
        ]
    mentor_in = {
        p.pk
        for p in pairs
        for m in p.prefetched_members
        if m.participant_id == participant.pk and m.role == MemberRole.MENTOR
    }
    # The mentee's own plans; a mentor sees the plans of the pairs they lead.
    tasks = list(
        PlanTask.objects.filter(
            Q(plan__mentee=participant) | Q(plan__pair_id__in=mentor_in),
            plan__pair_id__in=[p.pk for p in pairs],
            plan__mentee__consent_state=ConsentState.VALID,
            plan__mentee__depersonalized_at__isnull=True,
        )
        .select_related("plan", "plan__mentee")
        .order_by(F("due_on").asc(nulls_last=True), "pk")
    )
    contacts: list[Contact] = []
    for pair in pairs:
        for member in pair.visible_members:
            other = member.participant
            if other.pk == participant.pk:
                continue
            # A mentee reaches their mentor; a mentor sees the mentees' names only:
            # a pupil's contacts are the parents', kept in the school.
            adult_mentor = member.role == MemberRole.MENTOR
            contacts.append(
                Contact(
                    name=other.full_name,
                    role=member.get_role_display(),
                    email=other.email if adult_mentor else "",
                    phone=other.phone if adult_mentor else "",
                )
            )
    contacts.extend(
        Contact(name=u.get_full_name() or u.email, role=_("Куратор"), email=u.email)
        for u in User.objects.filter(
            memberships__organization_id=participant.organization_id,
            memberships__role=Role.CURATOR,
            is_active=True,
        )
        .distinct()
        .order_by("last_name", "pk")
    )
    events = calendar_events(
        CalendarQuery(
            organization=participant.organization,
            start=today,
            end=today + dt.timedelta(days=PAGE_DAYS),
            participant_id=participant.pk,
        )
    )
    return ParticipantPage(participant, pairs, events, tasks, contacts)
