"""The report's tables as an .xlsx workbook: the same published figures as the page and
the PDF (hidden cells stay hidden: the file leaves the portal)."""

from __future__ import annotations

from io import BytesIO

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from mentorship.files import safe_cell
from mentorship.models import Organization
from monitoring.indicators.documents.federal import federal_workbook
from monitoring.indicators.documents.regional import (
    regional_report,
    regional_workbook,
    submitted_on,
)
from monitoring.indicators.selectors.dashboards import MUNICIPALITY, REGION
from monitoring.indicators.selectors.federal import FederalForm
from monitoring.indicators.selectors.figures import Figure
from monitoring.indicators.selectors.reports import ReportData

BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _share(figure: Figure) -> float | str:
    """A number where there is one (so the sheet can compute), else the page's words."""
    share = figure.share
    return float(share) if share is not None else figure.share_display


def _count(figure: Figure) -> int | str:
    return figure.numerator if figure.numerator is not None else figure.numerator_display


def _header(sheet: Worksheet, values: list[str], widths: list[int]) -> None:
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
        cell.alignment = WRAP
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width


def _summary_sheet(sheet: Worksheet, data: ReportData) -> None:
    board = data.board
    sheet.title = _("Показатели")
    sheet.append([safe_cell(board.organization.full_name)])
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append([_("Показатели целевой модели наставничества за %(y)s год") % {"y": board.year}])
    sheet.append([])
    _header(
        sheet,
        [
            _("Показатель"),
            _("Числитель"),
            _("Знаменатель"),
            _("Доля, %"),
            _("Цель, %"),
            _("Цель установлена на год"),
            _("Статус"),
        ],
        [52, 12, 12, 14, 10, 12, 18],
    )
    for s in data.board.summaries:
        sheet.append(
            [
                str(s.definition.label),
                _count(s.figure),
                s.figure.denominator if s.figure.denominator is not None else "—",
                _share(s.figure),
                float(s.target.percent) if s.target else "—",
                s.target.year if s.target else "—",
                s.status_label,
            ]
        )
    sheet.append([])
    sheet.append([_("Динамика, %")])
    sheet.cell(sheet.max_row, 1).font = BOLD
    _header(sheet, [_("Показатель"), *[str(y) for y in board.years]], [52])
    for s in board.summaries:
        sheet.append([str(s.definition.label), *[_share(f) for _y, f in s.trend]])


def _units_sheet(book: Workbook, data: ReportData) -> None:
    board = data.board
    if board.level not in (MUNICIPALITY, REGION):
        return
    sheet = book.create_sheet(
        _("По организациям") if board.level == MUNICIPALITY else _("По муниципалитетам")
    )
    header = [_("Организация") if board.level == MUNICIPALITY else _("Муниципалитет")]
    for d in board.columns:
        header += [f"{d.label}: {_('числитель')}", _("знаменатель"), _("доля, %")]
    regional = board.level == REGION
    if regional:
        # A submitted municipality's row holds its figures as submitted.
        header += [_("Отчёт сдан"), _("Сейчас, если изменилось после сдачи")]
    _header(sheet, header, [40] + [14] * (3 * len(board.columns)) + [14, 40])
    sheet.row_dimensions[1].height = 75
    for row in board.rows:
        values: list = [safe_cell(row.organization.short_name)]
        for figure in row.cells:
            values += [
                _count(figure),
                figure.denominator if figure.denominator is not None else "—",
                _share(figure),
            ]
        if regional:
            changed = [f"{d.label}: {live.brief_display}" for d, _f, live in row.live_cells if live]
            if row.live_participants is not None:
                changed.insert(0, f"{_('Участников')}: {row.live_participants.brief_display}")
            if row.live_introduced is not None:
                now = _("да") if row.live_introduced else _("нет")
                changed.insert(0, f"{_('Модель внедрена')}: {now}")
            values += [submitted_on(row.submitted_at), "; ".join(changed)]
        sheet.append(values)
    sheet.freeze_panes = "B2"


def _forms_sheet(book: Workbook, data: ReportData) -> None:
    sheet = book.create_sheet(_("Пары по формам"))
    with_schools = any(f.schools is not None for f in data.forms)
    header = [_("Форма наставничества"), _("Пар и групп")]
    if with_schools:
        header.append(_("Организаций с такими парами"))
    _header(sheet, header, [40, 14, 18])
    for form in data.forms:
        row = [safe_cell(form.name), _count(form.pairs)]
        if with_schools:
            row.append(form.schools)
        sheet.append(row)
    if data.pairs_total is not None:
        sheet.append([_("Всего"), _count(data.pairs_total)])


def _roadmap_sheet(book: Workbook, data: ReportData) -> None:
    if data.roadmap is None:
        return
    sheet = book.create_sheet(_("Дорожная карта"))
    sheet.append([safe_cell(data.roadmap.title)])
    sheet["A1"].font = BOLD
    _header(
        sheet,
        [_("Организация"), _("Выполнено"), _("Всего мероприятий"), _("Выполнено, %")],
        [40, 12, 18, 14],
    )
    for row in data.roadmap_rows:
        sheet.append([safe_cell(row.organization_name), row.done, row.total, row.percent])


def _book(data: ReportData) -> Workbook:
    book = Workbook()
    _summary_sheet(book.active, data)
    _units_sheet(book, data)
    _forms_sheet(book, data)
    _roadmap_sheet(book, data)
    return book


def _attachment(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def workbook_response(data: ReportData) -> HttpResponse:
    buffer = BytesIO()
    _book(data).save(buffer)
    name = f"indicators-{data.board.organization.slug}-{data.board.year}.xlsx"
    return _attachment(buffer.getvalue(), name)


def regional_workbook_response(region: Organization, year: int) -> HttpResponse:
    """The regional report's tables: the dashboard's sheets and the region's own."""
    report = regional_report(region, year)
    content = regional_workbook(report, _book(report.data))
    return _attachment(content, f"regional-report-{region.slug}-{year}.xlsx")


def federal_form_response(form: FederalForm) -> HttpResponse:
    name = f"federal-form-{form.region.slug}-{form.year}-q{form.quarter}.xlsx"
    return _attachment(federal_workbook(form), name)
