"""Programmes of a school and the forms of mentoring they run."""

from __future__ import annotations

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


class Programme(models.Model):
    """A school's mentoring programme, e.g. «Билет в будущее»."""

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

    objects = TenantManager()

    class Meta:
        verbose_name = _("Программа наставничества")
        verbose_name_plural = _("Программы наставничества")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="unique_programme_name")
        ]

    def __str__(self) -> str:
        return self.name
