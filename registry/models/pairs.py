"""Mentoring pairs and groups, their meetings and the mentees' development plans."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorship.models import Organization
from mentorship.tenancy.scoping import TenantManager
from registry.models.people import Participant
from registry.models.programmes import MentoringForm, Programme


class PairStatus(models.TextChoices):
    PROPOSED = "proposed", _("Предложена")
    APPROVED = "approved", _("Утверждена приказом")
    ACTIVE = "active", _("Работает")
    COMPLETED = "completed", _("Завершена")
    ENDED_EARLY = "ended_early", _("Завершена досрочно")
    SUSPENDED = "suspended", _("Приостановлена")
    REJECTED = "rejected", _("Отклонена")


# Statuses in which a pair takes up its people: they are not offered to another pair.
OPEN_STATUSES = (PairStatus.PROPOSED, PairStatus.APPROVED, PairStatus.ACTIVE, PairStatus.SUSPENDED)


class Pair(models.Model):
    """A pair (one mentor, one mentee) or a group (several mentees, or a co-mentor).

    Dates: a pair starts on the date of the order that approves it; until the order, on
    the day it was accepted (`registry.services.pairs`). Its number is the school's own
    sequence (1, 2, 3… per school, never the database id): the pairs page's «№» and the
    order's appendix print it.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField(_("№"), editable=False)
    programme = models.ForeignKey(
        Programme, verbose_name=_("Программа"), on_delete=models.PROTECT, related_name="pairs"
    )
    form = models.ForeignKey(
        MentoringForm, verbose_name=_("Форма"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("Статус"), max_length=20, choices=PairStatus.choices, default=PairStatus.PROPOSED
    )
    starts_on = models.DateField(_("Начало"), null=True, blank=True)
    ends_on = models.DateField(_("Окончание"), null=True, blank=True)
    goals = models.TextField(_("Цели"), blank=True)
    score = models.FloatField(_("Оценка подбора"), null=True, blank=True)
    reasons = models.JSONField(_("Почему предложена"), default=list, blank=True)
    end_reason = models.TextField(_("Причина завершения"), blank=True)
    # Where a suspended pair returns when the consent is restored.
    suspended_from = models.CharField(max_length=20, blank=True)
    order = models.ForeignKey(
        "mentorship.Document",
        verbose_name=_("Приказ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("Наставническая пара (группа)")
        verbose_name_plural = _("Наставнические пары и группы")
        ordering = ["programme_id", "pk"]
        indexes = [models.Index(fields=["organization", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "number"],
                name="unique_pair_number_per_school",
                violation_error_message=_(
                    "Пара с таким номером в школе уже есть: обновите страницу."
                ),
            )
        ]

    def __str__(self) -> str:
        return _("Пара №%(n)s") % {"n": self.number}

    def start_under(self, order) -> datetime.date | None:
        """The day the pair starts once `order` approves it: the order's date, unless
        another order approved it before (that one's date stands)."""
        if order is not None and self.order_id in (None, order.pk):
            return order.date
        return self.starts_on

    @property
    def is_group(self) -> bool:
        members = getattr(self, "prefetched_members", None)
        if members is None:
            return self.members.filter(role=MemberRole.MENTEE).count() > 1
        return sum(m.role == MemberRole.MENTEE for m in members) > 1


class PairSequence(models.Model):
    """The row locked while a school's next pair number is taken (one per school).

    A leaf lock: nothing else is locked after it, so numbering never deadlocks with the
    school-, programme- or person-row locks the services take before it.
    """

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="+")
    last_number = models.PositiveIntegerField(default=0)

    objects = TenantManager()

    def __str__(self) -> str:
        return f"{self.organization_id}: {self.last_number}"


class MemberRole(models.TextChoices):
    MENTOR = "mentor", _("Наставник")
    MENTEE = "mentee", _("Наставляемый")


class PairMember(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="members")
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="pair_memberships"
    )
    role = models.CharField(_("Роль"), max_length=10, choices=MemberRole.choices)
    # Whether the pair is open (OPEN_STATUSES): kept here, on the member, so that the
    # database can hold the rule below. A pair closes once (completed, ended early,
    # rejected) and never reopens: `pair_transition` clears it then.
    open = models.BooleanField(default=True, editable=False)

    objects = TenantManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pair", "participant"], name="unique_pair_member"),
            # A mentee is in one open pair at a time (in any programme of the school, as
            # the services check): two accepts of one suggestion at once cannot both win.
            models.UniqueConstraint(
                fields=["participant"],
                condition=models.Q(role="mentee", open=True),
                name="one_open_pair_per_mentee",
                violation_error_message=_(
                    "Этот наставляемый уже состоит в другой паре: обновите страницу."
                ),
            ),
        ]
        ordering = ["role", "pk"]

    def __str__(self) -> str:
        return f"{self.participant} ({self.get_role_display()})"


class MeetingKind(models.TextChoices):
    FIRST = "first", _("Первая (организационная)")
    TRIAL = "trial", _("Пробная рабочая")
    PLANNING = "planning", _("Встреча-планирование")
    REGULAR = "regular", _("Регулярная")
    FINAL = "final", _("Итоговая")


class MeetingFormat(models.TextChoices):
    IN_PERSON = "in_person", _("Очно")
    ONLINE = "online", _("Дистанционно")
    MIXED = "mixed", _("Смешанно")


class Meeting(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(_("Встреча"), max_length=20, choices=MeetingKind.choices)
    held_on = models.DateField(_("Дата"))
    format = models.CharField(
        _("Формат"), max_length=20, choices=MeetingFormat.choices, default=MeetingFormat.IN_PERSON
    )
    topic = models.CharField(_("Тема"), max_length=500)
    result = models.TextField(_("Результат"), blank=True)
    attended = models.ManyToManyField(
        Participant, blank=True, related_name="+", verbose_name=_("Присутствовали")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("Встреча")
        verbose_name_plural = _("Встречи")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on:%d.%m.%Y}"


class DevelopmentPlan(models.Model):
    """A mentee's individual development plan within a pair."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    pair = models.ForeignKey(Pair, on_delete=models.CASCADE, related_name="plans")
    mentee = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="+")
    goals = models.TextField(_("Цели"), blank=True)
    interim_report = models.TextField(_("Промежуточный отчёт о выполнении"), blank=True)
    final_report = models.TextField(_("Итоговый отчёт о выполнении"), blank=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("Индивидуальный план развития")
        verbose_name_plural = _("Индивидуальные планы развития")
        constraints = [
            models.UniqueConstraint(fields=["pair", "mentee"], name="one_plan_per_mentee_in_pair")
        ]

    def __str__(self) -> str:
        return str(_("План развития: %(m)s") % {"m": self.mentee})


class TaskStatus(models.TextChoices):
    PLANNED = "planned", _("Запланирована")
    IN_PROGRESS = "in_progress", _("Выполняется")
    DONE = "done", _("Выполнена")


class PlanTask(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("Задача"), max_length=500)
    due_on = models.DateField(_("Срок"), null=True, blank=True)
    status = models.CharField(
        _("Статус"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.PLANNED
    )

    objects = TenantManager()

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return (
            self.status != TaskStatus.DONE
            and bool(self.due_on)
            and self.due_on < timezone.localdate()
        )


class MentorPreference(models.Model):
    """From the choice after the group meeting: whom a mentee would like as mentor
    (`chosen_by` mentee), or whom a mentor would like to work with (`chosen_by` mentor).
    Both directions of one mentor and mentee are two rows; both first: a mutual choice."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    mentee = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField(_("Приоритет"), default=1)
    chosen_by = models.CharField(
        _("Кто выбирал"), max_length=10, choices=MemberRole.choices, default=MemberRole.MENTEE
    )
    meeting = models.ForeignKey(
        "registry.GroupMeeting",
        verbose_name=_("Групповая встреча"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = TenantManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "mentee", "mentor", "chosen_by"],
                name="unique_mentor_preference",
            )
        ]
        ordering = ["rank"]

    def __str__(self) -> str:
        return f"{self.mentee} → {self.mentor} ({self.rank})"
