"""Import a school's registry from .xlsx or .csv: read, check every row, then all or nothing.

The same path serves the preview and the import: a dry run goes through
django-import-export exactly as the real run does and is rolled back, so what the
preview promised is what the import does. Known people (same full name and birth date in
this school) are matched and updated, never doubled. Any error — a bad cell, a repeated
person, a database refusal — writes nothing at all.

The organisation always comes from the caller (the URL's tenant or --org), never from
the file.
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import asdict, dataclass, field
from typing import Any

import tablib
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from import_export.results import RowResult

from mentorship import audit
from mentorship.files import (
    MAX_UPLOAD_SIZE,
    ArchiveUnreadable,
    SuspiciousArchive,
    megabytes,
    xlsx_rows,
    zip_members,
)
from mentorship.models import AuditEntry, Organization, User
from mentorship.signals import rows_changed_in_bulk
from registry.models import ConsentGiver, ConsentPurpose, MentorProfile, Participant
from registry.services.consent.batch import ConsentBatchError, ConsentEntry, consents_record
from registry.services.evidence import announce_import
from registry.services.resources import (
    COLUMNS,
    HEADER_LOOKUP,
    PURPOSE_NAMES,
    ParticipantResource,
    SavedRow,
    normalize_header,
)

logger = logging.getLogger(__name__)

MAX_ROWS = 20_000
MAX_COLUMNS = 100
ERROR_HEADER = "Ошибка"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

NEW, MATCHED, ERROR = "new", "matched", "error"


class RegistryFileError(Exception):
    """The file as a whole cannot be imported; `message` says why, in Russian."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- Reading ---------------------------------------------------------------------------


@dataclass
class Table:
    """The sheet as the curator sees it: original headers and cells, spreadsheet row numbers."""

    filename: str
    headers: list[str]
    rows: list[list[Any]]
    row_numbers: list[int]
    columns: dict[str, int]  # our header → index of that column in the file
    ignored: list[str] = field(default_factory=list)

    def dataset(self) -> tablib.Dataset:
        """Our columns in our order; a column the file lacks is left out, not blanked."""
        present = [c.header for c in COLUMNS if c.header in self.columns]
        indexes = [self.columns[h] for h in present]
        data = tablib.Dataset(headers=present)
        for values in self.rows:
            data.append([values[i] for i in indexes])
        return data

    def name_of(self, index: int) -> str:
        values = self.rows[index]
        parts = [values[self.columns[h]] for h in ("Фамилия", "Имя", "Отчество")]
        return " ".join(str(p).strip() for p in parts if p not in (None, "") and str(p).strip())


def read_table(data: bytes, filename: str) -> Table:
    """Read the first sheet of an .xlsx or a .csv, or raise RegistryFileError."""
    grid = _read_grid(data, filename)
    return _table(grid, filename)


def _read_grid(data: bytes, filename: str) -> list[tuple[int, list[Any]]]:
    if not data:
        raise RegistryFileError(_("Файл пустой: в нём нет ни одного байта."))
    if len(data) > MAX_UPLOAD_SIZE:
        raise RegistryFileError(
            _(
                "Файл слишком большой (%(size)s МБ). Можно загрузить список размером "
                "не больше %(limit)s МБ: разделите его на части."
            )
            % {"size": megabytes(len(data)), "limit": MAX_UPLOAD_SIZE // (1024 * 1024)}
        )
    if data.startswith(OLE_MAGIC):
        raise RegistryFileError(
            _(
                "Файл сохранён в старом формате Excel (.xls). Откройте его и сохраните как "
                "«Книга Excel (.xlsx)» или «CSV», затем загрузите снова."
            )
        )
    if data.startswith(b"PK"):
        return _read_xlsx(data)
    if _looks_like_text(data):
        return _read_csv(data)
    raise RegistryFileError(_not_a_spreadsheet())


def _not_a_spreadsheet() -> str:
    return _(
        "Файл не похож на таблицу: загрузите список участников в формате Excel (.xlsx) "
        "или CSV. Шаблон с нужными столбцами можно скачать на этой странице."
    )


def _read_xlsx(data: bytes) -> list[tuple[int, list[Any]]]:
    try:
        # The declared sizes are checked before anything is inflated (zip bombs).
        names = {info.filename for info in zip_members(data)}
        if "word/document.xml" in names:
            raise RegistryFileError(
                _(
                    "Это документ Word, а нужна таблица: перенесите список в Excel и "
                    "сохраните как .xlsx (или скачайте шаблон на этой странице)."
                )
            )
        if "xl/workbook.xml" not in names:
            raise RegistryFileError(_not_a_spreadsheet())
        return _collect(xlsx_rows(data, max_columns=MAX_COLUMNS))
    except SuspiciousArchive as exc:
        raise RegistryFileError(
            _(
                "Файл отклонён: внутри архива слишком много сжатых данных (так выглядят "
                "«zip-бомбы»). Если это настоящий список, пересохраните его в Excel и "
                "загрузите снова."
            )
        ) from exc
    except ArchiveUnreadable as exc:
        raise RegistryFileError(_damaged()) from exc


def _damaged() -> str:
    return _(
        "Файл повреждён: его не удаётся открыть как таблицу Excel. Пересохраните его "
        "(«Файл → Сохранить как → Книга Excel») и загрузите снова."
    )


def _looks_like_text(data: bytes) -> bool:
    head = data[:8192]
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 13))
    return b"\x00" not in head and controls <= len(head) // 100


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else cp1251: Excel in Russia saves CSV in cp1251."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1251", errors="replace")


def _read_csv(data: bytes) -> list[tuple[int, list[Any]]]:
    text = _decode(data)
    first_line, _newline, rest = text.partition("\n")
    if first_line.lower().startswith("sep=") and len(first_line.strip()) == 5:
        # Excel's own hint line; Excel does not show it as a row, so neither do we.
        delimiter, text = first_line.strip()[4], rest
    else:
        # Russian Excel separates with «;» (the comma is the decimal separator).
        delimiter = max((";", ",", "\t"), key=first_line.count)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        return _collect(enumerate((row[:MAX_COLUMNS] for row in reader), start=1))
    except csv.Error as exc:
        raise RegistryFileError(_not_a_spreadsheet()) from exc


def _collect(rows) -> list[tuple[int, list[Any]]]:
    """Non-empty rows with their spreadsheet numbers (1-based, empty rows still counted)."""
    grid = []
    for number, values in rows:
        cells = [v.strip() if isinstance(v, str) else v for v in values]
        if all(v is None or v == "" for v in cells):
            continue
        grid.append((number, cells))
        if len(grid) > MAX_ROWS + 1:
            raise RegistryFileError(
                _(
                    "В файле больше %(limit)s строк. Разделите список на части и загрузите "
                    "их по очереди."
                )
                % {"limit": f"{MAX_ROWS:,}".replace(",", " ")}
            )
    return grid


def _table(grid: list[tuple[int, list[Any]]], filename: str) -> Table:
    if not grid:
        raise RegistryFileError(
            _("Таблица пустая: на первом листе нет ни заголовков, ни строк с участниками.")
        )
    header_number, header_cells = grid[0]
    headers = ["" if h is None else str(h).strip() for h in header_cells]
    columns: dict[str, int] = {}
    ignored: list[str] = []
    for index, text in enumerate(headers):
        column = HEADER_LOOKUP.get(normalize_header(text))
        if column is None:
            if text:
                ignored.append(text)
        elif column.header in columns:
            raise RegistryFileError(
                _("Столбец «%(column)s» встречается в заголовке дважды: оставьте один.")
                % {"column": column.header}
            )
        else:
            columns[column.header] = index
    missing = [c.header for c in COLUMNS if c.required and c.header not in columns]
    if missing:
        raise RegistryFileError(
            _(
                "В строке заголовков (строка %(row)s) не хватает столбцов: %(missing)s. "
                "Скачайте шаблон на этой странице и перенесите данные в него."
            )
            % {"row": header_number, "missing": ", ".join(f"«{m}»" for m in missing)}
        )
    body = grid[1:]
    if not body:
        raise RegistryFileError(
            _("В таблице есть заголовки, но нет ни одной строки с участниками.")
        )
    width = len(headers)
    return Table(
        filename=filename,
        headers=headers,
        rows=[(cells + [None] * width)[:width] for _n, cells in body],
        row_numbers=[n for n, _cells in body],
        columns=columns,
        ignored=[h for h in ignored if normalize_header(h) != normalize_header(ERROR_HEADER)],
    )


# --- Importing -------------------------------------------------------------------------


@dataclass
class RowOutcome:
    row: int
    status: str  # NEW | MATCHED | ERROR
    name: str
    errors: list[str] = field(default_factory=list)
    consent: str = ""  # the consent the row records, in words ("" — none)
    consent_note: str = ""  # why a consent in the row is not recorded
    capacity: int | None = None  # a mentor's capacity the row sets


@dataclass
class ImportReport:
    filename: str
    rows: list[RowOutcome]
    general_errors: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.general_errors and not any(r.status == ERROR for r in self.rows)

    @property
    def counts(self) -> dict[str, int]:
        counts = {"total": len(self.rows), NEW: 0, MATCHED: 0, ERROR: 0, "consents": 0}
        for r in self.rows:
            counts[r.status] += 1
            counts["consents"] += bool(r.consent) and r.status != ERROR
        return counts

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> ImportReport:
        rows = [RowOutcome(**r) for r in data["rows"]]
        return cls(**{**data, "rows": rows})


class _Rollback(Exception):
    pass


def registry_import(
    *,
    actor: User | None,
    organization: Organization,
    table: Table,
    dry_run: bool = False,
    actor_label: str = "",
) -> ImportReport:
    """Check every row and, unless `dry_run` or any error, write them all in one transaction.

    Runs inside the organisation's tenant scope. Returns the per-row report either way;
    `report.committed` says whether anything was written.
    """
    resource = ParticipantResource(
        organization=organization, actor=actor, row_numbers=table.row_numbers
    )
    report = ImportReport(filename=table.filename, rows=[], ignored_columns=table.ignored)
    try:
        with transaction.atomic():
            result = resource.import_data(
                table.dataset(),
                dry_run=dry_run,
                use_transactions=True,
                rollback_on_validation_errors=True,
            )
            report = _report(table, result, resource.saved)
            if dry_run or not report.ok:
                raise _Rollback
            _save_forms(resource.saved)
            _save_capacities(organization, resource.saved)
            _audit(actor, actor_label, organization, resource.saved, report)
            # The consents last, through the consent service: it checks them again by
            # the rules of the single consent form and audits each person.
            consents_record(
                actor=actor,
                entries=[s.consent for s in resource.saved if s.consent is not None],
                source="import",
            )
            announce_import(organization, report.filename, report.counts["total"])
            # The people were written in bulk, without model signals: the school's
            # stored indicator counts are told here.
            rows_changed_in_bulk([organization.pk])
            report.committed = True
    except _Rollback:
        pass
    except ConsentBatchError as error:
        # The rows were checked by the same rules a moment ago: only a change in between
        # (or a bug) gets here. Nothing of the import stays.
        logger.warning("registry import: consents refused: %s", error.messages)
        report.general_errors.extend(error.messages)
    except IntegrityError:
        # Another import or edit wrote the same person meanwhile: nothing of ours stays.
        logger.warning("registry import refused by the database", exc_info=True)
        report.general_errors.append(_concurrent_change())
    return report


def _concurrent_change() -> str:
    return _(
        "Реестр школы изменился, пока шла загрузка (возможно, тот же файл загружают "
        "одновременно). Ничего не записано: загрузите файл ещё раз."
    )


def _report(table: Table, result, saved: list[SavedRow]) -> ImportReport:
    report = ImportReport(filename=table.filename, rows=[], ignored_columns=table.ignored)
    by_row = {s.row: s for s in saved}
    for index, row_result in enumerate(result.rows):
        number = table.row_numbers[index]
        outcome = RowOutcome(row=number, status=NEW, name=table.name_of(index))
        if number in by_row:
            kept = by_row[number]
            outcome.consent = consent_summary(kept.consent) if kept.consent else ""
            outcome.consent_note = kept.consent_note
            outcome.capacity = kept.capacity
        if row_result.import_type == RowResult.IMPORT_TYPE_INVALID:
            outcome.status = ERROR
            outcome.errors = _messages(row_result.validation_error)
        elif row_result.import_type == RowResult.IMPORT_TYPE_ERROR:
            # An exception, not a rule: log it, never show its text.
            for error in row_result.errors:
                logger.error("registry import row %s failed:\n%s", number, error.traceback)
            outcome.status = ERROR
            outcome.errors = [_("Строку не удалось обработать из-за внутренней ошибки портала.")]
        elif row_result.import_type == RowResult.IMPORT_TYPE_UPDATE:
            outcome.status = MATCHED
        report.rows.append(outcome)
    for error in result.base_errors:
        logger.error("registry import failed:\n%s", error.traceback)
        if isinstance(error.error, IntegrityError):
            report.general_errors.append(_concurrent_change())
        else:
            report.general_errors.append(
                _("Импорт не выполнен из-за внутренней ошибки портала. Ничего не записано.")
            )
    return report


def _messages(error) -> list[str]:
    """Messages in the order of the columns, the row's own (repeated person) first."""
    by_field = error.message_dict
    order = ["__all__", *[c.field for c in COLUMNS]]
    keys = sorted(by_field, key=lambda k: order.index(k) if k in order else len(order))
    return [m for k in keys for m in by_field[k]]


def _save_forms(saved: list[SavedRow]) -> None:
    """Forms of mentoring in bulk: the file's list replaces the person's, role by role.

    A known person whose forms change gets the relation named in `changed`, for the audit.
    """
    relations = (
        (Participant.mentor_forms.through, "is_mentor", "mentor_forms"),
        (Participant.mentee_forms.through, "is_mentee", "mentee_forms"),
    )
    with_forms = [s for s in saved if s.forms is not None]
    if not with_forms:
        return
    known = {s.participant.pk: s for s in with_forms if not s.created}
    for through, role, name in relations:
        wanted = {
            s.participant.pk: {f.pk for f in s.forms} if getattr(s.participant, role) else set()
            for s in with_forms
        }
        if known:
            before: dict[int, set[int]] = {pk: set() for pk in known}
            existing = through.objects.filter(participant_id__in=list(known))
            for participant_id, form_id in existing.values_list(
                "participant_id", "mentoringform_id"
            ):
                before[participant_id].add(form_id)
            for pk, forms in before.items():
                if forms != wanted[pk]:
                    known[pk].changed.append(name)
            existing.delete()
        through.objects.bulk_create(
            [
                through(participant_id=pk, mentoringform_id=form_id)
                for pk, forms in wanted.items()
                for form_id in sorted(forms)
            ],
            batch_size=2000,
        )


def _save_capacities(organization: Organization, saved: list[SavedRow]) -> None:
    """«Вместимость» is the mentor profile's max_mentees, which matching reads: updated
    where the mentor has a profile, a profile with just that created where not."""
    wanted = {s.participant.pk: s.capacity for s in saved if s.capacity is not None}
    if not wanted:
        return
    profiles = list(MentorProfile.objects.filter(participant_id__in=list(wanted)))
    for profile in profiles:
        profile.max_mentees = wanted[profile.participant_id]
    MentorProfile.objects.bulk_update(profiles, ["max_mentees"], batch_size=1000)
    have = {p.participant_id for p in profiles}
    MentorProfile.objects.bulk_create(
        [
            MentorProfile(organization=organization, participant_id=pk, max_mentees=capacity)
            for pk, capacity in wanted.items()
            if pk not in have
        ],
        batch_size=1000,
    )


def consent_summary(entry: ConsentEntry) -> str:
    """«мать Иванова Мария Петровна, 01.09.2026, на бумаге» for the preview."""
    if entry.given_by == ConsentGiver.SELF:
        who = _("сам(а)")
    else:
        relation = entry.giver_relation or str(ConsentGiver(entry.given_by).label).lower()
        who = f"{relation} {entry.giver_name}"
    parts = [who, entry.given_on.strftime("%d.%m.%Y")]
    parts.append(_("на бумаге") if entry.on_paper else _("в электронном виде"))
    extra = [PURPOSE_NAMES[p] for p in entry.purposes if p != ConsentPurpose.PROGRAMME]
    if extra:
        parts.append(_("также: %(what)s") % {"what": ", ".join(extra)})
    return ", ".join(parts)


def _audit(
    actor: User | None,
    actor_label: str,
    organization: Organization,
    saved: list[SavedRow],
    report: ImportReport,
) -> None:
    """One entry for the import, and one per person written (in bulk, not row by row)."""
    head = audit.record(
        actor=actor,
        organization=organization,
        action="registry.import",
        actor_label=actor_label or "система",
        filename=report.filename,
        rows=report.counts["total"],
        created=report.counts[NEW],
        matched=report.counts[MATCHED],
    )
    entries = []
    for s in saved:
        if not s.created and not s.changed:
            continue
        details: dict[str, Any] = {"source": "import", "row": s.row}
        if not s.created:
            details["fields"] = s.changed
        entries.append(
            AuditEntry(
                at=head.at,
                actor=head.actor,
                actor_label=head.actor_label,
                organization=organization,
                action="participant.create" if s.created else "participant.update",
                object_type=Participant._meta.label_lower,
                object_id=str(s.participant.pk),
                object_repr=str(s.participant)[:300],
                details=details,
            )
        )
    AuditEntry.objects.bulk_create(entries, batch_size=2000)


def report_rows_json(report: ImportReport) -> list[dict]:
    """Per-row results for scripts: created / matched / error, with spreadsheet rows."""
    status = {NEW: "created", MATCHED: "matched", ERROR: "error"}
    return [
        {"row": r.row, "status": status[r.status], "errors": r.errors, "name": r.name}
        for r in report.rows
    ]
