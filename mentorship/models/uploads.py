"""An upload waiting for its confirmation: the rows a preview showed, not the file.

A bulk start is read, checked and shown row by row; the person then confirms. Between
the two requests the parsed rows wait here, in the database every web node shares (not
on one node's disk), bound to the person and the organisation, for an hour.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .managers import TenantManager
from .organizations import Organization


class PendingUpload(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="pending_uploads"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # What the rows are for, e.g. "bulk_start"; the token names the preview in its URL.
    purpose = models.CharField(max_length=40)
    token = models.CharField(max_length=64, unique=True)
    filename = models.CharField(max_length=200, blank=True)
    rows = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("Загруженный список")
        verbose_name_plural = _("Загруженные списки")

    def __str__(self) -> str:
        return f"{self.purpose} {self.filename}"
