"""The document row and the per-organisation number register.

The pipeline around them (kinds, rendering, services, views, the task) is
mentorship/documents/; the rows live here with the other core models.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .managers import TenantManager
from .organizations import Organization


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("В очереди")
    RENDERING = "rendering", _("Формируется…")
    READY = "ready", _("Готов")
    FAILED = "failed", _("Ошибка")


def document_upload_to(instance: Document, filename: str) -> str:
    # One folder per organisation keeps backups and clean-ups per tenant simple.
    return f"documents/{instance.organization.slug}/{filename}"


class Document(models.Model):
    """A generated document: a row (kind, organisation, number, date, status) plus a PDF
    and, for the kinds people edit before signing, the same text as .docx."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("Организация"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    kind = models.CharField(_("Вид документа"), max_length=50)
    title = models.CharField(_("Заголовок"), max_length=500)
    number = models.CharField(_("Номер"), max_length=30, blank=True)
    date = models.DateField(_("Дата"), default=timezone.localdate)
    # Numbers restart every calendar year, so the year belongs to the document's identity;
    # kept as a column (not an expression) so the unique constraint stays portable.
    year = models.PositiveSmallIntegerField(_("Год"), editable=False)
    status = models.CharField(
        _("Состояние"),
        max_length=20,
        choices=DocumentStatus.choices,
        default=DocumentStatus.PENDING,
    )
    error = models.TextField(_("Ошибка"), blank=True)
    params = models.JSONField(_("Параметры"), default=dict, blank=True)
    file = models.FileField(_("Файл"), upload_to=document_upload_to, max_length=300, blank=True)
    # The same text as an editable .docx, for kinds people edit before signing (orders,
    # regulations, letters: `DocumentKind.has_word`); written by the same render.
    word_file = models.FileField(
        _("Файл Word"), upload_to=document_upload_to, max_length=300, blank=True
    )
    # Bumped by every (re)generation request: a render that started on an older revision
    # must not overwrite the newer one's file when it finishes late.
    revision = models.PositiveIntegerField(default=0, editable=False)
    # While «rendering»: until when the render's worker may hold the document (its task's
    # hard time limit and a margin). Past it the worker is gone (killed, lost, timed out
    # hard) and the documents' sweep queues the render again.
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    # Renders started for this revision: the sweep gives up after a few, so a document
    # that kills its worker every time ends «failed» instead of looping.
    attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Кто заказал"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("Создан"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Изменён"), auto_now=True)
    rendered_at = models.DateTimeField(_("Сформирован"), null=True, blank=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("Документ")
        verbose_name_plural = _("Документы")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "year", "number"],
                condition=~Q(number=""),
                name="unique_document_number_per_year",
            ),
            # One unfinished document per request: two clicks on «issue the order» for the
            # same pairs make one numbered order, not two.
            models.UniqueConstraint(
                fields=["organization", "kind", "params"],
                condition=Q(status__in=["pending", "rendering"]),
                name="one_unfinished_document",
                violation_error_message=_(
                    "Такой документ уже формируется: дождитесь его — он появится в списке "
                    "документов."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "-created_at"]),
            # The sweep's question, every few minutes: which renders are unfinished.
            models.Index(
                fields=["updated_at"],
                condition=Q(status__in=["pending", "rendering"]),
                name="document_unfinished",
            ),
        ]

    def __str__(self) -> str:
        if self.number:
            return f"{self.title} № {self.number} от {self.date:%d.%m.%Y}"
        return f"{self.title} от {self.date:%d.%m.%Y}"

    def save(self, *args, **kwargs) -> None:
        self.year = self.date.year
        super().save(*args, **kwargs)

    @property
    def is_busy(self) -> bool:
        return self.status in (DocumentStatus.PENDING, DocumentStatus.RENDERING)

    def is_stuck(self, now: datetime.datetime, pending_grace: datetime.timedelta) -> bool:
        """Its render's worker is gone: «rendering» past the lease, or queued for longer
        than any live queue or retry takes (the message was lost)."""
        if self.status == DocumentStatus.RENDERING:
            return self.lease_until is not None and self.lease_until < now
        if self.status == DocumentStatus.PENDING:
            return self.updated_at < now - pending_grace
        return False

    @property
    def is_ready(self) -> bool:
        return self.status == DocumentStatus.READY and bool(self.file)

    @property
    def has_word(self) -> bool:
        return self.is_ready and bool(self.word_file)


class DocumentCounter(models.Model):
    """The last number issued per organisation, kind and year: the row callers lock."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=50)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    objects = TenantManager()

    class Meta:
        verbose_name = _("Счётчик номеров документов")
        verbose_name_plural = _("Счётчики номеров документов")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "year"], name="unique_document_counter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.kind} {self.year}: {self.last_number}"
