"""The registry's spreadsheet columns and their django-import-export resource.

One list of columns serves the template, the import and the export, so a file the
portal exported can be imported back. Headers are a file format, not interface text:
they stay fixed in Russian (translating them would break every school's files).

Widgets speak Russian: a cell that cannot be read says which column and which value,
never `[<class 'decimal.ConversionSyntax'>]`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.instance_loaders import BaseInstanceLoader
from openpyxl.utils.datetime import from_excel

from registry.models import Category, MentoringForm, Participant
from registry.services.participants import PERSON_FIELDS, validate_person


@dataclass(frozen=True)
class Column:
    header: str
    field: str  # the resource field's name (the model attribute, except "forms")
    required: bool = False
    aliases: tuple[str, ...] = ()
    width: int = 14


# Required: what identifies a person (to match known people) and what every person needs.
COLUMNS: tuple[Column, ...] = (
    Column("Фамилия", "last_name", True, width=18),
    Column("Имя", "first_name", True, width=14),
    Column("Отчество", "patronymic", True, width=18),
    Column("Дата рождения", "birth_date", True, ("дата рожд.", "др"), width=14),
    Column("Категория", "category", True, width=24),
    Column("Класс", "grade", aliases=("параллель",), width=8),
    Column("Литера", "class_letter", aliases=("литера класса", "буква", "буква класса"), width=8),
    Column("Должность", "position", width=22),
    Column("Предмет", "subject", width=18),
    Column("Стаж", "experience_years", aliases=("стаж, лет", "педагогический стаж"), width=8),
    Column("Телефон", "phone", width=16),
    Column(
        "Эл. почта",
        "email",
        aliases=("электронная почта", "e-mail", "email", "почта", "эл.почта"),
        width=22,
    ),
    Column("ОВЗ", "has_sen", width=7),
    Column("Одарённый", "is_gifted", width=11),
    Column("ТЖС", "in_difficult_situation", aliases=("трудная жизненная ситуация",), width=7),
    Column("Наставник", "is_mentor", True, width=11),
    Column("Наставляемый", "is_mentee", True, width=14),
    Column("Формы наставничества", "forms", aliases=("формы", "форма наставничества"), width=30),
)
HEADERS = [c.header for c in COLUMNS]
COLUMN_BY_FIELD = {c.field: c for c in COLUMNS}
CONSENT_HEADER = "Согласие"
# People without a valid consent leave the school's file with these columns only.
VISIBLE_WITHOUT_CONSENT = {"Фамилия", "Имя", "Отчество", "Категория", CONSENT_HEADER}


def normalize_header(text: Any) -> str:
    """'ОВЗ (да/нет)*' and 'овз' are the same column; ё and е too."""
    value = str(text or "").replace("\xa0", " ").lower().replace("ё", "е")
    value = re.sub(r"\(.*?\)", "", value).replace("*", "")
    return re.sub(r"\s+", " ", value).strip(" .:")


HEADER_LOOKUP: dict[str, Column] = {}
for _column in COLUMNS:
    for _name in (_column.header, *_column.aliases):
        HEADER_LOOKUP[normalize_header(_name)] = _column


# --- Widgets ---------------------------------------------------------------------------


def shown(value: Any) -> str:
    """A cell as the curator sees it, for messages."""
    if isinstance(value, datetime | date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text if len(text) <= 40 else text[:39] + "…"


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class _Russian:
    """Knows its column, to say where the bad value is."""

    column = ""


class TextWidget(_Russian, widgets.CharWidget):
    def clean(self, value, row=None, **kwargs) -> str:
        if is_blank(value):
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a phone typed as a number comes back as 89171234567.0
        elif isinstance(value, datetime | date):
            value = value.strftime("%d.%m.%Y")
        return re.sub(r"\s+", " ", str(value).replace("\xa0", " ")).strip()


class IntegerWidget(_Russian, widgets.IntegerWidget):
    # Grades and years of experience: a longer number is a typo.
    NUMBER = re.compile(r"([+-]?\d{1,4})(?:[.,]0+)?")

    def __init__(self, hint: str = "", **kwargs):
        super().__init__(**kwargs)
        self.hint = hint

    def clean(self, value, row=None, **kwargs) -> int | None:
        if is_blank(value):
            return None
        if isinstance(value, bool):
            raise ValueError(self._message(value))
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        text = str(value).replace("\xa0", "").replace(" ", "")
        match = self.NUMBER.fullmatch(text)
        if not match:
            raise ValueError(self._message(value))
        return int(match.group(1))

    def _message(self, value: Any) -> str:
        message = _("В столбце «%(column)s» должно быть целое число, а не «%(value)s».") % {
            "column": self.column,
            "value": shown(value),
        }
        return f"{message} {self.hint}" if self.hint else message


class DateWidget(_Russian, widgets.DateWidget):
    FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y")

    def clean(self, value, row=None, **kwargs) -> date | None:
        if is_blank(value):
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            # An Excel serial date in a cell not formatted as a date (1 = 1900-01-01).
            if 1 <= value < 2958466:
                return from_excel(value).date()
            raise ValueError(self._message(value))
        # Excel's CSVs may carry a time: "14.03.2012 0:00:00".
        text = str(value).strip().split(" ")[0]
        for fmt in self.FORMATS:
            try:
                return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a plain date
            except ValueError:
                continue
        raise ValueError(self._message(value))

    def _message(self, value: Any) -> str:
        return _(
            "В столбце «%(column)s» должна быть дата в виде ДД.ММ.ГГГГ "
            "(например, 14.03.2012), а не «%(value)s»."
        ) % {"column": self.column, "value": shown(value)}

    def render(self, value, obj=None, **kwargs):
        if kwargs.get("force_native_type"):
            return value
        return value.strftime("%d.%m.%Y") if value else ""


class YesNoWidget(_Russian, widgets.BooleanWidget):
    YES = {"да", "д", "+", "1", "yes", "y", "true", "истина", "v", "✓", "x", "х"}
    NO = {"нет", "н", "-", "–", "0", "no", "n", "false", "ложь"}

    def clean(self, value, row=None, **kwargs) -> bool | None:
        if is_blank(value):
            return None
        if isinstance(value, bool):
            return value
        text = shown(value).lower()
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise ValueError(
            _("В столбце «%(column)s» должно быть «да» или «нет», а не «%(value)s».")
            % {"column": self.column, "value": shown(value)}
        )

    def render(self, value, obj=None, **kwargs) -> str:
        return _("да") if value else _("нет")


# The names a curator writes for each category; the first one is written on export.
CATEGORY_NAMES: dict[str, tuple[str, ...]] = {
    Category.PUPIL: ("обучающийся", "обучающаяся", "ученик", "ученица", "учащийся", "школьник"),
    Category.TEACHER: ("педагог", "учитель", "педагогический работник"),
    Category.COLLEGE_STUDENT: ("студент", "студентка", "студент спо", "студент колледжа"),
    Category.PARTNER: (
        "представитель партнёра",
        "представитель партнера",
        "представитель организации-партнёра",
        "партнёр",
        "работодатель",
    ),
}
CATEGORY_LOOKUP = {
    normalize_header(name): code for code, names in CATEGORY_NAMES.items() for name in names
}
CATEGORY_LOOKUP.update({code: code for code in Category.values})


class CategoryWidget(_Russian, widgets.Widget):
    def clean(self, value, row=None, **kwargs) -> str:
        if is_blank(value):
            return ""  # validate_person asks for it in its own words
        code = CATEGORY_LOOKUP.get(normalize_header(value))
        if code is None:
            raise ValueError(
                _(
                    "В столбце «%(column)s» неизвестная категория «%(value)s»: укажите "
                    "обучающийся, педагог, студент или представитель партнёра."
                )
                % {"column": self.column, "value": shown(value)}
            )
        return code

    def render(self, value, obj=None, **kwargs) -> str:
        return CATEGORY_NAMES[value][0] if value in CATEGORY_NAMES else ""


def form_key(name: str) -> str:
    """«Ученик – ученик», «ученик-ученик» and «ученик — ученик» are one form."""
    return re.sub(r"\s*[-–—]\s*", "-", normalize_header(name))


class FormsWidget(_Russian, widgets.Widget):
    """Names of mentoring forms separated by «;». The resource gives it the forms."""

    forms: dict[str, MentoringForm] | None = None

    def clean(self, value, row=None, **kwargs) -> list[MentoringForm] | None:
        if is_blank(value):
            return None
        forms = self.forms if self.forms is not None else forms_by_key()
        found, unknown = [], []
        for part in re.split(r"[;\n]", str(value)):
            if not part.strip():
                continue
            form = forms.get(form_key(part))
            if form is None:
                unknown.append(part.strip())
            elif form not in found:
                found.append(form)
        if unknown:
            names = "; ".join(dict.fromkeys(f.name for f in forms.values()))
            raise ValueError(
                _(
                    "В столбце «%(column)s» нет такой формы: «%(value)s». "
                    "Формы пишутся через «;», возможные: %(names)s."
                )
                % {"column": self.column, "value": "», «".join(unknown), "names": names}
            )
        return found


def forms_by_key() -> dict[str, MentoringForm]:
    forms: dict[str, MentoringForm] = {}
    for form in MentoringForm.objects.all():
        forms[form_key(form.name)] = form
        forms.setdefault(form_key(form.code), form)
    return forms


def _field(name: str, widget: _Russian, **kwargs) -> fields.Field:
    column = COLUMN_BY_FIELD[name]
    widget.column = column.header
    attribute = "import_forms" if name == "forms" else name
    return fields.Field(attribute=attribute, column_name=column.header, widget=widget, **kwargs)


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
    last_name = _field("last_name", TextWidget())
    first_name = _field("first_name", TextWidget())
    patronymic = _field("patronymic", TextWidget())
    birth_date = _field("birth_date", DateWidget())
    category = _field("category", CategoryWidget())
    grade = _field("grade", IntegerWidget())
    class_letter = _field("class_letter", TextWidget())
    position = _field("position", TextWidget())
    subject = _field("subject", TextWidget())
    experience_years = _field("experience_years", IntegerWidget())
    phone = _field("phone", TextWidget())
    email = _field("email", TextWidget())
    has_sen = _field("has_sen", YesNoWidget(), default=False)
    is_gifted = _field("is_gifted", YesNoWidget(), default=False)
    in_difficult_situation = _field("in_difficult_situation", YesNoWidget(), default=False)
    is_mentor = _field("is_mentor", YesNoWidget(), default=False)
    is_mentee = _field("is_mentee", YesNoWidget(), default=False)
    forms = _field("forms", FormsWidget())

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
