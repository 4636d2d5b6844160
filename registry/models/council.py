"""Mentors' councils (seeds 000 and 004: «Приказами ОУ созданы Советы наставников»):
a council of a school or a municipality, its members, its plan of work, meetings with
agenda and minutes, and decisions with owners and deadlines.

Members are staff and adult mentors, written as the protocol names them; a decision's
owner may be a member of staff with an account, who is then reminded of its deadline
(registry/services/council_reminders.py, on the same delivery ledger as the roadmaps').
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mentorship.models import Document, Organization
from mentorship.tenancy.scoping import TenantManager


class Council(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("Название"), max_length=300)
    purpose = models.TextField(_("Цели и задачи"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("Совет наставников")
        verbose_name_plural = _("Советы наставников")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title


class CouncilRole(models.TextChoices):
    CHAIR = "chair", _("Председатель")
    SECRETARY = "secretary", _("Секретарь")
    MEMBER = "member", _("Член совета")


class CouncilMember(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    full_name = models.CharField(_("Фамилия, имя, отчество"), max_length=300)
    position = models.CharField(_("Должность, место работы"), max_length=300, blank=True)
    role = models.CharField(
        _("Роль в совете"), max_length=20, choices=CouncilRole.choices, default=CouncilRole.MEMBER
    )

    objects = TenantManager()

    class Meta:
        verbose_name = _("Член совета наставников")
        verbose_name_plural = _("Члены совета наставников")
        ordering = ["council", "role", "full_name", "pk"]

    def __str__(self) -> str:
        return self.full_name


class CouncilPlanItem(models.Model):
    """A line of the council's plan of work: a topic and when, as people write it."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="plan_items")
    topic = models.CharField(_("Вопрос, мероприятие"), max_length=500)
    period_text = models.CharField(_("Срок"), max_length=100, blank=True)
    responsible = models.CharField(_("Ответственные"), max_length=300, blank=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("Пункт плана работы совета")
        verbose_name_plural = _("План работы совета")
        ordering = ["council", "pk"]

    def __str__(self) -> str:
        return self.topic


class CouncilMeeting(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="meetings")
    number = models.PositiveSmallIntegerField(_("Номер заседания"))
    date = models.DateField(_("Дата"))
    place = models.CharField(_("Место"), max_length=300, blank=True)
    # One question a line, as the protocol numbers them.
    agenda = models.TextField(_("Повестка дня"))
    minutes = models.TextField(_("Слушали, выступили (ход заседания)"), blank=True)
    present = models.ManyToManyField(
        CouncilMember, blank=True, related_name="+", verbose_name=_("Присутствовали")
    )
    protocol = models.ForeignKey(
        Document,
        verbose_name=_("Протокол"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = TenantManager()

    class Meta:
        verbose_name = _("Заседание совета наставников")
        verbose_name_plural = _("Заседания совета наставников")
        ordering = ["council", "-date", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["council", "number"], name="one_meeting_number")
        ]

    def __str__(self) -> str:
        return f"№ {self.number} от {self.date:%d.%m.%Y}"

    @property
    def agenda_items(self) -> list[str]:
        return [line.strip() for line in self.agenda.splitlines() if line.strip()]


class CouncilDecision(models.Model):
    """«Решили: …» with who does it and by when; reminded like a roadmap deadline."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(CouncilMeeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("Решение"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Ответственный (сотрудник)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    owner_name = models.CharField(_("Ответственный"), max_length=300, blank=True)
    due_on = models.DateField(_("Срок"), null=True, blank=True)
    done_on = models.DateField(_("Выполнено"), null=True, blank=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("Решение совета наставников")
        verbose_name_plural = _("Решения совета наставников")
        ordering = ["meeting", "pk"]
        indexes = [
            models.Index(
                fields=["due_on"],
                condition=models.Q(done_on__isnull=True),
                name="open_decision_due",
            )
        ]

    def __str__(self) -> str:
        return self.text[:100]
