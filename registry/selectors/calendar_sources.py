"""The school of mentors and the mentors' councils in the calendars (mentorship/calendar.py):
course sessions and council meetings of the organisation, registered in RegistryConfig.

Each source checks its own rule against the staff member's tenant and answers one query
whatever the number of events. A person's own calendar shows the sessions of the school's
courses they are enrolled on; council meetings stay off personal calendars (their members
are staff, not registry participants).
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorship.calendar import CalendarEvent, CalendarQuery
from registry import access
from registry.models import CouncilMeeting, CourseSession

COURSE_SOURCE = "registry.course_sessions"
COUNCIL_SOURCE = "registry.council_meetings"


def course_sessions_source(query: CalendarQuery) -> list[CalendarEvent]:
    if query.tenant is not None and not access.SCHOOL_READ.permits(query.tenant):
        return []
    rows = CourseSession.objects.filter(date__gte=query.start, date__lte=query.end)
    if query.personal:
        rows = rows.filter(course__enrollments__participant_id=query.participant_id).distinct()
    slug = query.organization.slug
    events = []
    for session in rows.select_related("course").order_by("date", "starts_at", "pk"):
        start: dt.date | dt.datetime = session.date
        end = None
        if session.starts_at is not None:
            start = timezone.make_aware(dt.datetime.combine(session.date, session.starts_at))
            end = start + dt.timedelta(hours=session.hours)
        events.append(
            CalendarEvent(
                uid=f"course-session-{session.pk}@{slug}",
                source=COURSE_SOURCE,
                title=_("Школа наставников: %(t)s") % {"t": session.topic},
                start=start,
                end=end,
                location=session.place,
                description=session.course.title,
                url=""
                if query.personal
                else reverse(
                    "registry:course_detail",
                    kwargs={"org_slug": slug, "course_id": session.course_id},
                ),
                extra={"course": session.course.title},
            )
        )
    return events


def council_meetings_source(query: CalendarQuery) -> list[CalendarEvent]:
    if query.personal:
        return []
    if query.tenant is not None and not access.COUNCIL_READ.permits(query.tenant):
        return []
    rows = CouncilMeeting.objects.filter(date__gte=query.start, date__lte=query.end)
    slug = query.organization.slug
    return [
        CalendarEvent(
            uid=f"council-meeting-{meeting.pk}@{slug}",
            source=COUNCIL_SOURCE,
            title=_("Заседание: %(c)s, № %(n)s")
            % {"c": meeting.council.title, "n": meeting.number},
            start=meeting.date,
            location=meeting.place,
            description="\n".join(meeting.agenda_items),
            url=reverse(
                "registry:council_meeting_detail",
                kwargs={"org_slug": slug, "council_meeting_id": meeting.pk},
            ),
            extra={"council": meeting.council.title},
        )
        for meeting in rows.select_related("council").order_by("date", "number", "pk")
    ]
