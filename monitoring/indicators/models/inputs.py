"""Contingents (the denominators the registry does not hold) and targets per year."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mentorship.models import Organization
from mentorship.tenancy.scoping import TenantManager
from monitoring.indicators.definitions import Contingent as Field
from monitoring.indicators.definitions import Indicator


def _count(label) -> models.PositiveIntegerField:
    # None means "not entered": a share over it is never computed (never 0 % or 100 %).
    return models.PositiveIntegerField(label, null=True, blank=True)


class Contingent(models.Model):
    """An organisation's counts for a year: a school its pupils and teachers, a
    municipality the enterprises (and college students) of its territory."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("Год"))
    pupils_10_19 = _count(Field.PUPILS_10_19.label)
    pupils_15_19 = _count(Field.PUPILS_15_19.label)
    college_students = _count(Field.COLLEGE_STUDENTS.label)
    young_specialists = _count(Field.YOUNG_SPECIALISTS.label)
    young_teachers = _count(Field.YOUNG_TEACHERS.label)
    enterprises = _count(Field.ENTERPRISES.label)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = TenantManager()

    class Meta:
        verbose_name = _("Контингент")
        verbose_name_plural = _("Контингенты")
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="one_contingent_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.year}"


class Target(models.Model):
    """A target share (%) of an indicator for a year.

    Rows without an organisation are the global defaults (the target model's table,
    written by migration 0002); a municipality or a region overrides them with its own.
    """

    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    indicator = models.CharField(_("Показатель"), max_length=30, choices=Indicator.choices)
    year = models.PositiveSmallIntegerField(_("Год"))
    percent = models.DecimalField(
        _("Целевое значение, %"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # The scoped manager hides the global rows (no organisation) from tenant queries;
    # they are read by the named selector `unscoped_targets` next to the overrides.
    objects = TenantManager()

    class Meta:
        verbose_name = _("Целевое значение")
        verbose_name_plural = _("Целевые значения")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "indicator", "year"],
                condition=models.Q(organization__isnull=False),
                name="one_target_per_org",
            ),
            models.UniqueConstraint(
                fields=["indicator", "year"],
                condition=models.Q(organization__isnull=True),
                name="one_global_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}: {self.percent}"
