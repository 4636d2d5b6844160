"""The django-import-export resource of the school's participants.

It reads rows through the widgets of `registry.services.resources.columns`, matches known people
(same full name and birth date in this school) and checks each row with the same rules
as the participant service (`validate_person`), so a file can do no more than the form.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import resources
from import_export.instance_loaders import BaseInstanceLoader

from registry.models import (
    Category,
    Consent,
    ConsentGiver,
    ConsentPurpose,
    MentoringForm,
    MentorProfile,
    Participant,
)
from registry.services.consent import consent_problems, giver_of
from registry.services.consent.batch import ConsentEntry
from registry.services.participants import PERSON_FIELDS, validate_person
from registry.services.resources.columns import (
    COLUMN_BY_FIELD,
    COLUMNS,
    CONSENT_FIELDS,
    CategoryWidget,
    DateWidget,
    FormsWidget,
    IntegerWidget,
    PurposesWidget,
    RelationWidget,
    TextWidget,
    YesNoWidget,
    field,
    forms_by_key,
    is_blank,
)

# A mentor takes at most this many mentees (a group included); more is a typo.
MAX_CAPACITY = 30

# --- Matching known people ------------------------------------------------------------


def person_key(last_name: str, first_name: str, patronymic: str, birth: date | None) -> tuple:
    """find_duplicate's rule (case-insensitive full name + birth date) as a dict key."""
    return (
        (last_name or "").strip().upper(),
        (first_name or "").strip().upper(),
        (patronymic or "").strip().upper(),
        birth,
    )


class KnownPeopleLoader(BaseInstanceLoader):
    """All people of the school in one query, instead of one lookup per row."""

    def __init__(self, resource: ParticipantResource, dataset=None):
        super().__init__(resource, dataset)
        people = Participant.objects.filter(
            organization=resource.organization, depersonalized_at__isnull=True
        )
        self.known = {
            person_key(p.last_name, p.first_name, p.patronymic, p.birth_date): p for p in people
        }
        resource.load_known_consents([p.pk for p in self.known.values()])

    def get_instance(self, row):
        key = self.resource.row_key(row)
        return self.known.get(key) if key is not None else None


# --- The resource ---------------------------------------------------------------------

# Model checks (max lengths, e-mail format) run in Python only: foreign keys would cost a
# query per row and the organisation is ours anyway.
MODEL_CHECKED = ["last_name", "first_name", "patronymic", "phone", "email"]
MODEL_CHECKED += ["class_letter", "position", "subject", "experience_years"]
_MODEL_FIELDS = [f.name for f in Participant._meta.concrete_fields]


class ParticipantResource(resources.ModelResource):
    last_name = field("last_name", TextWidget())
    first_name = field("first_name", TextWidget())
    patronymic = field("patronymic", TextWidget())
    birth_date = field("birth_date", DateWidget())
    category = field("category", CategoryWidget())
    grade = field("grade", IntegerWidget())
    class_letter = field("class_letter", TextWidget())
    position = field("position", TextWidget())
    subject = field("subject", TextWidget())
    experience_years = field("experience_years", IntegerWidget())
    phone = field("phone", TextWidget())
    email = field("email", TextWidget())
    has_sen = field("has_sen", YesNoWidget(), default=False)
    is_gifted = field("is_gifted", YesNoWidget(), default=False)
    in_difficult_situation = field("in_difficult_situation", YesNoWidget(), default=False)
    is_mentor = field("is_mentor", YesNoWidget(), default=False)
    is_mentee = field("is_mentee", YesNoWidget(), default=False)
    forms = field("forms", FormsWidget())
    capacity = field("capacity", IntegerWidget())
    giver_name = field("giver_name", TextWidget())
    giver_relation = field("giver_relation", RelationWidget())
    giver_contact = field("giver_contact", TextWidget())
    consent_date = field("consent_date", DateWidget())
    consent_on_paper = field("consent_on_paper", YesNoWidget())
    consent_purposes = field("consent_purposes", PurposesWidget())

    class Meta:
        model = Participant
        fields = tuple(c.field for c in COLUMNS)
        import_order = export_order = fields
        import_id_fields = ("last_name", "first_name", "patronymic", "birth_date")
        instance_loader_class = KnownPeopleLoader
        # All or nothing: the service also passes rollback_on_validation_errors=True.
        use_transactions = True
        # Rows are written in batches; forms and audit entries in bulk by the service.
        use_bulk = True
        batch_size = 1000
        skip_diff = True
        # Our own checks replace full_clean(): see import_instance().
        clean_model_instances = False

    def __init__(self, *, organization=None, actor=None, row_numbers=(), **kwargs):
        super().__init__(**kwargs)
        self.organization = organization
        self.actor = actor if getattr(actor, "is_authenticated", False) else None
        self.row_numbers = list(row_numbers)
        self.fields["forms"].widget.forms = forms_by_key()
        self.first_seen: dict[tuple, int] = {}  # a person's key → the row that brought them
        self.saved: list[SavedRow] = []
        self.known_consents: dict[int, set[tuple]] = {}
        self.capacities: dict[int, int] = {}  # known mentor's id → capacity on record
        self._row = 0
        # «7Б» in «Класс» is the commonest slip; say where the letter goes (translated
        # per request, hence set here and not at import time).
        self.fields["grade"].widget.hint = _("Букву класса укажите в столбце «Литера».")

    def load_known_consents(self, ids: list[int]) -> None:
        """What known people already have, in two queries: a file imported twice records
        each consent once, and a capacity that did not change is not written again."""
        self.known_consents = defaultdict(set)
        consents = Consent.objects.filter(participant_id__in=ids).values_list(
            "participant_id", "given_on", "given_by", "giver_name"
        )
        for participant_id, given_on, given_by, giver_name in consents:
            self.known_consents[participant_id].add(consent_key(given_on, given_by, giver_name))
        self.capacities = dict(
            MentorProfile.objects.filter(participant_id__in=ids).values_list(
                "participant_id", "max_mentees"
            )
        )

    # --- one row ---

    def spreadsheet_row(self, index: int) -> int:
        """import-export counts data rows from 1; the curator sees spreadsheet rows."""
        if 0 < index <= len(self.row_numbers):
            return self.row_numbers[index - 1]
        return index + 1

    def row_key(self, row) -> tuple | None:
        try:
            values = [self.fields[name].clean(row) for name in self.get_import_id_fields()]
        except (ValueError, KeyError):
            return None  # the row's own checks will name the unreadable cell
        return person_key(*values)

    def init_instance(self, row=None) -> Participant:
        return Participant(organization=self.organization, created_by=self.actor)

    def before_import_row(self, row, **kwargs) -> None:
        self._row = self.spreadsheet_row(kwargs.get("row_number", 0))

    def after_init_instance(self, instance, new, row, **kwargs) -> None:
        if not new:
            fields = (*PERSON_FIELDS, "in_mentor_base")
            instance._import_original = {f: getattr(instance, f) for f in fields}

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        # A blank cell does not erase what the registry already knows about a person.
        if instance.pk and field.column_name in row and is_blank(row[field.column_name]):
            return
        return super().import_field(field, instance, row, is_m2m, **kwargs)

    def import_instance(self, instance, row, **kwargs) -> None:
        instance.import_forms = instance.import_capacity = None
        for name in CONSENT_FIELDS:
            setattr(instance, f"import_{name}", None)
        instance.import_consent = None
        instance.import_consent_note = ""
        errors: dict[str, list[str]] = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            # The widgets' messages already name their column.
            errors = {name: list(messages) for name, messages in exc.message_dict.items()}
        data = {f: getattr(instance, f) for f in PERSON_FIELDS}
        for name, messages in validate_person(data).items():
            errors.setdefault(name, [self._in_column(name, m) for m in messages])
        try:
            instance.clean_fields(exclude=[f for f in _MODEL_FIELDS if f not in MODEL_CHECKED])
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors.setdefault(name, [self._in_column(name, m) for m in messages])
        if not errors.keys() & {"category", "birth_date", "is_mentor"}:
            self._check_capacity(instance, errors)
            if not errors.keys() & set(CONSENT_FIELDS):
                self._check_consent(instance, errors)
        # A row with other errors still claims its person, so a later copy is caught now.
        if not errors.keys() & {"last_name", "first_name", "patronymic", "birth_date"}:
            self._check_repeated(instance, errors)
        if errors:
            raise ValidationError(errors)
        self._keep_in_step(instance)

    def _in_column(self, name: str, message: str) -> str:
        column = COLUMN_BY_FIELD.get(name)
        return f"«{column.header}»: {message}" if column else message

    def _check_capacity(self, instance: Participant, errors: dict) -> None:
        capacity = instance.import_capacity
        if capacity is None:
            return
        column = COLUMN_BY_FIELD["capacity"].header
        if not instance.is_mentor:
            errors["capacity"] = [
                _(
                    "«%(column)s» указывается только для наставников: поставьте «да» в "
                    "столбце «Наставник» или очистите ячейку."
                )
                % {"column": column}
            ]
        elif not 1 <= capacity <= MAX_CAPACITY:
            errors["capacity"] = [
                _("«%(column)s»: от 1 до %(max)s наставляемых, а не %(value)s.")
                % {"column": column, "max": MAX_CAPACITY, "value": capacity}
            ]

    def _check_consent(self, instance: Participant, errors: dict) -> None:
        """The row's consent, by the rules of the single consent form (strict: a minor's
        own signature is refused). A row with a representative but no date records no
        consent: the person waits in the consent queue, and the preview says so."""
        values = {name: getattr(instance, f"import_{name}") for name in CONSENT_FIELDS}
        if all(v in (None, "", []) for v in values.values()):
            return
        given_on = values["consent_date"]
        if given_on is None:
            instance.import_consent_note = _(
                "Согласие не записывается: не указана дата подписания — человек останется "
                "в очереди «Нужно согласие»."
            )
            return
        name = values["giver_name"] or ""
        relation = values["giver_relation"] or ""
        header = {f: COLUMN_BY_FIELD[f].header for f in CONSENT_FIELDS}
        if name:
            given_by = giver_of(relation)
            if given_by is None:
                errors["giver_relation"] = [
                    _(
                        "«%(column)s»: укажите, кем представитель приходится участнику — "
                        "мать, отец, опекун, попечитель или законный представитель%(value)s."
                    )
                    % {
                        "column": header["giver_relation"],
                        "value": _(", а не «%(v)s»") % {"v": relation} if relation else "",
                    }
                ]
                return
        else:
            given_by = ConsentGiver.SELF
            if relation or values["giver_contact"]:
                errors["giver_name"] = [
                    _("«%(column)s»: укажите ФИО представителя или очистите его данные.")
                    % {"column": header["giver_name"]}
                ]
                return
        entry = ConsentEntry(
            participant=instance,
            given_by=given_by,
            given_on=given_on,
            purposes=values["consent_purposes"] or [ConsentPurpose.PROGRAMME],
            giver_name=name,
            giver_relation=relation,
            giver_contact=values["giver_contact"] or "",
            on_paper=True if values["consent_on_paper"] is None else values["consent_on_paper"],
        )
        where = {
            "given_on": header["consent_date"],
            "given_by": header["giver_name"],
            "giver_name": header["giver_name"],
            "purposes": header["consent_purposes"],
        }
        problems = consent_problems(instance, entry.data(), strict=True)
        for key, messages in problems.items():
            column = where.get(key, header["consent_date"])
            errors.setdefault(f"consent_{key}", []).extend(f"«{column}»: {m}" for m in messages)
        if problems:
            return
        known = self.known_consents.get(instance.pk, set()) if instance.pk else set()
        if consent_key(given_on, given_by, name) in known:
            instance.import_consent_note = _("Это согласие уже записано в реестре.")
            return
        instance.import_consent = entry

    def _check_repeated(self, instance: Participant, errors: dict) -> None:
        """The same person twice in the file: the second row is the error."""
        key = person_key(
            instance.last_name, instance.first_name, instance.patronymic, instance.birth_date
        )
        first = self.first_seen.setdefault(key, self._row)
        if first != self._row:
            errors[NON_FIELD_ERRORS] = [
                _("Этот человек уже есть в файле в строке %(row)s (совпадают ФИО и дата рождения).")
                % {"row": first}
            ]

    def _keep_in_step(self, instance: Participant) -> None:
        # Only the consent services widen the municipal base; a change of role or
        # category can only take someone out of it.
        if instance.pk and (not instance.is_mentor or instance.category == Category.PUPIL):
            instance.in_mentor_base = False

    def after_save_instance(self, instance, row, **kwargs) -> None:
        original = getattr(instance, "_import_original", None)
        changed = [f for f, v in original.items() if getattr(instance, f) != v] if original else []
        capacity = instance.import_capacity
        if capacity is not None and self.capacities.get(instance.pk) == capacity:
            capacity = None  # already on record
        if capacity is not None and original is not None:
            changed.append("max_mentees")
        self.saved.append(
            SavedRow(
                self._row,
                instance,
                original is None,
                instance.import_forms,
                changed,
                consent=instance.import_consent,
                consent_note=instance.import_consent_note,
                capacity=capacity,
            )
        )

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """Only the people who changed, only the fields that changed.

        Django's bulk_update writes one CASE per field over every row: for 1,000 matched
        people × 21 fields that took ~30 s. Grouped by what changed, it takes well under one.
        """
        if not self.update_instances:
            return
        try:
            groups: dict[tuple[str, ...], list[Participant]] = defaultdict(list)
            for person in self.update_instances:
                original = person._import_original
                changed = tuple(f for f, v in original.items() if getattr(person, f) != v)
                if changed:
                    groups[changed].append(person)
            for names, people in groups.items():
                Participant.objects.bulk_update(people, names, batch_size=100)
            touched = [p.pk for people in groups.values() for p in people]
            if touched:
                # bulk_update skips auto_now; one timestamp for the whole import.
                Participant.objects.filter(pk__in=touched).update(updated_at=timezone.now())
        except Exception as exc:
            self.handle_import_error(result, exc, raise_errors)
        finally:
            self.update_instances.clear()

    def after_import(self, dataset, result, **kwargs) -> None:
        # ModelResource resets the id sequence to max(id) here, for files that carry
        # ids. Ours never do, and a reset could hand out an id that a concurrent,
        # uncommitted insert already holds.
        pass

    # --- export ---

    def dehydrate_forms(self, participant: Participant) -> str:
        names = [f.name for f in participant.mentor_forms.all()]
        names += [f.name for f in participant.mentee_forms.all()]
        return "; ".join(dict.fromkeys(names))


@dataclass
class SavedRow:
    row: int
    participant: Participant
    created: bool
    forms: list[MentoringForm] | None  # None: the file says nothing about forms
    changed: list[str]
    consent: ConsentEntry | None = None  # the signed consent the row brings
    consent_note: str = ""  # why a consent in the row is not recorded (not an error)
    capacity: int | None = None  # a mentor's capacity to write (None: nothing to change)


def consent_key(given_on, given_by: str, giver_name: str) -> tuple:
    """The same consent twice: same day, same kind of signer, same name."""
    return (given_on, given_by, " ".join((giver_name or "").upper().split()))
