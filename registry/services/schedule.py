"""Planned pair meetings: plan, move, cancel.

A meeting is planned for an approved or working pair, in the future, with a place or a
link (an online meeting needs the link). Moving it raises its ICS SEQUENCE so calendar
apps update the entry they have. After commit the pair's people get a letter (planned,
moved, cancelled: registry/services/letters.py through registry/tasks.py); the letter
service keeps them single and skips anyone whose consent is not valid.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorship import audit
from mentorship.models import User
from registry.models import (
    MeetingFormat,
    MeetingKind,
    Pair,
    PairStatus,
    PlannedMeeting,
    PlannedStatus,
)

# Pairs whose meetings may be planned: approved by the order or at work.
PLANNABLE = (PairStatus.APPROVED, PairStatus.ACTIVE)
MAX_DURATION = 8 * 60

# Sent inside the service's transaction with `meeting` and `change` ("planned", "moved",
# "cancelled"); registry/apps.py schedules the participants' letters after commit (the
# service never imports the tasks).
meeting_changed = Signal()


def _notify(meeting: PlannedMeeting, change: str) -> None:
    meeting_changed.send(sender=PlannedMeeting, meeting=meeting, change=change)


def _validate(
    *,
    pair: Pair,
    starts_at: datetime.datetime,
    duration_minutes: int,
    format: str,  # noqa: A002 - the domain's word
    place: str,
    link: str,
    topic: str,
    kind: str,
) -> None:
    errors: dict[str, str] = {}
    if pair.status not in PLANNABLE:
        raise ValidationError(_("Встречи планируются только у утверждённых и работающих пар."))
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    if starts_at <= timezone.now():
        errors["starts_at"] = _("Встреча планируется на будущее время.")
    if not 15 <= duration_minutes <= MAX_DURATION:
        errors["duration_minutes"] = _("Длительность — от 15 минут до 8 часов.")
    if format not in MeetingFormat.values:
        errors["format"] = _("Неизвестный формат встречи.")
    if kind not in MeetingKind.values:
        errors["kind"] = _("Неизвестный вид встречи.")
    if not topic.strip():
        errors["topic"] = _("Укажите тему встречи.")
    if format == MeetingFormat.ONLINE and not link.strip():
        errors["link"] = _("Для дистанционной встречи укажите ссылку.")
    elif not place.strip() and not link.strip():
        errors["place"] = _("Укажите место встречи или ссылку.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def meeting_plan(
    *,
    actor: User | None,
    pair: Pair,
    starts_at: datetime.datetime,
    topic: str,
    duration_minutes: int = 60,
    format: str = MeetingFormat.IN_PERSON,  # noqa: A002 - the domain's word
    place: str = "",
    link: str = "",
    kind: str = MeetingKind.REGULAR,
) -> PlannedMeeting:
    _validate(
        pair=pair,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        format=format,
        place=place,
        link=link,
        topic=topic,
        kind=kind,
    )
    meeting = PlannedMeeting.objects.create(
        organization=pair.organization,
        pair=pair,
        kind=kind,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        format=format,
        place=place.strip(),
        link=link.strip(),
        topic=topic.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        organization=pair.organization,
        action="meeting.plan",
        obj=pair,
        planned_meeting=meeting.pk,
        starts_at=meeting.starts_at.isoformat(),
    )
    _notify(meeting, "planned")
    return meeting


@transaction.atomic
def meeting_update(
    *,
    actor: User | None,
    meeting: PlannedMeeting,
    starts_at: datetime.datetime,
    topic: str,
    duration_minutes: int = 60,
    format: str = MeetingFormat.IN_PERSON,  # noqa: A002 - the domain's word
    place: str = "",
    link: str = "",
    kind: str = MeetingKind.REGULAR,
) -> PlannedMeeting:
    """Change a planned meeting; a new time or place is a move (letters, SEQUENCE + 1)."""
    meeting = PlannedMeeting.objects.select_for_update().select_related("pair").get(pk=meeting.pk)
    if meeting.status != PlannedStatus.PLANNED:
        raise ValidationError(_("Отменённую встречу изменить нельзя: запланируйте новую."))
    _validate(
        pair=meeting.pair,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        format=format,
        place=place,
        link=link,
        topic=topic,
        kind=kind,
    )
    moved = (meeting.starts_at, meeting.place, meeting.link) != (
        starts_at,
        place.strip(),
        link.strip(),
    )
    previous = meeting.starts_at
    meeting.starts_at, meeting.duration_minutes, meeting.format = (
        starts_at,
        duration_minutes,
        format,
    )
    meeting.place, meeting.link, meeting.topic, meeting.kind = (
        place.strip(),
        link.strip(),
        topic.strip(),
        kind,
    )
    meeting.sequence += 1
    meeting.save()
    audit.record(
        actor=actor,
        organization=meeting.organization,
        action="meeting.move" if moved else "meeting.update",
        obj=meeting.pair,
        planned_meeting=meeting.pk,
        previous=previous.isoformat(),
        starts_at=meeting.starts_at.isoformat(),
    )
    if moved:
        _notify(meeting, "moved")
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: User | None, meeting: PlannedMeeting) -> PlannedMeeting:
    meeting = PlannedMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == PlannedStatus.CANCELLED:
        return meeting
    meeting.status = PlannedStatus.CANCELLED
    meeting.sequence += 1
    meeting.save(update_fields=["status", "sequence", "updated_at"])
    audit.record(
        actor=actor,
        organization=meeting.organization,
        action="meeting.cancel",
        obj=meeting.pair,
        planned_meeting=meeting.pk,
    )
    _notify(meeting, "cancelled")
    return meeting
