"""The list to fill in, as an Excel workbook (openpyxl)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from mentorship.models import EDUCATIONAL_KINDS, OrganizationKind

from .columns import COLUMNS, KEYS, MAX_ROWS


def template_workbook() -> bytes:
    """The list to fill in: the columns on the first sheet, an example on the second."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = _("Школы")
    sheet.append([str(c.header) for c in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = column.width
    sheet.freeze_panes = "A2"
    kinds = ",".join(str(k.label).replace(",", " ") for k in EDUCATIONAL_KINDS)
    kind_column = sheet.cell(row=1, column=KEYS.index("kind") + 1).column_letter
    choice = DataValidation(type="list", formula1=f'"{kinds}"', allow_blank=True)
    choice.add(f"{kind_column}2:{kind_column}{MAX_ROWS + 1}")
    sheet.add_data_validation(choice)
    example = book.create_sheet(_("Пример"))
    example.append([str(c.header) for c in COLUMNS])
    example.append(
        [
            "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа №1»",
            "МБОУ «СШ №1»",
            "1650000049",
            str(OrganizationKind.SCHOOL.label),
            "г. Набережные Челны, ул. Школьная, 1",
            "Иванова А.С.",
            "Директор",
            "Петрова Мария Ивановна",
            "Заместитель директора по УВР",
            "petrova@school1.example",
        ]
    )
    example.append([])
    example.append(
        [
            _(
                "Обязательны полное наименование и ИНН. Вид по умолчанию — школа. Если куратор "
                "указан, нужны его ФИО и почта: ему придёт приглашение."
            )
        ]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
