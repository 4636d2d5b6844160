"""Group meetings of a programme («групповая встреча», stage 5 of the model) and who
came to them. After one, each participant who attended ranks up to three people of the
other side they met (registry.models.pairs.MentorPreference, both directions)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorship.models import Organization
from mentorship.tenancy.scoping import TenantManager
from registry.models.people import Participant
from registry.models.programmes import Programme

# How many people of the other side a participant ranks after a group meeting.
MAX_CHOICES = 3


class GroupMeeting(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("Программа"),
        on_delete=models.PROTECT,
        related_name="group_meetings",
    )
    held_on = models.DateField(_("Дата"))
    starts_at = models.TimeField(_("Время"), null=True, blank=True)
    place = models.CharField(_("Место или ссылка"), max_length=300, blank=True)
    topic = models.CharField(_("Тема"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = TenantManager()

    class Meta:
        verbose_name = _("Групповая встреча")
        verbose_name_plural = _("Групповые встречи")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return _("Групповая встреча %(d)s") % {"d": self.held_on.strftime("%d.%m.%Y")}


class GroupMeetingParticipant(models.Model):
    """One invited person; `attended` is set after the meeting (None: not marked yet)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(GroupMeeting, on_delete=models.CASCADE, related_name="invited")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(
        _("Роль"),
        max_length=10,
        choices=[("mentor", _("Наставник")), ("mentee", _("Наставляемый"))],
    )
    attended = models.BooleanField(_("Присутствовал"), null=True, blank=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("Участник групповой встречи")
        verbose_name_plural = _("Участники групповой встречи")
        ordering = ["role", "participant__last_name", "participant__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "participant", "role"], name="unique_group_meeting_participant"
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}:{self.participant_id}:{self.role}"
