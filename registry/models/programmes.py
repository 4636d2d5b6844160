"""Programmes of a school and the forms of mentoring they run."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mentorship.models import Organization
from mentorship.tenancy.scoping import TenantManager


class MentoringForm(models.Model):
    """A form of mentoring («ученик – ученик», «учитель – учитель», …).

    Forms are data, not a fixed list: regions and schools add their own.
    """

    code = models.SlugField(_("Код"), max_length=50, unique=True)
    name = models.CharField(_("Наименование"), max_length=200)
    ordering = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("Форма наставничества")
        verbose_name_plural = _("Формы наставничества")
        ordering = ["ordering", "name"]

    def __str__(self) -> str:
        return self.name


# How many mentees one mentor may take by default: a group of a class at most.
MENTOR_CAPACITY_MAX = 30


class Programme(models.Model):
    """A school's mentoring programme, e.g. «Билет в будущее».

    `operator` is the seeds' column «Проект / программа (оператор)» (the project the
    programme runs under, as text); `responsible` is the school's staff member who runs
    it (the curator or another member of the school's staff). A closed programme keeps
    its pairs and its history and stays readable; it leaves matching and new pairs.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="programmes"
    )
    name = models.CharField(_("Наименование"), max_length=300)
    form = models.ForeignKey(
        MentoringForm, verbose_name=_("Форма"), on_delete=models.PROTECT, related_name="+"
    )
    operator = models.CharField(_("Проект / программа (оператор)"), max_length=300, blank=True)
    mentors_description = models.CharField(_("Кто является наставниками"), max_length=300)
    mentor_role = models.TextField(_("Роль наставника"), blank=True)
    mentees_description = models.CharField(_("Наставляемые"), max_length=300)
    period_text = models.CharField(_("Период осуществления"), max_length=200, blank=True)
    starts_on = models.DateField(_("Начало"), null=True, blank=True)
    ends_on = models.DateField(_("Окончание"), null=True, blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Ответственный за программу"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    goals = models.TextField(_("Цели и задачи"), blank=True)
    expected_results = models.TextField(_("Ожидаемые результаты"), blank=True)
    # For mentors without a questionnaire (MentorProfile.max_mentees says it otherwise).
    mentor_capacity = models.PositiveSmallIntegerField(
        _("Наставляемых на одного наставника"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MENTOR_CAPACITY_MAX)],
    )
    closed_at = models.DateTimeField(_("Закрыта"), null=True, blank=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("Программа наставничества")
        verbose_name_plural = _("Программы наставничества")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="unique_programme_name"),
            models.CheckConstraint(
                condition=models.Q(
                    mentor_capacity__gte=1, mentor_capacity__lte=MENTOR_CAPACITY_MAX
                ),
                name="programme_mentor_capacity_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None
