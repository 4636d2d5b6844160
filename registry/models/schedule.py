"""What lies ahead for a pair and its people: planned meetings, personal links and feeds.

- `PlannedMeeting`: a pair's meeting set ahead (date, time, place or link). Once held, the
  curator logs it in the meeting log (`Meeting`) as before; the plan stays as the record
  of what was agreed.
- `PersonalLink`: a participant's magic link (their page) or calendar feed, and the
  organisation's private calendar feed. Only the token's SHA-256 is kept: a copy of the
  database opens nothing, and a reissued link kills the old one.
- `ParticipantLetter`: the delivery ledger of letters to participants (pair approved,
  meeting planned or moved, the day-before reminder, questionnaire waiting), on the
  lease protocol of mentorship/notifications/ledger.py: one letter per key, ever.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorship.models import Organization
from mentorship.notifications.models import LeasedClaim, unsent_index
from mentorship.tenancy.scoping import TenantManager
from registry.models.pairs import MeetingFormat, MeetingKind, Pair
from registry.models.people import Participant


class PlannedStatus(models.TextChoices):
    PLANNED = "planned", _("Запланирована")
    CANCELLED = "cancelled", _("Отменена")


class PlannedMeeting(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="planned_meetings")
    kind = models.CharField(
        _("Встреча"), max_length=20, choices=MeetingKind.choices, default=MeetingKind.REGULAR
    )
    starts_at = models.DateTimeField(_("Начало"))
    duration_minutes = models.PositiveSmallIntegerField(_("Длительность, мин"), default=60)
    format = models.CharField(
        _("Формат"), max_length=20, choices=MeetingFormat.choices, default=MeetingFormat.IN_PERSON
    )
    place = models.CharField(_("Место"), max_length=300, blank=True)
    link = models.URLField(_("Ссылка на встречу"), max_length=500, blank=True)
    topic = models.CharField(_("Тема"), max_length=500)
    status = models.CharField(
        _("Статус"), max_length=20, choices=PlannedStatus.choices, default=PlannedStatus.PLANNED
    )
    # RFC 5545 SEQUENCE: grows each time the meeting moves, so calendar apps update it.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("Запланированная встреча")
        verbose_name_plural = _("Запланированные встречи")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["organization", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.topic} {timezone.localtime(self.starts_at):%d.%m.%Y %H:%M}"

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)

    @property
    def where(self) -> str:
        return " · ".join(p for p in (self.place, self.link) if p)


class LinkPurpose(models.TextChoices):
    PAGE = "page", _("Личная страница участника")
    FEED = "feed", _("Календарь участника (ICS)")
    ORG_FEED = "org_feed", _("Календарь организации (ICS)")


class PersonalLink(models.Model):
    """A revocable secret URL. One live link per (participant, purpose), and one live
    organisation feed per organisation: issuing a new one revokes the old in the same
    transaction (registry/services/links.py)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.CASCADE, related_name="links"
    )
    purpose = models.CharField(_("Назначение"), max_length=20, choices=LinkPurpose.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    # Where the link went (an address, or "" when the curator handed it over).
    sent_to = models.CharField(_("Отправлена"), max_length=300, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(_("Выдана"), default=timezone.now)
    revoked_at = models.DateTimeField(_("Отозвана"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("Последнее использование"), null=True, blank=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("Личная ссылка")
        verbose_name_plural = _("Личные ссылки")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "purpose"],
                condition=models.Q(revoked_at__isnull=True, participant__isnull=False),
                name="one_live_personal_link",
            ),
            models.UniqueConstraint(
                fields=["organization", "purpose"],
                condition=models.Q(revoked_at__isnull=True, participant__isnull=True),
                name="one_live_organization_feed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.participant_id or self.organization_id}"


class ParticipantLetter(LeasedClaim):
    """One letter to one participant about one item: claimed, sent, marked sent.

    The key (participant, topic, object, day, kind) is what keeps letters single: a
    meeting's «planned» letter once, its «moved» letter once per new date, the reminder
    once per meeting day. `day` is the throttle: at most one letter of a kind per item a day.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    topic = models.CharField(max_length=50)
    object_id = models.BigIntegerField()
    day = models.DateField()
    kind = models.CharField(max_length=20)

    objects = TenantManager()

    class Meta:
        verbose_name = _("Письмо участнику")
        verbose_name_plural = _("Письма участникам")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "topic", "object_id", "day", "kind"],
                name="unique_participant_letter",
            )
        ]
        indexes = [unsent_index("participant_letter_unsent")]

    def __str__(self) -> str:
        return f"{self.topic}:{self.object_id} {self.kind} {self.day} → {self.participant_id}"
