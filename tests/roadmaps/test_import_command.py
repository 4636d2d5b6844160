"""manage.py import_roadmap: counts, JSON, dry run, and errors that write nothing."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mentorship.models import AuditEntry
from mentorship.tenancy.scoping import tenant_scope, unscoped_reads
from roadmaps.models import Activity, ActivityDueDate, Roadmap, RoadmapStatus

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "roadmaps"
EXPECTED = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
NC = "naberezhnye-chelny-2023-2024.docx"
SPB = "spb-appo.docx"


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_roadmap", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def written() -> tuple[int, int, int]:
    with unscoped_reads():
        return Roadmap.objects.count(), Activity.objects.count(), ActivityDueDate.objects.count()


def _count(activities: list[dict]) -> int:
    return sum(1 + _count(a["children"]) for a in activities)


def test_import_prints_russian_counts_and_creates_a_draft(cast):
    out, _ = run(str(FIXTURES / NC), "--org", cast.muni.slug, "--period", "2023-09-01:2024-08-31")

    expected = EXPECTED[NC]
    total = _count([a for s in expected["sections"] for a in s["activities"]])
    assert f"Разделов: {len(expected['sections'])}" in out
    assert f"Мероприятий (с подпунктами): {total}" in out
    assert "Сроков требуют уточнения: 0" in out
    assert "Создана дорожная карта" in out
    with tenant_scope(cast.muni):
        roadmap = Roadmap.objects.get()
        assert roadmap.activities.count() == total
    assert roadmap.title == expected["title"]
    assert roadmap.status == RoadmapStatus.DRAFT
    assert (roadmap.period_start, roadmap.period_end) == (date(2023, 9, 1), date(2024, 8, 31))
    entry = AuditEntry.objects.get(action="roadmap.import")
    assert entry.actor is None and entry.details["activities"] == total


def test_title_option_and_unclear_count(cast):
    out, _ = run(str(FIXTURES / SPB), "--org", cast.muni.slug, "--title", "Карта СПб")
    unclear = int(out.split("Сроков требуют уточнения: ")[1].split()[0])
    assert unclear > 0
    with tenant_scope(cast.muni):
        roadmap = Roadmap.objects.get()
        assert roadmap.title == "Карта СПб"
        assert roadmap.activities.filter(deadline_unclear=True).count() == unclear


def test_json_prints_the_parsed_roadmap_with_iso_due_dates(cast):
    out, err = run(
        str(FIXTURES / NC),
        "--org",
        cast.muni.slug,
        "--json",
        "--dry-run",
        "--period",
        "2023-09-01:2024-08-31",
    )

    data = json.loads(out)
    expected = EXPECTED[NC]
    assert data["title"] == expected["title"]
    assert [(s["title"], s["for_every_school"]) for s in data["sections"]] == [
        (s["title"], s["for_every_school"]) for s in expected["sections"]
    ]
    first = data["sections"][0]["activities"][0]
    assert set(first) == {
        "number",
        "title",
        "responsible",
        "deadline_text",
        "deadline_kind",
        "due_dates",
        "out_of_period",
        "children",
    }
    got = [
        (a["number"], a["title"], a["responsible"], a["deadline_text"])
        for s in data["sections"]
        for a in s["activities"]
    ]
    assert got == [
        (a["number"], a["title"], a["responsible"], a["deadline"])
        for s in expected["sections"]
        for a in s["activities"]
    ]
    dates = [d for s in data["sections"] for a in s["activities"] for d in a["due_dates"]]
    assert dates, "the 2023/2024 roadmap has due dates within its own school year"
    assert all(date(2023, 9, 1) <= date.fromisoformat(d) <= date(2024, 8, 31) for d in dates)
    # Cyrillic as is, not \u escapes; the note goes to stderr so stdout stays JSON.
    assert "Управление дорожной картой" in out
    assert "--dry-run" in err
    assert written() == (0, 0, 0)


def test_json_children_of_a_split_activity(cast):
    out, _ = run(str(FIXTURES / SPB), "--org", cast.muni.slug, "--json", "--dry-run")
    first = json.loads(out)["sections"][0]["activities"][0]
    expected = EXPECTED[SPB]["sections"][0]["activities"][0]
    assert [(c["number"], c["title"], c["deadline_text"]) for c in first["children"]] == [
        (c["number"], c["title"], c["deadline"]) for c in expected["children"]
    ]
    assert first["children"][0]["deadline_kind"] == "years"


def test_parent_of_sub_items_with_their_own_deadlines_is_not_flagged(cast):
    out, _ = run(str(FIXTURES / SPB), "--org", cast.muni.slug, "--period", "2021-09-01:2022-08-31")
    with tenant_scope(cast.muni):
        parent = Activity.objects.get(title="Подведение итогов пилотного проекта")
        children = list(Activity.objects.filter(parent=parent).order_by("position"))
        parent_due_rows = ActivityDueDate.objects.filter(activity=parent).count()
        unclear = Activity.objects.filter(deadline_unclear=True).count()
    # The multi-line list is kept as written, read "по подпунктам", and has no dates.
    assert parent.deadline_text.startswith("1. сентябрь-октябрь 2021 г.\n2. октябрь 2021 г.")
    assert (parent.deadline_kind, parent.deadline_unclear) == ("by_items", False)
    assert parent.deadline["kind"] == "by_items"
    assert parent.due_date is None and parent_due_rows == 0
    # Its five children keep their own deadlines and kinds.
    assert [(c.deadline_text, c.deadline_kind, c.deadline_unclear) for c in children] == [
        ("сентябрь-октябрь 2021 г.", "range", False),
        ("октябрь 2021 г.", "month", False),
        ("постоянно", "continuous", False),
        ("ежегодно (май, ноябрь)", "yearly", False),
        ("ноябрь 2021 г.", "month", False),
    ]
    assert [c.due_date for c in children] == [
        date(2021, 10, 31),
        date(2021, 10, 31),
        date(2022, 8, 31),
        date(2021, 11, 30),
        date(2021, 11, 30),
    ]
    assert f"Сроков требуют уточнения: {unclear}" in out


def test_dry_run_writes_nothing(cast):
    out, _ = run(str(FIXTURES / "oblivsky.docx"), "--org", cast.muni.slug, "--dry-run")
    assert "Разделов:" in out and "ничего не записано" in out
    assert written() == (0, 0, 0)
    assert not AuditEntry.objects.filter(action="roadmap.import").exists()


@pytest.mark.parametrize(
    ("file_name", "org", "period", "message"),
    [
        ("not-a-roadmap.docx", "muni", None, "дорожной карты"),
        ("wrong-table.docx", "muni", None, "дорожной карты"),
        ("no-such-file.docx", "muni", None, "Не удалось открыть файл"),
        (NC, "no-such-org", None, "Организация «no-such-org» не найдена."),
        (NC, "muni", "2024-09-01:2023-08-31", "Окончание периода раньше его начала."),
        (NC, "muni", "сентябрь", "Период указывается"),
    ],
)
def test_errors_exit_non_zero_in_russian_and_write_nothing(cast, file_name, org, period, message):
    args = [str(FIXTURES / file_name), "--org", org]
    if period:
        args += ["--period", period]
    with pytest.raises(CommandError) as error:
        run(*args)
    assert message in str(error.value)
    assert written() == (0, 0, 0)
