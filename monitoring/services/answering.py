"""The public answer page's reads and its one write, kept lean: it must take hundreds of
submissions a second on two cores.

A submission costs one fixed query for the link (monitoring/services/links.py), none for
the questions (cached per process by questionnaire id and `updated_at`, which every
builder change bumps), and one write statement (monitoring/services/submission.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from mentorship.models import Organization
from mentorship.tenancy.scoping import tenant_scope
from monitoring.models import (
    SCALE_MAX,
    Answer,
    Question,
    QuestionKind,
    Questionnaire,
    Section,
)
from monitoring.services.links import Link, QuestionnaireInfo
from monitoring.services.submission import response_save

__all__ = ["response_save"]

TEXT_LIMIT = 5000


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


def form_spec(questionnaire: Questionnaire | QuestionnaireInfo) -> tuple[SectionSpec, ...]:
    """The questionnaire's sections and questions, cached per process until it changes."""
    key = (questionnaire.pk, questionnaire.updated_at)
    spec = _FORMS.get(key)
    if spec is None:
        sections: dict[int, tuple[str, list[QuestionSpec]]] = {}
        for section in Section.objects.filter(questionnaire_id=questionnaire.pk):
            sections[section.pk] = (section.title, [])
        for q in Question.objects.filter(questionnaire_id=questionnaire.pk).order_by(
            "position", "pk"
        ):
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


def saved_answers(link: Link, spec: tuple[SectionSpec, ...]) -> dict[str, object]:
    """The stored answers as form values, to show them again when the link is reopened."""
    fields = {q.id: q.field for s in spec for q in s.questions}
    values: dict[str, object] = {}
    with tenant_scope(Organization(pk=link.organization_id)):
        rows = Answer.objects.filter(response__invitation_id=link.pk).values_list(
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
