"""Workbooks the registry hands out: the import template, the failed rows, the export.

Every text cell that could start a formula is escaped: the file is opened by people
who trust it, and a cell "=HYPERLINK(...)" typed into a name must stay text.
"""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO
from typing import Any

from django.utils.translation import gettext as _
from import_export import fields, widgets
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from mentorship import audit
from mentorship.files import safe_cell
from mentorship.models import Organization, User
from registry.models import ConsentState, MentoringForm, Participant
from registry.services.consent import can_process
from registry.services.importing import ERROR, ERROR_HEADER, ImportReport, Table
from registry.services.resources import (
    CATEGORY_NAMES,
    COLUMNS,
    CONSENT_HEADER,
    PERSON_COLUMNS,
    TEMPLATE_HEADERS,
    VISIBLE_WITHOUT_CONSENT,
    ParticipantResource,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "DD.MM.YYYY"
HEADER_FILL = PatternFill("solid", fgColor="DDE7F3")
ERROR_FILL = PatternFill("solid", fgColor="F8D7DA")
YES_NO_FIELDS = {"has_sen", "is_gifted", "in_difficult_situation", "is_mentor", "is_mentee"}
YES_NO_FIELDS |= {"consent_on_paper"}
DATE_FIELDS = ("birth_date", "consent_date")


class ParticipantExportResource(ParticipantResource):
    """The school's registry as a file; people without a valid consent: name only."""

    consent = fields.Field(column_name=CONSENT_HEADER, widget=widgets.CharWidget())

    class Meta(ParticipantResource.Meta):
        fields = (*(c.field for c in PERSON_COLUMNS), "consent")
        export_order = fields

    def dehydrate_consent(self, participant: Participant) -> str:
        return str(ConsentState(participant.consent_state).label)

    def export_field(self, field, instance, **kwargs):
        if field.column_name not in VISIBLE_WITHOUT_CONSENT and not can_process(instance):
            return ""
        value = super().export_field(field, instance, **kwargs)
        return safe_cell(value) if isinstance(value, str) else value


def _safe(value: Any) -> Any:
    if isinstance(value, str):
        return safe_cell(value)
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date()
    return value


def _header(sheet: Worksheet, headers: list[str], widths: list[int]) -> None:
    sheet.append(headers)
    for index, width in enumerate(widths, start=1):
        cell = sheet.cell(1, index)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def _date_columns(sheet: Worksheet) -> None:
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, date | datetime):
                cell.number_format = DATE_FORMAT


def _bytes(book: Workbook) -> bytes:
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def template_workbook() -> bytes:
    """The empty list with Russian headers, drop-downs, and a sheet that explains it."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Участники")
    _header(sheet, TEMPLATE_HEADERS, [c.width for c in COLUMNS])
    last = 2000
    categories = ",".join(names[0] for names in CATEGORY_NAMES.values())
    letters = {c.field: get_column_letter(i) for i, c in enumerate(COLUMNS, start=1)}
    lists = [(f'"{categories}"', [letters["category"]])]
    lists.append(('"да,нет"', [letters[f] for f in YES_NO_FIELDS]))
    for formula, columns in lists:
        # A hint, not a wall: the import accepts other spellings too (+, 1, учитель…).
        check = DataValidation(type="list", formula1=formula, allow_blank=True)
        check.showErrorMessage = False
        for letter in columns:
            check.add(f"{letter}2:{letter}{last}")
        sheet.add_data_validation(check)
    # A column style, not 2,000 formatted cells: those would be rows to Excel and
    # openpyxl, and a list appended to the sheet would start at row 2001.
    for index, column in enumerate(COLUMNS, start=1):
        if column.field in DATE_FIELDS:
            sheet.column_dimensions[get_column_letter(index)].number_format = DATE_FORMAT

    help_sheet = book.create_sheet(_("Как заполнять"))
    _header(help_sheet, [_("Столбец"), _("Что писать")], [24, 100])
    for header, text in _column_help():
        help_sheet.append([header, text])
    for row in help_sheet.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    return _bytes(book)


def _column_help() -> list[tuple[str, str]]:
    forms = "; ".join(MentoringForm.objects.values_list("name", flat=True))
    yes_no = _("«да» или «нет» (также +/−, 1/0); пусто — «нет».")
    return [
        ("Фамилия", _("Обязательно.")),
        ("Имя", _("Обязательно.")),
        ("Отчество", _("Если есть. Вместе с ФИО и датой рождения по нему узнаётся человек.")),
        (
            "Дата рождения",
            _(
                "ДД.ММ.ГГГГ, например 14.03.2012. Человек с теми же ФИО и датой рождения, "
                "который уже есть в реестре школы, не добавляется второй раз: его данные "
                "обновляются."
            ),
        ),
        ("Категория", _("обучающийся, педагог, студент или представитель партнёра.")),
        ("Класс", _("Для обучающихся: число от 1 до 11, без буквы.")),
        ("Литера", _("Буква класса: А, Б, В…")),
        ("Должность", _("Для педагогов и представителей партнёров.")),
        ("Предмет", _("Для педагогов.")),
        ("Стаж", _("Педагогический стаж, целое число лет (молодой специалист — 0–3).")),
        ("Телефон", _("Если есть.")),
        ("Эл. почта", _("Если есть.")),
        ("ОВЗ", yes_no),
        ("Одарённый", yes_no),
        ("ТЖС", _("Трудная жизненная ситуация: ") + yes_no),
        ("Наставник", yes_no + " " + _("Нужен «да» в столбце «Наставник» или «Наставляемый».")),
        ("Наставляемый", yes_no),
        ("Формы наставничества", _("Через «;». Возможные: %(forms)s.") % {"forms": forms}),
        (
            "Вместимость",
            _(
                "Только для наставников: сколько наставляемых он готов взять (1–30). "
                "Подбор пар не даст ему больше. Пусто — как в анкете наставника (без "
                "анкеты — 1)."
            ),
        ),
        (
            "Представитель: ФИО",
            _(
                "Для несовершеннолетних — родитель или законный представитель, подписавший "
                "согласие. У совершеннолетних пусто: они подписывают согласие сами."
            ),
        ),
        (
            "Представитель: кем приходится",
            _("мать, отец, опекун, попечитель или законный представитель."),
        ),
        ("Представитель: телефон или эл. почта", _("Если есть.")),
        (
            "Согласие: дата подписания",
            _(
                "ДД.ММ.ГГГГ, не позже сегодняшнего дня. С датой согласие записывается при "
                "импорте; без даты человек попадает в очередь «Нужно согласие»."
            ),
        ),
        ("Согласие на бумаге", _("«да» — подписанный бланк хранится в школе (пусто — «да»).")),
        (
            "Согласие: цели",
            _(
                "Через «;»: участие в программе, база наставников, публикация. Пусто — "
                "участие в программе."
            ),
        ),
        (
            _("Пустые ячейки"),
            _(
                "У человека, который уже есть в реестре, пустая ячейка ничего не стирает: "
                "меняются только заполненные."
            ),
        ),
    ]


def failed_rows_workbook(table: Table, report: ImportReport) -> bytes:
    """The rows with errors as they were in the file, plus «Ошибка»: fix and upload again."""
    errors = {r.row: r.errors for r in report.rows if r.status == ERROR}
    keep = [i for i, h in enumerate(table.headers) if h.strip().lower() != ERROR_HEADER.lower()]
    book = Workbook()
    sheet = book.active
    sheet.title = _("Ошибки")
    headers = [_safe(table.headers[i]) for i in keep] + [ERROR_HEADER]
    _header(sheet, headers, [16] * len(keep) + [70])
    for values, number in zip(table.rows, table.row_numbers, strict=True):
        if number not in errors:
            continue
        text = _("Строка %(row)s: %(errors)s") % {
            "row": number,
            "errors": " ".join(errors[number]),
        }
        sheet.append([_safe(values[i]) for i in keep] + [safe_cell(text)])
        sheet.cell(sheet.max_row, len(headers)).fill = ERROR_FILL
    _date_columns(sheet)
    return _bytes(book)


def registry_export(*, actor: User, organization: Organization) -> bytes:
    """The school's registry; people without a valid consent only by name and category.

    Runs in the school's tenant scope. Audited: who took the file and how many people.
    """
    people = list(
        Participant.objects.filter(organization=organization, depersonalized_at__isnull=True)
        .prefetch_related("mentor_forms", "mentee_forms")
        .order_by("last_name", "first_name", "patronymic", "pk")
    )
    dataset = ParticipantExportResource(organization=organization).export(
        people, force_native_type=True
    )
    hidden = sum(1 for p in people if not can_process(p))
    book = Workbook()
    sheet = book.active
    sheet.title = _("Реестр")
    _header(sheet, list(dataset.headers), [c.width for c in PERSON_COLUMNS] + [22])
    for row in dataset:
        sheet.append(list(row))
    _date_columns(sheet)
    audit.record(
        actor=actor,
        organization=organization,
        action="registry.export",
        rows=len(people),
        without_consent=hidden,
    )
    return _bytes(book)
