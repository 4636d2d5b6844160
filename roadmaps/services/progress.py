"""A school's progress on an activity: status, comment and evidence (file or link)."""

from __future__ import annotations

import filetype
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorship import audit
from mentorship.models import User
from roadmaps.models import Activity, ActivityStatus, RoadmapStatus

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
# Scans of signed orders and the documents themselves; checked by content, not by name.
ALLOWED_EVIDENCE = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/tiff": "tif",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/zip": "docx",  # a .docx is a zip; filetype reports it as such
}


def check_evidence(upload: UploadedFile) -> str:
    """Return a safe extension for the upload or raise a Russian ValidationError."""
    if upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError(
            {"evidence_file": _("Файл больше 10 МБ. Уменьшите скан или загрузите ссылку.")}
        )
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_EVIDENCE:
        raise ValidationError(
            {"evidence_file": _("Загрузите PDF, изображение (JPG, PNG, TIFF) или документ Word.")}
        )
    if kind.mime == "application/zip" and b"word/" not in upload.read(MAX_EVIDENCE_BYTES)[:65536]:
        upload.seek(0)
        raise ValidationError({"evidence_file": _("Архив не является документом Word.")})
    upload.seek(0)
    return ALLOWED_EVIDENCE[kind.mime]


@transaction.atomic
def activity_set_progress(
    *,
    actor: User,
    activity: Activity,
    status: str,
    comment: str = "",
    evidence_file: UploadedFile | None = None,
    evidence_url: str = "",
) -> Activity:
    if status not in (ActivityStatus.NOT_STARTED, ActivityStatus.IN_PROGRESS, ActivityStatus.DONE):
        raise ValidationError({"status": _("Неизвестный статус.")})
    if activity.roadmap.status == RoadmapStatus.ARCHIVED:
        raise ValidationError(_("Дорожная карта в архиве: отметки о выполнении закрыты."))
    if evidence_file is not None:
        extension = check_evidence(evidence_file)
        evidence_file.name = f"activity-{activity.pk}.{extension}"
        activity.evidence_file = evidence_file
    activity.evidence_url = evidence_url or activity.evidence_url
    if status != activity.status:
        activity.status_changed_at = timezone.now()
        activity.status_changed_by = actor
    activity.status = status
    activity.comment = comment
    activity.save()
    audit.record(
        actor=actor,
        organization=activity.organization,
        action="activity.progress",
        obj=activity,
        status=status,
        evidence=bool(evidence_file) or bool(evidence_url),
    )
    return activity
