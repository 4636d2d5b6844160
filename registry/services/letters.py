"""Letters to participants: pair approved, meeting planned / moved / cancelled, and the
reminder the day before a planned meeting.

Each letter goes through the lease protocol of mentorship/notifications/ledger.py in
`ParticipantLetter` (participants are not portal users): claimed with a unique key
(person, item, day, kind), committed, sent, marked sent at once. Running a task twice,
or two overlapping runs, sends each letter once; the key's `day` throttles a kind to one
letter per item per day (a meeting moved three times today: one «moved» letter).

Nobody is written to whose data may not be processed (`can_process`: a withdrawn,
expired or missing consent, a depersonalised person), and a minor's letters go to the
parent or guardian who consented (`participant_address`), never to the child.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from celery.exceptions import SoftTimeLimitExceeded
from django.core.mail import EmailMessage, get_connection
from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorship.notifications import ledger
from mentorship.tenancy.scoping import unscoped_reads
from registry.models import (
    Consent,
    Pair,
    PairMember,
    Participant,
    ParticipantLetter,
    PlannedMeeting,
    PlannedStatus,
)
from registry.services.consent import can_process
from registry.services.links import participant_address

logger = logging.getLogger(__name__)

MEETING_TOPIC = "registry.planned_meeting"
PAIR_TOPIC = "registry.pair"


@dataclass
class LetterReport:
    sent: int = 0
    skipped: int = 0  # already sent (or held by another run), or nobody to write to
    failed: int = 0
    deferred: int = 0
    recipients: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        data = asdict(self)
        data.pop("recipients")
        return data


@dataclass(frozen=True)
class Letter:
    participant: Participant
    topic: str
    object_id: int
    day: dt.date
    kind: str
    subject: str
    body: str
    address: str


def _members(pair_ids: Iterable[int]) -> list[PairMember]:
    return list(
        PairMember.objects.filter(pair_id__in=list(pair_ids))
        .select_related("participant", "pair", "organization")
        .prefetch_related(
            Prefetch("participant__consents", queryset=Consent.objects.order_by("-given_on"))
        )
        .order_by("pair_id", "role", "pk")
    )


def _reachable(member: PairMember) -> str:
    """The address to write to, or "" when the person may not (or cannot) be written to."""
    if not can_process(member.participant):
        return ""
    return participant_address(member.participant)


def _greeting(participant: Participant) -> str:
    return " ".join(p for p in (participant.first_name, participant.patronymic) if p)


def deliver(letters: list[Letter], *, stale_topics: Iterable[str]) -> LetterReport:
    """Claim, send and confirm the letters. Call outside any transaction."""
    report = LetterReport()
    if not letters:
        return report
    run_id = uuid.uuid4()
    lease = ledger.Lease.start()
    now = timezone.now()
    by_key = {
        (lt.participant.pk, lt.topic, lt.object_id, lt.day, lt.kind): lt
        for lt in sorted(letters, key=lambda lt: (lt.participant.pk, lt.object_id))
    }
    claims = [
        ParticipantLetter(
            organization_id=lt.participant.organization_id,
            participant_id=lt.participant.pk,
            topic=lt.topic,
            object_id=lt.object_id,
            day=lt.day,
            kind=lt.kind,
            run_id=run_id,
            claimed_at=now,
            lease_until=lease.until,
        )
        for lt in by_key.values()
    ]
    stale = Q(topic__in=list(stale_topics), object_id__in=list({lt.object_id for lt in letters}))
    held_rows = ledger.claim_rows(ParticipantLetter, claims, run_id=run_id, stale=stale)
    with unscoped_reads():
        held = set(held_rows.values_list("participant_id", "topic", "object_id", "day", "kind"))
    report.skipped = len(by_key) - len(held)
    mine = [lt for key, lt in by_key.items() if key in held]
    try:
        with get_connection() as connection:
            for position, letter in enumerate(mine):
                if not lease.allows_another():
                    report.deferred = len(mine) - position
                    break
                try:
                    message = EmailMessage(
                        subject=letter.subject,
                        body=letter.body,
                        to=[letter.address],
                        connection=connection,
                    )
                    ok = connection.send_messages([message])
                except SoftTimeLimitExceeded:
                    raise
                except Exception:
                    logger.exception("Letter to participant %s failed", letter.participant.pk)
                    ok = 0
                if ok:
                    ledger.mark_rows_sent(
                        ParticipantLetter,
                        run_id=run_id,
                        participant_id=letter.participant.pk,
                        topic=letter.topic,
                        object_id=letter.object_id,
                        kind=letter.kind,
                    )
                    report.sent += 1
                    report.recipients.append(letter.address)
                else:
                    report.failed += 1
    finally:
        ledger.release_rows(ParticipantLetter, run_id=run_id)
    return report


def _meeting_context(meeting: PlannedMeeting, participant: Participant) -> dict:
    start = timezone.localtime(meeting.starts_at)
    return {
        "name": _greeting(participant),
        "school": meeting.organization.short_name,
        "topic": meeting.topic,
        "when": f"{start:%d.%m.%Y %H:%M}",
        "place": meeting.place,
        "link": meeting.link,
        "format": meeting.get_format_display(),
    }


SUBJECTS = {
    "planned": "Запланирована встреча: %(when)s",
    "moved": "Встреча перенесена: %(when)s",
    "cancelled": "Встреча отменена: %(when)s",
    "reminder": "Завтра встреча: %(when)s",
}


def meeting_letters(meeting: PlannedMeeting, change: str) -> list[Letter]:
    """The letters one change of a planned meeting makes: one per reachable member."""
    if change not in SUBJECTS:
        raise ValueError(change)
    if change != "cancelled" and meeting.status != PlannedStatus.PLANNED:
        return []
    day = timezone.localtime(meeting.starts_at).date()
    letters = []
    for member in _members([meeting.pair_id]):
        address = _reachable(member)
        if not address:
            continue
        context = _meeting_context(meeting, member.participant) | {"change": change}
        letters.append(
            Letter(
                participant=member.participant,
                topic=MEETING_TOPIC,
                object_id=meeting.pk,
                # «moved»: once per new date; the others once per meeting day.
                day=day,
                kind=change,
                subject=_(SUBJECTS[change]) % context,
                body=render_to_string("registry/email/meeting.txt", context),
                address=address,
            )
        )
    return letters


def send_meeting_letters(meeting_id: int, change: str) -> LetterReport:
    meeting = (
        PlannedMeeting.objects.select_related("organization", "pair").filter(pk=meeting_id).first()
    )
    if meeting is None:
        return LetterReport()
    return deliver(meeting_letters(meeting, change), stale_topics=[MEETING_TOPIC])


def send_pair_approved_letters(pair_ids: Iterable[int]) -> LetterReport:
    pair_ids = list(pair_ids)
    pairs = {p.pk: p for p in Pair.objects.filter(pk__in=pair_ids).select_related("programme")}
    members = _members(pair_ids)
    letters = []
    for member in members:
        pair = pairs.get(member.pair_id)
        address = _reachable(member)
        if pair is None or not address:
            continue
        others = [
            m.participant.full_name
            for m in members
            if m.pair_id == pair.pk and m.participant_id != member.participant_id
        ]
        context = {
            "name": _greeting(member.participant),
            "school": member.organization.short_name,
            "programme": pair.programme.name,
            "role": member.get_role_display().lower(),
            "others": ", ".join(others),
            "starts_on": pair.starts_on.strftime("%d.%m.%Y") if pair.starts_on else "",
        }
        letters.append(
            Letter(
                participant=member.participant,
                topic=PAIR_TOPIC,
                object_id=pair.pk,
                day=pair.starts_on or timezone.localdate(),
                kind="approved",
                subject=_("Ваша наставническая пара утверждена"),
                body=render_to_string("registry/email/pair_approved.txt", context),
                address=address,
            )
        )
    return deliver(letters, stale_topics=[PAIR_TOPIC])


def unscoped_meetings_on(day: dt.date) -> list[PlannedMeeting]:
    """Every school's live meetings on `day`: the reminder scan spans tenants by design."""
    tz = timezone.get_current_timezone()
    since = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    with unscoped_reads():
        return list(
            PlannedMeeting.objects.filter(
                starts_at__gte=since,
                starts_at__lt=since + dt.timedelta(days=1),
                status=PlannedStatus.PLANNED,
                organization__closed_at__isnull=True,
            )
            .select_related("organization", "pair")
            .order_by("pk")
        )


def send_meeting_reminders(*, day: dt.date) -> LetterReport:
    """The day before: a letter to each reachable member of every meeting on `day + 1`."""
    letters: list[Letter] = []
    with unscoped_reads():
        for meeting in unscoped_meetings_on(day + dt.timedelta(days=1)):
            letters.extend(meeting_letters(meeting, "reminder"))
    return deliver(letters, stale_topics=[MEETING_TOPIC])
