"""The audit log: who did what, when, in which organisation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .organizations import Organization


class AuditEntry(models.Model):
    """Who did what, when, in which organisation, to which object.

    Written by services for every change to personal data and every document download;
    never edited. Kept apart from the objects so it outlives their depersonalisation.
    """

    at = models.DateTimeField(_("Когда"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Кто"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("Кто (как записано)"), max_length=300, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("Организация"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("Действие"), max_length=60, db_index=True)
    object_type = models.CharField(_("Тип объекта"), max_length=100, blank=True)
    object_id = models.CharField(_("Идентификатор объекта"), max_length=64, blank=True)
    object_repr = models.CharField(_("Объект"), max_length=300, blank=True)
    details = models.JSONField(_("Подробности"), default=dict, blank=True)

    class Meta:
        verbose_name = _("Запись журнала аудита")
        verbose_name_plural = _("Журнал аудита")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            # An organisation's journal, newest first (the audit page and its pages):
            # without it PostgreSQL walks the whole `at` index and filters.
            models.Index(fields=["organization", "-at"], name="audit_org_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.actor_label} {self.action} {self.object_repr}"
