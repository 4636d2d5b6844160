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

from registry.models import Category, MentoringForm, Participant
from registry.services.participants import PERSON_FIELDS, validate_person
from registry.services.resources.columns import (
    COLUMN_BY_FIELD,
    COLUMNS,
    CategoryWidget,
    DateWidget,
    FormsWidget,
    IntegerWidget,
    TextWidget,
    YesNoWidget,
    field,
    forms_by_key,
    is_blank,
)

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
        self._row = 0
        # «7Б» in «Класс» is the commonest slip; say where the letter goes (translated
        # per request, hence set here and not at import time).
        self.fields["grade"].widget.hint = _("Букву класса укажите в столбце «Литера».")

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
        instance.import_forms = None
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
        # A row with other errors still claims its person, so a later copy is caught now.
        if not errors.keys() & {"last_name", "first_name", "patronymic", "birth_date"}:
            self._check_repeated(instance, errors)
        if errors:
            raise ValidationError(errors)
        self._keep_in_step(instance)

    def _in_column(self, name: str, message: str) -> str:
        column = COLUMN_BY_FIELD.get(name)
        return f"«{column.header}»: {message}" if column else message

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
        self.saved.append(
            SavedRow(self._row, instance, original is None, instance.import_forms, changed)
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
