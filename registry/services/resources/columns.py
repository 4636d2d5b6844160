"""The registry's spreadsheet columns and the widgets that read their cells.

One list of columns serves the template, the import and the export, so a file the
portal exported can be imported back. Headers are a file format, not interface text:
they stay fixed in Russian (translating them would break every school's files).

Widgets speak Russian: a cell that cannot be read says which column and which value,
never `[<class 'decimal.ConversionSyntax'>]`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _
from import_export import fields, widgets
from openpyxl.utils.datetime import from_excel

from registry.models import Category, ConsentPurpose, MentoringForm, Participant


@dataclass(frozen=True)
class Column:
    header: str
    field: str  # the resource field's name (the model attribute, except "forms")
    required: bool = False
    aliases: tuple[str, ...] = ()
    width: int = 14


# Required: what identifies a person (to match known people) and what every person needs.
# These are the registry's own columns: the export writes them and reads them back.
PERSON_COLUMNS: tuple[Column, ...] = (
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
# What the import takes besides the person: the mentor's capacity and the signed consent
# with the legal representative who gave it. The template has them; the export does not
# (a consent is a document with its own history, not a cell to be written back).
EXTRA_COLUMNS: tuple[Column, ...] = (
    Column(
        "Вместимость",
        "capacity",
        aliases=("сколько наставляемых", "вместимость наставника", "наставляемых"),
        width=12,
    ),
    Column(
        "Представитель: ФИО",
        "giver_name",
        aliases=("законный представитель", "фио представителя", "фио родителя", "родитель"),
        width=30,
    ),
    Column(
        "Представитель: кем приходится",
        "giver_relation",
        aliases=("кем приходится", "степень родства"),
        width=16,
    ),
    Column(
        "Представитель: телефон или эл. почта",
        "giver_contact",
        aliases=("контакт представителя", "телефон представителя", "телефон родителя"),
        width=24,
    ),
    Column(
        "Согласие: дата подписания",
        "consent_date",
        aliases=("дата согласия", "дата подписания согласия"),
        width=14,
    ),
    Column("Согласие на бумаге", "consent_on_paper", aliases=("на бумаге",), width=11),
    Column(
        "Согласие: цели",
        "consent_purposes",
        aliases=("цели согласия", "цели обработки"),
        width=30,
    ),
)
COLUMNS: tuple[Column, ...] = PERSON_COLUMNS + EXTRA_COLUMNS
# The registry's own headers (the export's); the template has TEMPLATE_HEADERS.
HEADERS = [c.header for c in PERSON_COLUMNS]
TEMPLATE_HEADERS = [c.header for c in COLUMNS]
CONSENT_FIELDS = ("giver_name", "giver_relation", "giver_contact", "consent_date")
CONSENT_FIELDS += ("consent_on_paper", "consent_purposes")
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


class RelationWidget(TextWidget):
    """The relation as written; `giver_of` says whether it makes a parent or a guardian."""


# The purposes of processing as a curator writes them, through «;» or «,».
PURPOSE_WORDS: tuple[tuple[str, str], ...] = (
    ("баз", ConsentPurpose.MENTOR_BASE),
    ("публикац", ConsentPurpose.PUBLICATION),
    ("фото", ConsentPurpose.PUBLICATION),
    ("сайт", ConsentPurpose.PUBLICATION),
    ("программ", ConsentPurpose.PROGRAMME),
    ("наставничеств", ConsentPurpose.PROGRAMME),
    ("участие", ConsentPurpose.PROGRAMME),
)
PURPOSE_NAMES = {
    ConsentPurpose.PROGRAMME: "участие в программе",
    ConsentPurpose.MENTOR_BASE: "база наставников",
    ConsentPurpose.PUBLICATION: "публикация",
}


class PurposesWidget(_Russian, widgets.Widget):
    """«участие в программе; база наставников; публикация» → purpose codes."""

    def clean(self, value, row=None, **kwargs) -> list[str] | None:
        if is_blank(value):
            return None
        found: list[str] = []
        for part in re.split(r"[;,\n]", str(value)):
            text = normalize_header(part)
            if not text:
                continue
            code = next((c for word, c in PURPOSE_WORDS if word in text), None)
            if code is None:
                raise ValueError(
                    _(
                        "В столбце «%(column)s» неизвестная цель «%(value)s»: пишите через «;» "
                        "участие в программе, база наставников, публикация."
                    )
                    % {"column": self.column, "value": shown(part)}
                )
            if code not in found:
                found.append(code)
        return found


def forms_by_key() -> dict[str, MentoringForm]:
    forms: dict[str, MentoringForm] = {}
    for form in MentoringForm.objects.all():
        forms[form_key(form.name)] = form
        forms.setdefault(form_key(form.code), form)
    return forms


def field(name: str, widget: _Russian, **kwargs) -> fields.Field:
    column = COLUMN_BY_FIELD[name]
    widget.column = column.header
    # Columns that are not the participant's own fields land on import_* attributes.
    own = name in {f.name for f in Participant._meta.concrete_fields}
    attribute = name if own else f"import_{name}"
    return fields.Field(attribute=attribute, column_name=column.header, widget=widget, **kwargs)
