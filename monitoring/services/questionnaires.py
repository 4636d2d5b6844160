"""The questionnaire builder's writes, and versioning.

A questionnaire that has any response is frozen: the first change to it copies it into
a new version (same family, version + 1) and applies the change there, so old responses
stay attached to the questions they answered. Campaigns keep the version they were
started with: a questionnaire changing under a running campaign would make its answers
incomparable.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorship import audit
from mentorship.conflicts import Conflict, conflicts, lock
from mentorship.models import Organization, User
from mentorship.tenancy.scoping import unscoped_reads
from monitoring.models import CHOICE_KINDS, Question, Questionnaire, Response, Section


class Edit:
    """The questionnaire a change lands on, and where the old ids went if it was copied."""

    def __init__(self, questionnaire: Questionnaire, sections: dict, questions: dict) -> None:
        self.questionnaire = questionnaire
        self.sections = sections
        self.questions = questions

    def section(self, section_id: int | str) -> Section:
        try:
            section_id = int(section_id)
            return Section.objects.get(
                pk=self.sections.get(section_id, section_id), questionnaire=self.questionnaire
            )
        except (Section.DoesNotExist, ValueError, TypeError):
            raise ValidationError(_("Раздел не найден.")) from None

    def question(self, question_id: int | str) -> Question:
        try:
            question_id = int(question_id)
            return Question.objects.get(
                pk=self.questions.get(question_id, question_id), questionnaire=self.questionnaire
            )
        except (Question.DoesNotExist, ValueError, TypeError):
            raise ValidationError(_("Вопрос не найден.")) from None


def is_answered(questionnaire: Questionnaire) -> bool:
    # Responses live in the schools' scopes; whether any exists is not personal data.
    with unscoped_reads():
        return Response.objects.filter(questionnaire=questionnaire).exists()


@transaction.atomic
def questionnaire_create(
    *,
    actor: User,
    organization: Organization,
    title: str,
    kind: str,
    audience: str,
    description: str = "",
) -> Questionnaire:
    title = _free_title(organization, title)
    with conflicts():
        questionnaire = Questionnaire.objects.create(
            organization=organization,
            title=title,
            kind=kind,
            audience=audience,
            description=description.strip(),
            family=uuid.uuid4(),
        )
    Section.objects.create(questionnaire=questionnaire, title=_("Основной раздел"), position=0)
    audit.record(
        actor=actor, organization=organization, action="questionnaire.create", obj=questionnaire
    )
    return questionnaire


def _free_title(
    organization: Organization, title: str, *, keep: Questionnaire | None = None
) -> str:
    """The title, if no other current questionnaire of the organisation has it.

    Locks the organisation's row first: two identical creates at once (a double click)
    run one after the other and the second is refused (409), not written twice."""
    lock(organization)
    title = title.strip()
    taken = Questionnaire.objects.filter(
        organization=organization, is_current=True, title__iexact=title
    )
    if keep is not None:
        taken = taken.exclude(family=keep.family)
    if taken.exists():
        raise Conflict(
            _("Анкета «%(title)s» уже есть: выберите другое название.") % {"title": title}
        )
    return title


def _copy_into(source: Questionnaire, target: Questionnaire) -> tuple[dict, dict]:
    section_map: dict[int, int] = {}
    question_map: dict[int, int] = {}
    for section in source.sections.all():
        copy = Section.objects.create(
            questionnaire=target, title=section.title, position=section.position
        )
        section_map[section.pk] = copy.pk
    questions = list(source.questions.all())
    copies = Question.objects.bulk_create(
        Question(
            questionnaire=target,
            section_id=section_map[q.section_id],
            position=q.position,
            code=q.code,
            text=q.text,
            help_text=q.help_text,
            kind=q.kind,
            options=q.options,
            required=q.required,
        )
        for q in questions
    )
    for old, new in zip(questions, copies, strict=True):
        question_map[old.pk] = new.pk
    return section_map, question_map


@transaction.atomic
def questionnaire_copy(
    *, actor: User, source: Questionnaire, organization: Organization
) -> Questionnaire:
    """A new questionnaire of `organization` from any available one (e.g. a standard one)."""
    title = _free_title(organization, source.title)
    with conflicts():
        copy = Questionnaire.objects.create(
            organization=organization,
            title=title,
            description=source.description,
            kind=source.kind,
            audience=source.audience,
            family=uuid.uuid4(),
        )
    _copy_into(source, copy)
    audit.record(
        actor=actor,
        organization=organization,
        action="questionnaire.copy",
        obj=copy,
        source=source.pk,
    )
    return copy


def editable(*, actor: User, questionnaire: Questionnaire) -> Edit:
    """The version a change may be written to: this one, or a new copy if it is answered.

    Call inside the change's transaction; the row lock makes two editors of an answered
    questionnaire create one new version, not two.
    """
    if questionnaire.is_standard:
        raise ValidationError(_("Стандартную анкету нельзя изменить: сделайте свою копию."))
    locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if not locked.is_current:
        raise ValidationError(_("Это старая версия анкеты: откройте текущую."))
    if not is_answered(locked):
        locked.updated_at = timezone.now()
        locked.save(update_fields=["updated_at"])
        return Edit(locked, {}, {})
    latest = Questionnaire.objects.filter(family=locked.family).aggregate(v=Max("version"))["v"]
    # The old version steps down first: one current version per family, one per title.
    locked.is_current = False
    locked.save(update_fields=["is_current"])
    new = Questionnaire.objects.create(
        organization=locked.organization,
        title=locked.title,
        description=locked.description,
        kind=locked.kind,
        audience=locked.audience,
        family=locked.family,
        version=latest + 1,
    )
    sections, questions = _copy_into(locked, new)
    audit.record(
        actor=actor,
        organization=locked.organization,
        action="questionnaire.version",
        obj=new,
        previous=locked.pk,
    )
    return Edit(new, sections, questions)


def _renumber(items) -> None:
    for position, item in enumerate(items):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])


def _move(items: list, item, direction: str) -> None:
    index = next(i for i, x in enumerate(items) if x.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
    _renumber(items)


@transaction.atomic
def questionnaire_update(*, actor: User, questionnaire: Questionnaire, **fields) -> Questionnaire:
    edit = editable(actor=actor, questionnaire=questionnaire)
    target = edit.questionnaire
    if "title" in fields and target.organization is not None:
        fields["title"] = _free_title(target.organization, fields["title"], keep=target)
    for name in ("title", "description", "kind", "audience"):
        if name in fields:
            setattr(
                target,
                name,
                fields[name].strip() if isinstance(fields[name], str) else fields[name],
            )
    target.save()
    return target


@transaction.atomic
def section_add(*, actor: User, questionnaire: Questionnaire, title: str) -> Questionnaire:
    target = editable(actor=actor, questionnaire=questionnaire).questionnaire
    position = target.sections.count()
    Section.objects.create(questionnaire=target, title=title.strip(), position=position)
    return target


@transaction.atomic
def section_change(
    *, actor: User, questionnaire: Questionnaire, section_id: int, op: str, title: str = ""
) -> Questionnaire:
    """Rename, delete, or move a section up or down."""
    edit = editable(actor=actor, questionnaire=questionnaire)
    section = edit.section(section_id)
    sections = list(edit.questionnaire.sections.all())
    if op == "rename":
        section.title = title.strip() or section.title
        section.save(update_fields=["title"])
    elif op == "delete":
        if len(sections) == 1:
            raise ValidationError(_("В анкете должен остаться хотя бы один раздел."))
        section.delete()
        _renumber(list(edit.questionnaire.sections.all()))
    elif op in ("up", "down"):
        _move(sections, section, op)
    return edit.questionnaire


def clean_question(
    questionnaire: Questionnaire, data: dict, *, exclude_id: int | None = None
) -> dict:
    """Validate a question's fields; returns them cleaned, or raises in Russian."""
    kind = data["kind"]
    options = [o.strip() for o in data.get("options") or [] if o and o.strip()]
    errors: dict[str, list[str]] = {}
    if kind in CHOICE_KINDS:
        if len(options) < 2:
            errors["options"] = [_("Укажите хотя бы два варианта ответа, каждый с новой строки.")]
        elif len(set(options)) != len(options):
            errors["options"] = [_("Варианты ответа повторяются.")]
    else:
        options = []
    code = (data.get("code") or "").strip()
    taken = set(questionnaire.questions.exclude(pk=exclude_id).values_list("code", flat=True))
    if not code:
        n = len(taken) + 1
        while f"q{n}" in taken:
            n += 1
        code = f"q{n}"
    elif code in taken:
        errors["code"] = [_("Вопрос с таким кодом в анкете уже есть.")]
    if not (data.get("text") or "").strip():
        errors["text"] = [_("Напишите текст вопроса.")]
    if errors:
        raise ValidationError(errors)
    return {
        "code": code,
        "text": data["text"].strip(),
        "help_text": (data.get("help_text") or "").strip(),
        "kind": kind,
        "options": options,
        "required": bool(data.get("required")),
    }


@transaction.atomic
def question_add(
    *, actor: User, questionnaire: Questionnaire, section_id: int, data: dict
) -> Questionnaire:
    edit = editable(actor=actor, questionnaire=questionnaire)
    section = edit.section(section_id)
    fields = clean_question(edit.questionnaire, data)
    Question.objects.create(
        questionnaire=edit.questionnaire,
        section=section,
        position=section.questions.count(),
        **fields,
    )
    return edit.questionnaire


@transaction.atomic
def question_change(
    *,
    actor: User,
    questionnaire: Questionnaire,
    question_id: int,
    op: str,
    data: dict | None = None,
) -> Questionnaire:
    """Edit, delete, or move a question up or down within its section."""
    edit = editable(actor=actor, questionnaire=questionnaire)
    question = edit.question(question_id)
    siblings = list(question.section.questions.all())
    if op == "edit":
        fields = clean_question(edit.questionnaire, data or {}, exclude_id=question.pk)
        for name, value in fields.items():
            setattr(question, name, value)
        question.save()
    elif op == "delete":
        question.delete()
        _renumber([q for q in siblings if q.pk != question.pk])
    elif op in ("up", "down"):
        _move(siblings, question, op)
    return edit.questionnaire
