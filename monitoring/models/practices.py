"""The bank of best practices: a school's practice, reviewed by its municipality.

A practice belongs to the school that submits it (`organization`) and is read and
reviewed there: the municipality's methodist reaches the school through the
organisation tree, as for programmes. `municipality` is the school's municipality at
submission, kept on the row so that the municipal bank and the regional list are one
indexed filter (named `unscoped_…` selectors), never a walk over every school.

The lifecycle (services/practices.py is the only writer):

    draft ──submit──▶ submitted ──accept──▶ accepted ──pass to region──▶ (flag set)
      ▲                  │
      └──── edit ◀── returned (with the methodist's comments) ◀──return──┘

A practice names no pupil: it is a method (title, form, description, results) that the
school chooses to share; its files are the school's materials.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorship.models import Organization
from mentorship.tenancy.scoping import TenantManager


class PracticeStatus(models.TextChoices):
    DRAFT = "draft", _("Черновик")
    SUBMITTED = "submitted", _("На рассмотрении")
    RETURNED = "returned", _("Возвращена на доработку")
    ACCEPTED = "accepted", _("В муниципальном банке")


# The states in which the school may still change the practice.
EDITABLE_STATUSES = (PracticeStatus.DRAFT, PracticeStatus.RETURNED)


class PracticeCategory(models.TextChoices):
    """What a practice is about, after the seeds' directions of mentoring."""

    YOUNG_TEACHERS = "young_teachers", _("Адаптация молодых педагогов")
    CAREER = "career", _("Профориентация")
    PROJECTS = "projects", _("Проектная и исследовательская деятельность")
    GIFTED = "gifted", _("Работа с одарёнными обучающимися")
    ACHIEVEMENT = "achievement", _("Повышение образовательных результатов")
    SPECIAL_NEEDS = "special_needs", _("Сопровождение обучающихся с ОВЗ")
    UPBRINGING = "upbringing", _("Воспитание и социализация")
    OTHER = "other", _("Другое")


MIN_YEAR = 2019  # the target model dates from order Р-145 of 25.12.2019


class Practice(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    municipality = models.ForeignKey(
        Organization,
        verbose_name=_("Муниципалитет"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(_("Название практики"), max_length=300)
    form = models.ForeignKey(
        "registry.MentoringForm",
        verbose_name=_("Форма наставничества"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    category = models.CharField(_("Направление"), max_length=30, choices=PracticeCategory.choices)
    description = models.TextField(_("Описание практики"))
    results = models.TextField(_("Результаты"))
    year = models.PositiveSmallIntegerField(_("Год"))
    status = models.CharField(
        _("Состояние"), max_length=20, choices=PracticeStatus.choices, default=PracticeStatus.DRAFT
    )
    review_comment = models.TextField(_("Замечания методиста"), blank=True)
    # The curator's report this draft was prefilled from, if any.
    source_response = models.ForeignKey(
        "monitoring.Response",
        verbose_name=_("Из отчёта куратора"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        "mentorship.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(_("Отправлена"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("Рассмотрена"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "mentorship.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    passed_to_region_at = models.DateTimeField(
        _("Передана в региональный банк"), null=True, blank=True
    )
    passed_to_region_by = models.ForeignKey(
        "mentorship.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = TenantManager()

    class Meta:
        verbose_name = _("Практика наставничества")
        verbose_name_plural = _("Практики наставничества")
        ordering = ["-year", "title", "pk"]
        indexes = [
            models.Index(fields=["municipality", "status"], name="practice_municipal_bank"),
        ]
        constraints = [
            # Only an accepted practice can sit in the regional bank.
            models.CheckConstraint(
                condition=models.Q(passed_to_region_at__isnull=True)
                | models.Q(status=PracticeStatus.ACCEPTED),
                name="practice_region_only_accepted",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class PracticeFile(models.Model):
    """A material of a practice (a presentation, a plan, a scan), checked on upload."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("Файл"), upload_to="practices/%Y/")
    name = models.CharField(_("Имя файла"), max_length=200)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        "mentorship.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = TenantManager()

    class Meta:
        verbose_name = _("Материал практики")
        verbose_name_plural = _("Материалы практик")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name
