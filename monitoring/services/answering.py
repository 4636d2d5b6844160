"""The public answer page's reads and its one write, kept lean: it must take hundreds of
submissions a second on two cores.

A submission costs one query for the invitation (with its campaign, questionnaire,
school and participant joined), none for the questions (cached per process by
questionnaire id and `updated_at`, which every builder change bumps), and one
transaction of four or five statements: lock the invitation, insert or update the
response, (delete the old answers,) insert all answers in one statement.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorship.tenancy.scoping import tenant_scope, unscoped_reads
from monitoring.models import (
    SCALE_MAX,
    Answer,
    Invitation,
    QuestionKind,
    Questionnaire,
    Response,
)
from registry.models import ConsentState

TEXT_LIMIT = 5000
TOKEN_MAX = 64


class LinkState(Enum):
    OK = "ok"
    NOT_FOUND = "not_found"  # forged or mistyped: 404, says nothing about existence
    REVOKED = "revoked"  # consent withdrawn or the curator revoked it: 410
    CLOSED = "closed"  # the campaign was ended early: 410
    EXPIRED = "expired"  # past the campaign's end date: 410
    NOT_STARTED = "not_started"  # before the start date: 403


def find_invitation(token: str) -> Invitation | None:
    """The invitation of a token, with what the page shows; the token is the credential,
    so the read is unscoped and the row's school is taken from the row itself."""
    if not token or len(token) > TOKEN_MAX:
        return None
    with unscoped_reads():
        return (
            Invitation.objects.select_related(
                "campaign", "questionnaire", "organization", "participant"
            )
            .filter(token=token)
            .first()
        )


def link_state(invitation: Invitation | None, today: date | None = None) -> LinkState:
    if invitation is None:
        return LinkState.NOT_FOUND
    person = invitation.participant
    if (
        invitation.revoked_at is not None
        or person.consent_state != ConsentState.VALID
        or person.depersonalized_at is not None
    ):
        return LinkState.REVOKED
    campaign = invitation.campaign
    today = today or timezone.localdate()
    if campaign.closed_at is not None:
        return LinkState.CLOSED
    if today > campaign.ends_on:
        return LinkState.EXPIRED
    if today < campaign.starts_on:
        return LinkState.NOT_STARTED
    return LinkState.OK


@dataclass(frozen=True)
class QuestionSpec:
    id: int
    code: str
    text: str
    help_text: str
    kind: str
    options: tuple[str, ...]
    required: bool

    @property
    def field(self) -> str:
        return f"q{self.id}"

    @property
    def scale(self) -> range:
        return range(1, SCALE_MAX.get(self.kind, 0) + 1)


@dataclass(frozen=True)
class SectionSpec:
    title: str
    questions: tuple[QuestionSpec, ...]


_FORMS: dict[tuple[int, object], tuple[SectionSpec, ...]] = {}
_FORMS_MAX = 256


def form_spec(questionnaire: Questionnaire) -> tuple[SectionSpec, ...]:
    """The questionnaire's sections and questions, cached per process until it changes."""
    key = (questionnaire.pk, questionnaire.updated_at)
    spec = _FORMS.get(key)
    if spec is None:
        sections: dict[int, tuple[str, list[QuestionSpec]]] = {}
        for section in questionnaire.sections.all():
            sections[section.pk] = (section.title, [])
        for q in questionnaire.questions.order_by("position", "pk"):
            sections[q.section_id][1].append(
                QuestionSpec(
                    q.pk, q.code, q.text, q.help_text, q.kind, tuple(q.options), q.required
                )
            )
        spec = tuple(SectionSpec(title, tuple(qs)) for title, qs in sections.values() if qs)
        if len(_FORMS) >= _FORMS_MAX:
            _FORMS.clear()
        _FORMS[key] = spec
    return spec


def form_rows(spec: tuple[SectionSpec, ...], values: dict, errors: dict) -> list[dict]:
    """Sections with each question's current value and error, ready for the template."""
    rows = []
    number = 0
    for section in spec:
        questions = []
        for q in section.questions:
            number += 1
            value = values.get(q.field, "")
            selected = {str(v) for v in value} if isinstance(value, list) else {str(value)}
            questions.append(
                {
                    "q": q,
                    "number": number,
                    "value": value if isinstance(value, str) else "",
                    "selected": selected,
                    "error": errors.get(q.field, ""),
                }
            )
        rows.append({"title": section.title, "questions": questions})
    return rows


@dataclass
class Parsed:
    """Cleaned answers by question id: (value, choices, text); errors by field name."""

    answers: dict[int, tuple[int | None, list[int] | None, str]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    raw: dict[str, object] = field(default_factory=dict)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def parse(spec: tuple[SectionSpec, ...], data) -> Parsed:
    """Validate the POST against the questions; Russian messages per question."""
    result = Parsed()
    for section in spec:
        for q in section.questions:
            name = q.field
            if q.kind == QuestionKind.MULTIPLE:
                raw = data.getlist(name)
                result.raw[name] = raw
                picked = sorted({_int(v) for v in raw} - {None})
                if len(picked) != len(raw) or any(not 0 <= i < len(q.options) for i in picked):
                    result.errors[name] = _("Выберите варианты из списка.")
                elif picked:
                    result.answers[q.id] = (None, picked, "")
                elif q.required:
                    result.errors[name] = _("Отметьте хотя бы один вариант.")
                continue
            raw = (data.get(name) or "").strip()
            result.raw[name] = raw
            if not raw:
                if q.required:
                    result.errors[name] = _("Ответьте, пожалуйста, на этот вопрос.")
                continue
            if q.kind == QuestionKind.TEXT:
                if len(raw) > TEXT_LIMIT:
                    result.errors[name] = _("Ответ слишком длинный: не больше %(n)s знаков.") % {
                        "n": TEXT_LIMIT
                    }
                else:
                    result.answers[q.id] = (None, None, raw)
                continue
            number = _int(raw)
            if q.kind in SCALE_MAX:
                ok = number is not None and 1 <= number <= SCALE_MAX[q.kind]
                message = _("Выберите оценку от 1 до %(n)s.") % {"n": SCALE_MAX[q.kind]}
            elif q.kind == QuestionKind.YES_NO:
                ok, message = number in (0, 1), _("Выберите «да» или «нет».")
            else:  # single choice: the option's index
                ok = number is not None and 0 <= number < len(q.options)
                message = _("Выберите один из вариантов.")
            if ok:
                result.answers[q.id] = (number, None, "")
            else:
                result.errors[name] = message
    return result


def saved_answers(invitation: Invitation, spec: tuple[SectionSpec, ...]) -> dict[str, object]:
    """The stored answers as form values, to show them again when the link is reopened."""
    fields = {q.id: q.field for s in spec for q in s.questions}
    values: dict[str, object] = {}
    with tenant_scope(invitation.organization):
        rows = Answer.objects.filter(response__invitation=invitation).values_list(
            "question_id", "value", "choices", "text"
        )
        for question_id, value, choices, text in rows:
            name = fields.get(question_id)
            if name is None:
                continue
            if choices is not None:
                values[name] = [str(i) for i in choices]
            elif value is not None:
                values[name] = str(value)
            else:
                values[name] = text
    return values


def response_save(invitation: Invitation, parsed: Parsed) -> Response:
    """Store the one response of this invitation, replacing the answers of an earlier one."""
    now = timezone.now()
    with tenant_scope(invitation.organization), transaction.atomic():
        # The lock makes a double-tapped submit wait for the first and then update it.
        first_time = (
            Invitation.objects.select_for_update()
            .filter(pk=invitation.pk)
            .values_list("responded_at", flat=True)
            .get()
            is None
        )
        response = None
        if not first_time:
            response = Response.objects.filter(invitation_id=invitation.pk).first()
        if response is None:
            response = Response.objects.create(
                organization_id=invitation.organization_id,
                invitation_id=invitation.pk,
                campaign_id=invitation.campaign_id,
                questionnaire_id=invitation.questionnaire_id,
                participant_id=invitation.participant_id,
                role=invitation.role,
                submitted_at=now,
                updated_at=now,
            )
            Invitation.objects.filter(pk=invitation.pk).update(responded_at=now)
        else:
            Answer.objects.filter(response=response).delete()
            Response.objects.filter(pk=response.pk).update(updated_at=now)
        Answer.objects.bulk_create(
            Answer(
                organization_id=invitation.organization_id,
                response_id=response.pk,
                question_id=question_id,
                campaign_id=invitation.campaign_id,
                value=value,
                choices=choices,
                text=text,
            )
            for question_id, (value, choices, text) in parsed.answers.items()
        )
    return response
