"""Competitions and recognition: «Лучший наставник», «Лучший педагог-наставник», contests
of best practices (seeds 000, 002, 004).

A competition belongs to the municipality that announces it (its methodist); its
nominations, criteria (each with a maximum score) and jury seats are the municipality's
rows too. A school nominates an adult mentor of its registry, or a practice, in a
nomination: the nominee row is the school's, and it keeps a copy of the name and the
position the upper level may read (an adult's, as the mentor base carries them), never
the registry row itself. Jury members are staff users of the municipality or its schools
(their memberships are the invitation); each scores every nominee against every
criterion; the methodist publishes the results, which fixes each nominee's place.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mentorship.models import Organization
from mentorship.tenancy.scoping import TenantManager
from registry.models.people import Participant

MAX_CRITERION_SCORE = 100
# Places 1–3 of a nomination are its winners (diplomas, the reward order, the card).
PRIZE_PLACES = 3


class CompetitionKind(models.TextChoices):
    MENTOR = "mentor", _("Конкурс наставников")
    PRACTICE = "practice", _("Конкурс практик наставничества")


class CompetitionStatus(models.TextChoices):
    ANNOUNCED = "announced", _("Объявлен")
    PUBLISHED = "published", _("Итоги подведены")


class Competition(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("Название"), max_length=300)
    kind = models.CharField(
        _("Вид"), max_length=20, choices=CompetitionKind.choices, default=CompetitionKind.MENTOR
    )
    description = models.TextField(_("Условия"), blank=True)
    nominations_until = models.DateField(_("Приём заявок до"))
    judging_until = models.DateField(_("Оценивание до"))
    status = models.CharField(
        _("Статус"),
        max_length=20,
        choices=CompetitionStatus.choices,
        default=CompetitionStatus.ANNOUNCED,
    )
    published_at = models.DateTimeField(_("Итоги опубликованы"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("Конкурс")
        verbose_name_plural = _("Конкурсы")
        ordering = ["-nominations_until", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == CompetitionStatus.PUBLISHED


class Nomination(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    competition = models.ForeignKey(
        Competition, on_delete=models.CASCADE, related_name="nominations"
    )
    title = models.CharField(_("Номинация"), max_length=200)
    ordering = models.PositiveSmallIntegerField(default=0)

    objects = TenantManager()

    class Meta:
        ordering = ["ordering", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["competition", "title"], name="unique_nomination_title")
        ]

    def __str__(self) -> str:
        return self.title


class Criterion(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="criteria")
    title = models.CharField(_("Критерий"), max_length=300)
    max_score = models.PositiveSmallIntegerField(
        _("Максимальный балл"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CRITERION_SCORE)],
    )
    ordering = models.PositiveSmallIntegerField(default=0)

    objects = TenantManager()

    class Meta:
        ordering = ["ordering", "pk"]

    def __str__(self) -> str:
        return self.title


class JuryMember(models.Model):
    """A seat on a competition's jury: a staff user of the municipality or its schools."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="jury")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    objects = TenantManager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["competition", "user"], name="unique_jury_seat")
        ]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.email


class Nominee(models.Model):
    """A school's nomination: an adult mentor (or a practice) in one nomination."""

    # The nominating school.
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    competition = models.ForeignKey(Competition, on_delete=models.CASCADE, related_name="nominees")
    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="nominees")
    participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="nominations"
    )
    # What the municipality and the jury read: the adult's name and position as nominated.
    last_name = models.CharField(_("Фамилия"), max_length=100, blank=True)
    first_name = models.CharField(_("Имя"), max_length=100, blank=True)
    patronymic = models.CharField(_("Отчество"), max_length=100, blank=True)
    position = models.CharField(_("Должность"), max_length=300, blank=True)
    practice_title = models.CharField(_("Практика"), max_length=300, blank=True)
    description = models.TextField(_("Описание"), blank=True)
    file = models.FileField(_("Материалы"), upload_to="competitions/%Y/", blank=True)
    total = models.DecimalField(
        _("Итоговый балл"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    place = models.PositiveSmallIntegerField(_("Место"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantManager()

    class Meta:
        ordering = ["nomination__ordering", "last_name", "first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["nomination", "participant"], name="one_nomination_per_mentor"
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.practice_title

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    @property
    def is_winner(self) -> bool:
        return self.place is not None and self.place <= PRIZE_PLACES


class Score(models.Model):
    """One jury member's score of one nominee against one criterion."""

    # The competition's organisation: the jury's rows.
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    nominee = models.ForeignKey(Nominee, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    juror = models.ForeignKey(JuryMember, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(_("Балл"))

    objects = TenantManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["nominee", "criterion", "juror"], name="one_score_per_juror"
            )
        ]

    def __str__(self) -> str:
        return str(self.value)
