"""Partner organisations: enterprises, universities and colleges that give mentors.

A municipality keeps its own list for all its schools; a school may add its own.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from mentorship.models import Organization
from mentorship.tenancy.scoping import TenantManager


class PartnerKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Предприятие")
    UNIVERSITY = "university", _("Вуз")
    COLLEGE = "college", _("Колледж (СПО)")
    OTHER = "other", _("Иная организация")


class PartnerOrganization(models.Model):
    """An enterprise, university or college that gives mentors, at municipality or school level."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("Вид"), max_length=20, choices=PartnerKind.choices)
    name = models.CharField(_("Наименование"), max_length=300)
    inn = models.CharField(_("ИНН"), max_length=12, blank=True)
    contact_person = models.CharField(_("Контактное лицо"), max_length=200, blank=True)
    phone = models.CharField(_("Телефон"), max_length=50, blank=True)
    email = models.EmailField(_("Электронная почта"), blank=True)
    agreement_number = models.CharField(_("Номер соглашения"), max_length=50, blank=True)
    agreement_date = models.DateField(_("Дата соглашения"), null=True, blank=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("Организация-партнёр")
        verbose_name_plural = _("Организации-партнёры")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
