"""manage.py import_registry: the web import's service from a terminal."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from mentorship.models import AuditEntry
from mentorship.tenancy.scoping import tenant_scope
from registry.models import Participant
from tests.registry.test_import_export import PUPIL, STUDENT, TEACHER, with_grade, workbook


def count(org) -> int:
    with tenant_scope(org):
        return Participant.objects.count()


def command(path, *args):
    out, err = StringIO(), StringIO()
    call_command("import_registry", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def good_file(tmp_path):
    path = tmp_path / "school.xlsx"
    path.write_bytes(workbook([PUPIL, TEACHER, STUDENT]))
    return path


@pytest.fixture
def bad_file(tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(workbook([PUPIL, with_grade(TEACHER, "7Б"), STUDENT]))
    return path


def test_imports_a_good_file(cast, good_file):
    out, _err = command(good_file, "--org", "school-a1")
    assert "добавлено 3, обновлено 0" in out
    assert count(cast.school) == 3
    entry = AuditEntry.objects.get(action="registry.import")
    assert entry.actor is None and entry.actor_label == "manage.py import_registry"
    assert entry.organization == cast.school


def test_json_lists_every_row_and_a_second_run_matches(cast, good_file):
    out, err = command(good_file, "--org", "school-a1", "--json")
    rows = json.loads(out)
    assert rows[0] == {
        "row": 2,
        "status": "created",
        "errors": [],
        "name": "Тестова Алина Игоревна",
    }
    assert [r["status"] for r in rows] == ["created"] * 3
    assert "Тестова" in out  # ensure_ascii=False: readable Cyrillic
    assert "добавлено 3" in err  # the summary stays off stdout

    again = json.loads(command(good_file, "--org", "school-a1", "--json")[0])
    assert [r["status"] for r in again] == ["matched"] * 3
    assert count(cast.school) == 3


def test_dry_run_writes_nothing(cast, good_file):
    out, _err = command(good_file, "--org", "school-a1", "--dry-run")
    assert "Ничего не записано" in out
    assert count(cast.school) == 0
    assert not AuditEntry.objects.filter(action="registry.import").exists()


@pytest.mark.parametrize("extra", [(), ("--dry-run",)])
def test_any_bad_row_fails_the_command_and_writes_nothing(cast, bad_file, extra):
    out = StringIO()
    with pytest.raises(CommandError, match="строк с ошибками — 1 из 3"):
        call_command("import_registry", str(bad_file), "--org", "school-a1", *extra, stdout=out)
    text = out.getvalue()
    assert "Строка 3 (Пробный Олег Саввич)" in text
    assert "В столбце «Класс» должно быть целое число, а не «7Б»" in text
    assert "ConversionSyntax" not in text and "Traceback" not in text
    assert count(cast.school) == 0


def test_bad_row_in_json(cast, bad_file):
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("import_registry", str(bad_file), "--org", "school-a1", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert [(r["row"], r["status"]) for r in rows] == [(2, "created"), (3, "error"), (4, "created")]
    assert "«7Б»" in rows[1]["errors"][0]
    assert count(cast.school) == 0


def test_a_bad_file_fails_with_its_message(cast, tmp_path):
    path = tmp_path / "picture.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    out = StringIO()
    with pytest.raises(CommandError, match="не похож на таблицу"):
        call_command("import_registry", str(path), "--org", "school-a1", "--json", stdout=out)
    (failure,) = json.loads(out.getvalue())
    assert failure["status"] == "error" and failure["row"] is None
    assert count(cast.school) == 0


def test_unknown_school_and_missing_file(cast, good_file, tmp_path):
    with pytest.raises(CommandError, match="не найдена"):
        command(good_file, "--org", "nowhere")
    with pytest.raises(CommandError, match="не найдена"):
        command(good_file, "--org", "muni")  # a municipality keeps no registry
    with pytest.raises(CommandError, match="Не удаётся прочитать"):
        command(tmp_path / "missing.xlsx", "--org", "school-a1")


def test_exit_codes_as_from_a_terminal(cast, bad_file, good_file, capsys, monkeypatch):
    """run_from_argv, as manage.py runs it: exit 1 on any error, a normal return on success."""
    from django.core.management import execute_from_command_line
    from django.db import connections

    # run_from_argv closes the connections at the end; the test's transaction needs its own.
    monkeypatch.setattr(connections, "close_all", lambda: None)

    with pytest.raises(SystemExit) as failed:
        execute_from_command_line(
            ["manage.py", "import_registry", str(bad_file), "--org", "school-a1"]
        )
    assert failed.value.code == 1
    captured = capsys.readouterr()
    assert "«7Б»" in captured.out and "Ничего не записано" in captured.err
    assert count(cast.school) == 0

    execute_from_command_line(
        ["manage.py", "import_registry", str(good_file), "--org", "school-a1"]
    )
    assert count(cast.school) == 3


def test_a_workbook_with_a_damaged_sheet_fails_with_a_message_not_a_traceback(cast, tmp_path):
    """Issue 11: the command printed zlib.error's traceback for a corrupted xlsx."""
    from tests.registry.test_import_export import crc_damaged

    path = tmp_path / "damaged.xlsx"
    path.write_bytes(crc_damaged(workbook([PUPIL, TEACHER])))
    with pytest.raises(CommandError, match="повреждён"):
        command(path, "--org", "school-a1")
    assert count(cast.school) == 0
