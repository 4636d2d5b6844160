"""A school's progress on an activity: status, comment and evidence (file or link)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorship import audit
from mentorship.conflicts import lock
from mentorship.files import check_evidence
from mentorship.models import User
from mentorship.stored_files import replace_file
from roadmaps.models import Activity, ActivityStatus, RoadmapStatus


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
    # Two marks at once: one after the other, and the file either replaced stays current.
    lock(activity)
    activity.evidence_file.name = (
        Activity.objects.values_list("evidence_file", flat=True).get(pk=activity.pk) or ""
    )
    if evidence_file is not None:
        extension = check_evidence(evidence_file)
        evidence_file.name = f"activity-{activity.pk}.{extension}"
        # The previous scan is deleted once this commits: replaced, not left on disk.
        replace_file(activity, "evidence_file", evidence_file)
    activity.evidence_url = evidence_url or activity.evidence_url
    if status != activity.status:
        activity.status_changed_at = timezone.now()
        activity.status_changed_by = actor
        # A person's mark replaces the portal's: «отмечено автоматически» no longer holds.
        activity.auto_done_at, activity.auto_note = None, ""
        activity.auto_url = activity.auto_url_rule = ""
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
