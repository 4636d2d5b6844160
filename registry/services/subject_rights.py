"""The data subject's rights under 152-ФЗ (art. 14, 20): who saw my data, what is stored.

A person (or a pupil's parent) may ask the school what it stores about them and who
had access; the answer is due within 10 working days. The curator answers from two
pages: the access log (audit entries of the person) and the export of everything
stored, as JSON and as a readable page. Both are themselves processing of personal
data, so both are audited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentorship import audit
from mentorship.models import AuditEntry, Organization, User
from registry.models import ASSESSMENT_PARAMETERS, ConsentPurpose, ConsentState, Participant
from registry.selectors.school import TrainingRecord, unscoped_training_history

# Art. 20 part 1 of 152-ФЗ (as amended in 2022): ten working days from the request.
RESPONSE_WORKING_DAYS = 10

# Non-working public holidays of the Labour Code, art. 112 (month, day). The yearly
# transfers of days off are set by a government decree each autumn and are not known
# here: the computed date is a safe reading of the law, to be checked against the
# production calendar in years when a holiday is moved.
PUBLIC_HOLIDAYS = {
    (1, 1),
    (1, 2),
    (1, 3),
    (1, 4),
    (1, 5),
    (1, 6),
    (1, 7),
    (1, 8),
    (2, 23),
    (3, 8),
    (5, 1),
    (5, 9),
    (6, 12),
    (11, 4),
}

# The actions' names are the audit log's (mentorship.audit, registry/audit_actions.py).
# Reads are told apart from changes because "who saw my data" is the question people
# ask first.
READ_ACTIONS = {"participant.view", "mentor_base.view", "subject.access_log", "subject.export"}


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and (day.month, day.day) not in PUBLIC_HOLIDAYS


def response_due(requested_on: date, days: int = RESPONSE_WORKING_DAYS) -> date:
    """The last day to answer a request received on `requested_on`.

    The term runs from the day after the request (Civil Code art. 191) and counts
    working days only.
    """
    day, left = requested_on, days
    while left:
        day += timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


# --- The access log -------------------------------------------------------------------


@dataclass(frozen=True)
class LogRow:
    at: datetime
    actor: str
    action: str
    label: str
    is_read: bool
    details: str


def _field_label(name: str) -> str:
    try:
        return str(Participant._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 - a field renamed since the entry was written
        return name


def describe_details(entry: AuditEntry) -> str:
    """A short Russian reading of an entry's details, for people rather than machines."""
    d = entry.details or {}
    if entry.action == "participant.update" and d.get("fields"):
        return ", ".join(_field_label(f) for f in d["fields"])
    if entry.action == "consent.record":
        purposes = _labelled(d.get("purposes", []), ConsentPurpose)
        return purposes + ("" if d.get("valid", True) else _(" (недействительно)"))
    if entry.action == "consent.withdraw":
        return d.get("reason") or ""
    if entry.action == "mentor_base.view":
        return d.get("municipality", "")
    if entry.action == "subject.export" and d.get("requested_on"):
        requested = date.fromisoformat(d["requested_on"])
        return _("запрос от %(d)s") % {"d": requested.strftime("%d.%m.%Y")}
    return ""


def log_rows(entries: list[AuditEntry]) -> list[LogRow]:
    return [
        LogRow(
            at=e.at,
            actor=e.actor_label,
            action=e.action,
            label=audit.action_label(e.action),
            is_read=e.action in READ_ACTIONS,
            details=describe_details(e),
        )
        for e in entries
    ]


def access_log_record_view(*, actor: User, participant: Participant) -> None:
    audit.record(
        actor=actor,
        organization=participant.organization,
        action="subject.access_log",
        obj=participant,
    )


def mentor_base_record_view(
    *, actor: User, municipality: Organization, participant_ids: list[tuple[int, int, str]]
) -> None:
    """One entry per person shown in the municipal base, in one INSERT.

    Each entry belongs to the person's school, so the curator sees it in the school's
    log and the person learns from their access log which municipality looked at them.
    `participant_ids` holds (participant id, school id, name as shown).
    """
    label = f"{actor.get_full_name()} <{actor.email}>".strip()[:300]  # as audit.record
    object_type = Participant._meta.label_lower
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor=actor,
                actor_label=label,
                organization_id=school_id,
                action="mentor_base.view",
                object_type=object_type,
                object_id=str(pk),
                object_repr=name[:300],
                details={"municipality": municipality.short_name},
            )
            for pk, school_id, name in participant_ids
        ]
    )


# --- Everything stored about a person -------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One stored value: `value` for the JSON file, `label` and `display` for people."""

    key: str
    label: str
    value: Any
    display: str


@dataclass
class Record:
    items: list[Item] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {i.key: i.value for i in self.items}


def _display(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("да") if value else _("нет")
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "—"
    return str(value)


def _json(value: Any) -> Any:
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


# Names for the bookkeeping fields the models leave without a verbose name: the page is
# read by a parent, who should not meet "created at" in a Russian answer.
_LABELS = {
    "created_at": gettext_lazy("Внесено в систему"),
    "updated_at": gettext_lazy("Последнее изменение"),
    "created_by": gettext_lazy("Кто внёс"),
    "recorded_by": gettext_lazy("Кто внёс согласие"),
    "consent_valid_until": gettext_lazy("Согласие действует до"),
}


def _label(f: models.Field) -> str:
    auto = f.name.replace("_", " ")
    return str(_LABELS.get(f.name, f.verbose_name) if f.verbose_name == auto else f.verbose_name)


# Fields that are the school's bookkeeping, not data about the person: shown elsewhere
# (the organisation in `meta`) or meaningless to them (row ids of other tables).
_SKIP = {"id", "organization", "participant"}


def _record(obj: models.Model, **extra: tuple[str, Any, str]) -> Record:
    """Every concrete field of `obj`, so a field added to the model is exported too.

    Choices carry their code in the JSON and their name on the page; a related row is
    named, a file is reported as present or not (the file itself is handed over on
    paper or by the curator, not inside the JSON).
    """
    record = Record()
    for f in obj._meta.concrete_fields:
        if f.name in _SKIP:
            continue
        label = _label(f)
        if f.is_relation:
            related = getattr(obj, f.name)
            value = str(related) if related is not None else None
            if isinstance(related, User):
                value = related.get_short_name()
            record.items.append(Item(f.name, label, value, _display(value)))
        elif isinstance(f, models.FileField):
            present = bool(getattr(obj, f.name))
            record.items.append(Item(f"has_{f.name}", label, present, _display(present)))
        elif f.choices:
            code = getattr(obj, f.name)
            shown = getattr(obj, f"get_{f.name}_display")()
            record.items.append(Item(f.name, label, code, _display(shown)))
        else:
            value = getattr(obj, f.name)
            record.items.append(Item(f.name, label, _json(value), _display(value)))
    for key, (label, value, shown) in extra.items():
        record.items.append(Item(key, label, value, shown))
    return record


def _labelled(codes: list[str], choices: type[models.TextChoices]) -> str:
    names = dict(choices.choices)
    return ", ".join(str(names.get(c, c)) for c in codes) or "—"


def _person(p: Participant) -> Record:
    mentor_forms = [f.name for f in p.mentor_forms.all()]
    mentee_forms = [f.name for f in p.mentee_forms.all()]
    record = _record(
        p,
        mentor_forms=(_("Формы (как наставник)"), mentor_forms, _display(mentor_forms)),
        mentee_forms=(_("Формы (как наставляемый)"), mentee_forms, _display(mentee_forms)),
    )
    # The cached consent state is stored as a bare code: name it for people.
    for i, item in enumerate(record.items):
        if item.key == "consent_state":
            shown = _labelled([item.value], ConsentState)
            record.items[i] = Item(item.key, item.label, item.value, shown)
    return record


def _consent(c) -> Record:
    record = _record(
        c,
        state=(_("Состояние сейчас"), c.state(), _labelled([c.state()], ConsentState)),
    )
    for i, item in enumerate(record.items):
        if item.key == "purposes":
            record.items[i] = Item(
                item.key, item.label, item.value, _labelled(item.value, ConsentPurpose)
            )
    return record


def _assessment(a) -> Record:
    names = dict(ASSESSMENT_PARAMETERS)
    record = _record(a)
    for i, item in enumerate(record.items):
        if item.key == "scores":
            shown = "; ".join(f"{names.get(k, k)}: {v}" for k, v in item.value.items())
            record.items[i] = Item(item.key, item.label, item.value, shown or "—")
    return record


def _audit(e: AuditEntry) -> Record:
    # Staff are named but their e-mail addresses are not handed out with the answer:
    # they are the staff's own personal data, not the requester's.
    actor = e.actor.get_short_name() if e.actor else e.actor_label.split("<")[0].strip()
    label = audit.action_label(e.action)
    return Record(
        [
            Item("at", _("Когда"), _json(e.at), _display(e.at)),
            Item("actor", _("Кто"), actor, actor or "—"),
            Item("action", _("Действие"), e.action, label),
            Item("details", _("Подробности"), e.details, describe_details(e) or "—"),
        ]
    )


@dataclass
class SubjectExport:
    """What the school stores about one person, section by section."""

    participant: Participant
    generated_at: datetime
    requested_on: date | None
    response_due: date | None
    operator: Organization
    person: Record
    consents: list[Record]
    questionnaire: Record | None
    needs: list[Record]
    assessments: list[Record]
    audit: list[Record]
    # Courses of the school of mentors, the municipality's included (their rows are the
    # municipality's, but they are about this person).
    training: list[Record] = field(default_factory=list)

    SECTIONS = (
        "person", "consents", "questionnaire", "needs", "assessments", "training", "audit",
    )  # fmt: skip

    def as_json(self) -> dict[str, Any]:
        return {
            "meta": {
                "generated_at": _json(self.generated_at),
                "requested_on": _json(self.requested_on),
                "response_due": _json(self.response_due),
                "legal_basis": "Федеральный закон от 27.07.2006 № 152-ФЗ, ст. 14, 20",
                "operator": {
                    "name": self.operator.full_name,
                    "short_name": self.operator.short_name,
                    "inn": self.operator.inn,
                },
            },
            "person": self.person.as_dict(),
            "consents": [r.as_dict() for r in self.consents],
            "questionnaire": self.questionnaire.as_dict() if self.questionnaire else None,
            "needs": [r.as_dict() for r in self.needs],
            "assessments": [r.as_dict() for r in self.assessments],
            "training": [r.as_dict() for r in self.training],
            "audit": [r.as_dict() for r in self.audit],
        }


def subject_data(participant: Participant, *, requested_on: date | None = None) -> SubjectExport:
    """Everything the registry stores about a person (a read; the export audits it)."""
    from registry.models import MentorProfile

    p = (
        Participant.objects.select_related("partner", "created_by", "organization")
        .prefetch_related("mentor_forms", "mentee_forms")
        .get(pk=participant.pk)
    )
    profile = MentorProfile.objects.filter(participant=p).first()
    return SubjectExport(
        participant=p,
        generated_at=timezone.now(),
        requested_on=requested_on,
        response_due=response_due(requested_on) if requested_on else None,
        operator=p.organization,
        person=_person(p),
        consents=[_consent(c) for c in p.consents.select_related("participant", "recorded_by")],
        questionnaire=_record(profile) if profile else None,
        needs=[_record(n) for n in p.needs.all()],
        assessments=[_assessment(a) for a in p.assessments.all()],
        audit=[_audit(e) for e in audit.entries_for(p)],
        training=[
            _training(t) for t in unscoped_training_history([p.pk], p.organization).get(p.pk, [])
        ],
    )


def _training(t: TrainingRecord) -> Record:
    rows = (
        ("course", _("Курс школы наставников"), t.course_title),
        ("organizer", _("Организатор"), t.organizer),
        ("hours", _("Объём, часов"), t.hours),
        ("starts_on", _("Начало"), t.starts_on),
        ("ends_on", _("Окончание"), t.ends_on),
        ("attended", _("Посещено занятий"), t.attended),
        ("sessions", _("Всего занятий"), t.sessions),
        ("completed_on", _("Окончил обучение"), t.completed_on),
        ("certificate_number", _("Номер сертификата"), t.certificate_number),
    )
    return Record([Item(key, label, _json(value), _display(value)) for key, label, value in rows])


@transaction.atomic
def subject_export(
    *, actor: User, participant: Participant, requested_on: date | None = None, fmt: str
) -> SubjectExport:
    """Build the answer to a subject's request and record that it was handed out.

    The entry is written after the data are read, so the file shows the log as it was
    when the request was answered; the next export will show this one.
    """
    export = subject_data(participant, requested_on=requested_on)
    audit.record(
        actor=actor,
        organization=participant.organization,
        action="subject.export",
        obj=participant,
        format=fmt,
        requested_on=requested_on.isoformat() if requested_on else "",
    )
    return export
