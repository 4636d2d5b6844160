"""Consents to personal-data processing under Federal Law 152-ФЗ."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorship.models import Organization
from mentorship.tenancy.scoping import TenantManager
from registry.models.people import Participant


class ConsentGiver(models.TextChoices):
    SELF = "self", _("Сам участник")
    PARENT = "parent", _("Родитель")
    GUARDIAN = "guardian", _("Законный представитель (опекун, попечитель)")


class ConsentPurpose(models.TextChoices):
    PROGRAMME = "programme", _("Участие в программе наставничества")
    MENTOR_BASE = "mentor_base", _("Включение в муниципальную базу наставников")
    PUBLICATION = "publication", _("Публикация фотографий и результатов")


class ConsentState(models.TextChoices):
    """The participant's standing at a glance (cached on Participant.consent_state)."""

    VALID = "valid", _("Согласие есть")
    MISSING = "missing", _("Нужно согласие")
    INVALID = "invalid", _("Согласие недействительно")
    EXPIRED = "expired", _("Срок согласия истёк")
    WITHDRAWN = "withdrawn", _("Согласие отозвано")


class Consent(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="consents")
    given_by = models.CharField(_("Кто дал согласие"), max_length=20, choices=ConsentGiver.choices)
    giver_name = models.CharField(_("ФИО давшего согласие"), max_length=300, blank=True)
    giver_relation = models.CharField(_("Кем приходится"), max_length=100, blank=True)
    giver_contact = models.CharField(
        _("Телефон или эл. почта давшего согласие"), max_length=200, blank=True
    )
    given_on = models.DateField(_("Дата согласия"))
    purposes = models.JSONField(_("Цели обработки"), default=list)
    valid_until = models.DateField(_("Действует до"), null=True, blank=True)
    # A signed paper form kept at school, or one given electronically (Госуслуги, e-mail).
    on_paper = models.BooleanField(_("Подписано на бумаге"), default=True)
    scan = models.FileField(_("Скан согласия"), upload_to="consents/%Y/", blank=True)
    withdrawn_on = models.DateField(_("Дата отзыва"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("Причина отзыва"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("Согласие на обработку персональных данных")
        verbose_name_plural = _("Согласия на обработку персональных данных")
        ordering = ["-given_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.participant} — {self.given_on:%d.%m.%Y}"

    def state(self, on: date | None = None) -> str:
        """VALID only if given by the right person, in force on `on` and not withdrawn.

        A consent recorded as given personally by someone under 18 is not valid: a
        minor's data are processed on a parent's or guardian's consent.
        """
        on = on or timezone.localdate()
        if self.withdrawn_on and self.withdrawn_on <= on:
            return ConsentState.WITHDRAWN
        if self.given_by == ConsentGiver.SELF and self.participant.is_minor(self.given_on):
            return ConsentState.INVALID
        if ConsentPurpose.PROGRAMME not in self.purposes or self.given_on > on:
            return ConsentState.INVALID
        if self.valid_until and self.valid_until < on:
            return ConsentState.EXPIRED
        return ConsentState.VALID

    def covers(self, purpose: str, on: date | None = None) -> bool:
        return self.state(on) == ConsentState.VALID and purpose in self.purposes
