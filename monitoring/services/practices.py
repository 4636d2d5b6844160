"""The bank of best practices: a school submits, its municipality's methodist reviews.

Every write is one transaction with the practice's row locked, an audit entry, and a
state check: a step that the practice's state does not allow (accepting a draft,
editing an accepted practice, passing a returned one to the region) is a `Conflict`
(409 in the API, a message on the page) — the state was most likely changed a moment
ago by someone else. Bad data is a ValidationError keyed by field (400).
"""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorship import audit
from mentorship.conflicts import Conflict, lock
from mentorship.files import check_evidence
from mentorship.models import Organization, User
from monitoring.models import (
    EDITABLE_STATUSES,
    MIN_YEAR,
    Practice,
    PracticeCategory,
    PracticeFile,
    PracticeStatus,
    Response,
)
from registry.models import MentoringForm

PRACTICE_FIELDS = ("title", "form", "category", "description", "results", "year")
MAX_FILES = 10
MAX_COMMENT = 5000


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """The practice's fields; `form` (a MentoringForm or its id) becomes `form_id`."""
    values = {k: v for k, v in data.items() if k in PRACTICE_FIELDS}
    values = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
    if "form" in values:
        form = values.pop("form")
        values["form_id"] = form.pk if isinstance(form, MentoringForm) else form
    return values


def _validate(practice: Practice) -> None:
    errors: dict[str, list[str]] = {}
    if not practice.title:
        errors["title"] = [_("Укажите название практики.")]
    if not practice.description:
        errors["description"] = [_("Опишите практику: что и как делают наставник и наставляемый.")]
    if not practice.results:
        errors["results"] = [_("Укажите результаты практики.")]
    if practice.category not in PracticeCategory.values:
        errors["category"] = [_("Выберите направление из списка.")]
    if not isinstance(practice.form_id, int) or not (
        MentoringForm.objects.filter(pk=practice.form_id).exists()
    ):
        errors["form"] = [_("Выберите форму наставничества из списка.")]
    this_year = timezone.localdate().year
    if not isinstance(practice.year, int) or not MIN_YEAR <= practice.year <= this_year:
        errors["year"] = [_("Год — от %(low)s до %(high)s.") % {"low": MIN_YEAR, "high": this_year}]
    try:
        practice.full_clean(
            exclude=["organization", "municipality", "form", "source_response", *errors]
        )
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _check_school(organization: Organization) -> None:
    if not organization.is_educational:
        raise ValidationError(
            _("Практику предлагает образовательная организация, а не муниципалитет или регион.")
        )


def _refresh_locked(practice: Practice) -> None:
    """Lock the row and read its state again: the check below sees the committed one."""
    lock(practice)
    practice.refresh_from_db()


def _attach(*, actor: User | None, practice: Practice, files: list[UploadedFile]) -> None:
    if not files:
        return
    if practice.files.count() + len(files) > MAX_FILES:
        raise ValidationError(
            {"files": [_("Не больше %(n)s файлов у практики.") % {"n": MAX_FILES}]}
        )
    for upload in files:
        try:
            extension = check_evidence(upload)
        except ValidationError as error:
            raise ValidationError({"files": error.messages}) from None
        original = (upload.name or "").rsplit("/", 1)[-1][:150] or _("Материал")
        stored = PracticeFile(
            organization=practice.organization, practice=practice, name=original, uploaded_by=actor
        )
        upload.name = f"practice-{practice.pk}.{extension}"
        stored.file = upload
        stored.save()


@transaction.atomic
def practice_create(
    *,
    actor: User | None,
    organization: Organization,
    files: list[UploadedFile] | None = None,
    source_response: Response | None = None,
    **data: Any,
) -> Practice:
    """A new draft of the school's practice (with its materials, if given)."""
    _check_school(organization)
    if source_response is not None and source_response.organization_id != organization.pk:
        raise ValidationError(_("Отчёт другой организации."))
    values = dict.fromkeys(("title", "category", "description", "results"), "") | _clean(data)
    practice = Practice(
        organization=organization,
        municipality=organization.municipality(),
        created_by=actor,
        source_response=source_response,
        **values,
    )
    _validate(practice)
    practice.save()
    _attach(actor=actor, practice=practice, files=list(files or ()))
    audit.record(actor=actor, organization=organization, action="practice.create", obj=practice)
    return practice


@transaction.atomic
def practice_update(
    *,
    actor: User | None,
    practice: Practice,
    files: list[UploadedFile] | None = None,
    **data: Any,
) -> Practice:
    """The school edits a draft or a returned practice; once submitted it waits."""
    _refresh_locked(practice)
    if practice.status not in EDITABLE_STATUSES:
        raise Conflict(
            _("Практика уже отправлена методисту: изменить её можно, только если её вернут.")
        )
    values = _clean(data)
    candidate = copy.copy(practice)
    for field, value in values.items():
        setattr(candidate, field, value)
    _validate(candidate)
    changed = [f for f, v in values.items() if getattr(practice, f) != v]
    for field, value in values.items():
        setattr(practice, field, value)
    practice.updated_at = timezone.now()
    practice.save()
    _attach(actor=actor, practice=practice, files=list(files or ()))
    audit.record(
        actor=actor,
        organization=practice.organization,
        action="practice.update",
        obj=practice,
        fields=changed,
        files=len(files or ()),
    )
    return practice


@transaction.atomic
def practice_file_delete(*, actor: User | None, practice_file: PracticeFile) -> None:
    practice = practice_file.practice
    _refresh_locked(practice)
    if practice.status not in EDITABLE_STATUSES:
        raise Conflict(_("Практика уже отправлена методисту: её материалы не меняются."))
    audit.record(
        actor=actor,
        organization=practice.organization,
        action="practice.file_delete",
        obj=practice,
        file=practice_file.name,
    )
    # The stored file goes on commit (monitoring/apps.py wires delete_files_with_rows).
    practice_file.delete()


@transaction.atomic
def practice_submit(*, actor: User | None, practice: Practice) -> Practice:
    """The school sends the draft (or the corrected returned practice) for review."""
    _refresh_locked(practice)
    if practice.status not in EDITABLE_STATUSES:
        raise Conflict(_("Практика уже отправлена на рассмотрение или принята."))
    if practice.municipality_id is None:
        municipality = practice.organization.municipality()
        if municipality is None:
            raise ValidationError(
                _("Школа не входит в муниципалитет: рассмотреть практику некому.")
            )
        practice.municipality = municipality
    practice.status = PracticeStatus.SUBMITTED
    practice.submitted_at = timezone.now()
    practice.save()
    audit.record(
        actor=actor, organization=practice.organization, action="practice.submit", obj=practice
    )
    return practice


@transaction.atomic
def practice_accept(*, actor: User | None, practice: Practice, comment: str = "") -> Practice:
    """The methodist takes the practice into the municipal bank."""
    _refresh_locked(practice)
    if practice.status != PracticeStatus.SUBMITTED:
        raise Conflict(_("Принять можно только практику, отправленную на рассмотрение."))
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise ValidationError({"comment": [_("Комментарий слишком длинный.")]})
    practice.status = PracticeStatus.ACCEPTED
    practice.review_comment = comment
    practice.reviewed_at, practice.reviewed_by = timezone.now(), actor
    practice.save()
    audit.record(
        actor=actor, organization=practice.organization, action="practice.accept", obj=practice
    )
    return practice


@transaction.atomic
def practice_return(*, actor: User | None, practice: Practice, comment: str) -> Practice:
    """The methodist sends the practice back with what to correct; the school edits it
    and submits again."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": [_("Напишите, что доработать: школа увидит замечания.")]})
    if len(comment) > MAX_COMMENT:
        raise ValidationError({"comment": [_("Комментарий слишком длинный.")]})
    _refresh_locked(practice)
    if practice.status != PracticeStatus.SUBMITTED:
        raise Conflict(_("Вернуть можно только практику, отправленную на рассмотрение."))
    practice.status = PracticeStatus.RETURNED
    practice.review_comment = comment
    practice.reviewed_at, practice.reviewed_by = timezone.now(), actor
    practice.save()
    audit.record(
        actor=actor, organization=practice.organization, action="practice.return", obj=practice
    )
    return practice


@transaction.atomic
def practice_pass_to_region(*, actor: User | None, practice: Practice) -> Practice:
    """The methodist passes an accepted practice to the regional bank (once)."""
    _refresh_locked(practice)
    if practice.status != PracticeStatus.ACCEPTED:
        raise Conflict(_("В региональный банк передаётся только принятая практика."))
    if practice.passed_to_region_at is not None:
        raise Conflict(_("Практика уже передана в региональный банк."))
    practice.passed_to_region_at, practice.passed_to_region_by = timezone.now(), actor
    practice.save()
    audit.record(
        actor=actor,
        organization=practice.organization,
        action="practice.pass_to_region",
        obj=practice,
    )
    return practice
