"""The bulk start: a municipality's list of schools with their curators, from Excel.

Read (`read_rows`) → check row by row against the portal (`bulk_start_check`, nothing
written) → apply, all or nothing (`bulk_start_apply`): each school is created, or matched
by its INN when the municipality already has it, and its curator is invited. The apply
checks everything again inside its transaction: the portal may have changed since the
preview.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentorship import audit
from mentorship.files import MAX_UPLOAD_SIZE, ArchiveUnreadable, SuspiciousArchive, xlsx_rows
from mentorship.models import (
    EDUCATIONAL_KINDS,
    Invitation,
    Membership,
    Organization,
    OrganizationKind,
    PendingUpload,
    Role,
    User,
    inn_validator,
)
from mentorship.tenancy.resolution import roles_in
from mentorship.tenancy.scoping import unscoped_reads

from .grants import check_grant
from .invitations import invitation_create, normalize_email, throttle_invitations
from .organizations import check_organizations_manage, organization_create

__all__ = [
    "COLUMNS",
    "MAX_ROWS",
    "BulkFileError",
    "BulkStartRefused",
    "BulkStartResult",
    "bulk_start_apply",
    "bulk_start_check",
    "pending_uploads_sweep",
    "read_rows",
    "template_workbook",
]

MAX_ROWS = 1000


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    width: int = 20


COLUMNS = (
    Column("full_name", gettext_lazy("Полное наименование"), required=True, width=60),
    Column("short_name", gettext_lazy("Краткое наименование"), width=28),
    Column("inn", gettext_lazy("ИНН"), required=True, width=14),
    Column("kind", gettext_lazy("Вид"), width=30),
    Column("address", gettext_lazy("Адрес"), width=40),
    Column("head_name", gettext_lazy("Руководитель (Фамилия И.О.)"), width=26),
    Column("head_position", gettext_lazy("Должность руководителя"), width=22),
    Column("curator_name", gettext_lazy("Куратор: фамилия, имя, отчество"), width=32),
    Column("curator_position", gettext_lazy("Куратор: должность"), width=26),
    Column("curator_email", gettext_lazy("Куратор: электронная почта"), width=28),
)
KEYS = tuple(c.key for c in COLUMNS)
# Other headers people write for the same columns.
ALIASES = {
    "наименование": "full_name",
    "полное наименование организации": "full_name",
    "краткое наименование организации": "short_name",
    "вид организации": "kind",
    "директор": "head_name",
    "руководитель": "head_name",
    "фио руководителя": "head_name",
    "куратор": "curator_name",
    "фио куратора": "curator_name",
    "должность куратора": "curator_position",
    "e-mail куратора": "curator_email",
    "email куратора": "curator_email",
    "почта куратора": "curator_email",
    "куратор: e-mail": "curator_email",
    "куратор: email": "curator_email",
}
# The kinds as people write them in a list, lower-case.
KIND_WORDS = {
    "школа": OrganizationKind.SCHOOL,
    "общеобразовательная организация": OrganizationKind.SCHOOL,
    "гимназия": OrganizationKind.SCHOOL,
    "лицей": OrganizationKind.SCHOOL,
    "колледж": OrganizationKind.COLLEGE,
    "техникум": OrganizationKind.COLLEGE,
    "спо": OrganizationKind.COLLEGE,
    "центр дополнительного образования": OrganizationKind.ADDITIONAL,
    "дополнительное образование": OrganizationKind.ADDITIONAL,
    "удо": OrganizationKind.ADDITIONAL,
    "иная": OrganizationKind.OTHER,
    "иная организация": OrganizationKind.OTHER,
    **{str(k.label).lower(): k for k in EDUCATIONAL_KINDS},
    **{k.value: k for k in EDUCATIONAL_KINDS},
}
CURATOR_KEYS = ("curator_name", "curator_position", "curator_email")


class BulkFileError(Exception):
    """The file as a whole cannot be read as a list of schools; `message` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BulkStartRefused(Exception):
    """Some rows have errors: nothing was written. `rows` are the checked rows."""

    def __init__(self, rows: list[dict]) -> None:
        super().__init__("bulk start refused")
        self.rows = rows


@dataclass(frozen=True)
class BulkStartResult:
    created: int
    matched: int
    invited: int


# --- Reading ----------------------------------------------------------------------------


def _normal(header: object) -> str:
    return re.sub(r"\s+", " ", str(header or "")).strip().strip("*").strip().lower()


HEADERS = {_normal(c.header): c.key for c in COLUMNS} | ALIASES


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # an INN typed as a number comes back as 1650000049.0
    return re.sub(r"\s+", " ", str(value)).strip()


def read_rows(data: bytes) -> list[dict]:
    """The list's rows as {"row": number, <column key>: text}; BulkFileError in Russian
    for a file that is not a readable list (damaged, not Excel, no header, too long)."""
    if len(data) > MAX_UPLOAD_SIZE:
        raise BulkFileError(_("Файл больше 10 МБ: разделите список на части."))
    if not data.startswith(b"PK"):
        raise BulkFileError(
            _("Загрузите таблицу Excel (.xlsx): удобнее всего заполнить наш шаблон.")
        )
    try:
        sheet = list(xlsx_rows(data, max_columns=40))
    except SuspiciousArchive:
        raise BulkFileError(
            _("Файл слишком велик после распаковки: это не похоже на список школ.")
        ) from None
    except ArchiveUnreadable:
        raise BulkFileError(
            _("Файл повреждён или это не таблица Excel. Сохраните его заново в формате .xlsx.")
        ) from None
    header_at, mapping = _find_header(sheet)
    rows = []
    for number, values in sheet[header_at + 1 :]:
        row = {key: _cell(values[i]) if i < len(values) else "" for i, key in mapping.items()}
        if not any(row.values()):
            continue
        rows.append({"row": number, **{k: row.get(k, "") for k in KEYS}})
    if not rows:
        raise BulkFileError(_("В файле нет ни одной строки со школой под заголовками."))
    if len(rows) > MAX_ROWS:
        raise BulkFileError(
            _("В файле больше %(max)s строк: разделите список на части.") % {"max": MAX_ROWS}
        )
    return rows


def _find_header(sheet: list[tuple[int, list]]) -> tuple[int, dict[int, str]]:
    """The header row among the first ten: the one naming the required columns."""
    required = {c.key for c in COLUMNS if c.required}
    for index, (_number, values) in enumerate(sheet[:10]):
        mapping = {}
        for i, value in enumerate(values):
            key = HEADERS.get(_normal(value))
            if key and key not in mapping.values():
                mapping[i] = key
        if required <= set(mapping.values()):
            return index, mapping
    names = ", ".join(f"«{c.header}»" for c in COLUMNS if c.required)
    raise BulkFileError(
        _("Не найдена строка заголовков со столбцами %(names)s. Скачайте шаблон и заполните его.")
        % {"names": names}
    )


# --- Checking ---------------------------------------------------------------------------


def _split_name(text: str) -> tuple[str, str, str]:
    parts = text.split()
    return (
        parts[0] if parts else "",
        parts[1] if len(parts) > 1 else "",
        " ".join(parts[2:]),
    )


def _kind(text: str) -> str | None:
    if not text:
        return OrganizationKind.SCHOOL
    return KIND_WORDS.get(text.lower())


def _school_errors(row: dict, kind: str | None) -> list[str]:
    errors = []
    if not row["full_name"]:
        errors.append(_("Не указано полное наименование."))
    if kind is None:
        errors.append(
            _(
                "Неизвестный вид «%(kind)s»: укажите школа, колледж, "
                "центр дополнительного образования или иная."
            )
            % {"kind": row["kind"]}
        )
    limits = {
        "full_name": 500,
        "short_name": 200,
        "address": 500,
        "head_name": 200,
        "head_position": 200,
    }
    for key, limit in limits.items():
        if len(row[key]) > limit:
            header = next(c.header for c in COLUMNS if c.key == key)
            errors.append(
                _("«%(column)s» длиннее %(limit)s знаков.") % {"column": header, "limit": limit}
            )
    return errors


def _inn_errors(inn: str) -> list[str]:
    if not inn:
        return [_("Не указан ИНН.")]
    try:
        inn_validator(inn)
    except ValidationError as exc:
        return list(exc.messages)
    if len(inn) != 10:
        return [_("ИНН организации состоит из 10 цифр.")]
    return []


def bulk_start_check(
    *, actor: User, municipality: Organization, rows: Iterable[dict]
) -> list[dict]:
    """Each row with what will happen to it: `action` ("create" or "match"), `invite`,
    `note` and `errors` (Russian). Writes nothing; a fixed number of queries."""
    rows = [dict(row) for row in rows]
    inns = [row["inn"].replace(" ", "") for row in rows]
    existing = {
        org.inn: org
        for org in Organization.objects.filter(inn__in=[i for i in inns if i]).select_related(
            "parent"
        )
    }
    matched_ids = [o.pk for o in existing.values() if o.parent_id == municipality.pk]
    curators = set(
        Membership.objects.filter(organization_id__in=matched_ids, role=Role.CURATOR).values_list(
            "organization_id", "user__email"
        )
    )
    invited = set(
        Invitation.objects.filter(organization_id__in=matched_ids, role=Role.CURATOR)
        .open()
        .values_list("organization_id", "email")
    )
    held = roles_in(actor, municipality)
    seen: dict[str, int] = {}
    for row, inn in zip(rows, inns, strict=True):
        row["inn"] = inn
        errors: list[str] = []
        kind = _kind(row["kind"])
        row["kind_code"] = kind or ""
        row["kind_label"] = str(OrganizationKind(kind).label) if kind else row["kind"]
        errors += _school_errors(row, kind)
        errors += _inn_errors(inn)
        if inn in seen:
            errors.append(_("ИНН повторяется: он уже есть в строке %(row)s.") % {"row": seen[inn]})
        elif inn:
            seen[inn] = row["row"]
        school = existing.get(inn)
        row["action"], row["existing_id"], row["note"] = "create", None, ""
        if school is not None:
            if school.parent_id != municipality.pk or not school.is_educational:
                errors.append(
                    _(
                        "ИНН принадлежит организации «%(name)s», "
                        "которая не входит в %(municipality)s."
                    )
                    % {"name": school.short_name, "municipality": municipality.short_name}
                )
            elif school.is_closed:
                errors.append(
                    _(
                        "Организация «%(name)s» с этим ИНН закрыта: "
                        "восстановите её на странице «Организации»."
                    )
                    % {"name": school.short_name}
                )
            else:
                row["action"], row["existing_id"] = "match", school.pk
                row["note"] = _("Уже есть в портале: «%(name)s»; данные школы не меняются.") % {
                    "name": school.short_name
                }
        errors += _curator_check(row, actor, municipality, held, curators, invited)
        row["errors"] = errors
    return rows


def _curator_check(row, actor, municipality, held, curators, invited) -> list[str]:
    row["invite"] = False
    row["curator_email"] = normalize_email(row["curator_email"])
    if not any(row[k] for k in CURATOR_KEYS):
        return []
    errors = []
    email = row["curator_email"]
    if not email:
        errors.append(_("Для куратора не указана электронная почта."))
    else:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(
                _("Неправильный адрес электронной почты куратора: %(email)s.") % {"email": email}
            )
    if not row["curator_name"]:
        errors.append(_("Не указаны фамилия и имя куратора."))
    if errors:
        return errors
    school = Organization(kind=row["kind_code"] or OrganizationKind.SCHOOL, parent=municipality)
    try:
        check_grant(actor=actor, organization=school, role=Role.CURATOR, person=email, held=held)
    except ValidationError as exc:
        return list(exc.messages)
    key = (row["existing_id"], email)
    if row["existing_id"] and key in {(o, e.lower()) for o, e in curators}:
        row["note"] = " ".join(filter(None, [row["note"], _("Этот куратор уже работает в школе.")]))
    elif row["existing_id"] and key in invited:
        row["note"] = " ".join(filter(None, [row["note"], _("Куратор уже приглашён.")]))
    else:
        row["invite"] = True
    return []


# --- Applying ---------------------------------------------------------------------------


@transaction.atomic
def bulk_start_apply(
    *, actor: User, municipality: Organization, rows: Iterable[dict]
) -> BulkStartResult:
    """Create or match every school and invite its curator; nothing at all if any row
    has an error (BulkStartRefused carries the checked rows)."""
    check_organizations_manage(actor, municipality)
    municipality = Organization.objects.select_for_update().get(pk=municipality.pk)
    checked = bulk_start_check(actor=actor, municipality=municipality, rows=rows)
    if any(row["errors"] for row in checked):
        raise BulkStartRefused(checked)
    letters = sum(1 for row in checked if row["invite"])
    if letters:
        throttle_invitations(actor, letters)
    created = matched = 0
    for row in checked:
        if row["action"] == "match":
            school = Organization.objects.get(pk=row["existing_id"])
            matched += 1
        else:
            school = organization_create(
                actor=actor,
                kind=row["kind_code"],
                full_name=row["full_name"],
                short_name=row["short_name"],
                parent=municipality,
                inn=row["inn"],
                address=row["address"],
                head_name=row["head_name"],
                head_position=row["head_position"],
            )
            created += 1
        if row["invite"]:
            last, first, patronymic = _split_name(row["curator_name"])
            invitation_create(
                actor=actor,
                organization=school,
                role=Role.CURATOR,
                email=row["curator_email"],
                last_name=last,
                first_name=first,
                patronymic=patronymic,
                position=row["curator_position"],
                throttle=False,
            )
    audit.record(
        actor=actor,
        organization=municipality,
        action="organization.bulk_start",
        created=created,
        matched=matched,
        invited=letters,
    )
    return BulkStartResult(created=created, matched=matched, invited=letters)


def pending_uploads_sweep(*, older_than) -> int:
    """Delete every preview nobody confirmed in time, in every organisation: they hold
    curators' names and addresses. Run on each new upload, so none outlives the next one.
    Deletes by age only and reads nothing of them."""
    with unscoped_reads():
        deleted, _ = PendingUpload.objects.filter(created_at__lt=older_than).delete()
    return deleted


# --- The template -----------------------------------------------------------------------


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
