"""The progress matrix as an .xlsx workbook, coloured as on the page."""

from __future__ import annotations

from io import BytesIO

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from mentorship.files import safe_cell
from roadmaps.models import ActivityStatus, Roadmap
from roadmaps.selectors import ProgressMatrix

FILLS = {
    ActivityStatus.DONE: "D1E7DD",
    ActivityStatus.IN_PROGRESS: "FFF3CD",
    ActivityStatus.OVERDUE: "F8D7DA",
    ActivityStatus.NOT_STARTED: "F1F3F5",
}


def matrix_workbook_response(roadmap: Roadmap, matrix: ProgressMatrix) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Выполнение")
    sheet.append([safe_cell(roadmap.title)])
    sheet["A1"].font = Font(bold=True, size=12)
    header = [_("Образовательная организация")]
    header += [safe_cell(f"{c.activity.number} {c.activity.title}".strip()) for c in matrix.columns]
    header.append(_("Выполнено, %"))
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in matrix.rows:
        labels = [str(ActivityStatus(c).label) if c else "—" for c in row.cells]
        sheet.append([safe_cell(row.school.short_name), *labels, row.percent])
        for i, status in enumerate(row.cells, start=2):
            if status:
                sheet.cell(sheet.max_row, i).fill = PatternFill("solid", fgColor=FILLS[status])
    sheet.append([_("Выполнено, %"), *[c.percent for c in matrix.columns], None])
    sheet.column_dimensions["A"].width = 40
    for i in range(2, len(matrix.columns) + 3):
        sheet.column_dimensions[get_column_letter(i)].width = 18
    sheet.row_dimensions[2].height = 90
    sheet.freeze_panes = "B3"
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="roadmap-{roadmap.pk}-progress.xlsx"'
    return response
