"""The federal form as an .xlsx workbook (openpyxl): written by `manage.py
export_federal_form` and by the region's download link, from the same selector."""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from mentorship.files import safe_cell
from monitoring.indicators.definitions import SUPPRESSION_THRESHOLD
from monitoring.indicators.selectors.federal import FederalForm
from monitoring.indicators.selectors.figures import Figure

BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def _count(figure: Figure) -> int | str:
    return figure.numerator if figure.numerator is not None else figure.numerator_display


def federal_workbook(form: FederalForm) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Форма за квартал")
    sheet.append([safe_cell(form.region.full_name)])
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append(
        [
            _("Мониторинг целевой модели наставничества: %(q)s квартал %(y)s года")
            % {"q": form.quarter, "y": form.year}
        ]
    )
    sheet.append(
        [
            _("Период: %(a)s — %(b)s; муниципалитетов: %(m)s, образовательных организаций: %(s)s")
            % {
                "a": form.window.first.strftime("%d.%m.%Y"),
                "b": form.window.last.strftime("%d.%m.%Y"),
                "m": form.municipalities,
                "s": form.schools,
            }
        ]
    )
    sheet.append([])
    sheet.append([_("Раздел 1. Участники по формам наставничества и категориям")])
    sheet.cell(sheet.max_row, 1).font = BOLD
    header = [_("Форма наставничества"), _("Пар и групп"), _("Участников"), *form.columns]
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
        cell.alignment = WRAP
    sheet.row_dimensions[sheet.max_row].height = 60
    for row in form.rows:
        sheet.append(
            [
                safe_cell(row.name),
                _count(row.pairs),
                _count(row.participants),
                *[_count(c) for c in row.cells],
            ]
        )
    sheet.append([])
    sheet.append([_("Раздел 2. Показатели целевой модели за квартал")])
    sheet.cell(sheet.max_row, 1).font = BOLD
    sheet.append([_("Показатель"), _("Человек")])
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
    for label, figure in form.totals:
        sheet.append([label, _count(figure)])
    sheet.append([_("Предприятия (организации), предоставившие наставников"), form.enterprises])
    sheet.append([])
    sheet.append(
        [
            _(
                "Человек считается один раз в каждой строке, сколько бы пар у него ни было; "
                "числа меньше %(n)s показаны как «<%(n)s»."
            )
            % {"n": SUPPRESSION_THRESHOLD}
        ]
    )
    sheet.column_dimensions["A"].width = 55
    for i in range(2, len(header) + 1):
        sheet.column_dimensions[get_column_letter(i)].width = 16
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
