"""The audit page: Russian names for every recorded action, filters, a fixed query count."""

from __future__ import annotations

import ast
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import lxml.html
import pytest
from django.conf import settings
from django.utils import timezone

from mentorship import audit, discovery

URL = "/o/school-a1/audit/"
MOSCOW = ZoneInfo("Europe/Moscow")


# --- Every code the code base records has a Russian name -----------------------------


def _project_sources() -> list[Path]:
    """The .py files of the project's own apps (no migrations, no tests)."""
    roots = {Path(c.path).resolve() for c in discovery.project_apps()}
    files = {p for root in roots for p in root.rglob("*.py") if "migrations" not in p.parts}
    return sorted(files)


def _writes_audit(call: ast.Call) -> bool:
    """audit.record(...), record(...), AuditEntry(...), AuditEntry.objects.create(...)."""
    func = call.func
    if isinstance(func, ast.Name):
        return func.id in {"record", "AuditEntry"}
    if isinstance(func, ast.Attribute):
        if func.attr == "record":
            return isinstance(func.value, ast.Name) and func.value.id == "audit"
        if func.attr == "create" and isinstance(func.value, ast.Attribute):
            owner = func.value.value
            return isinstance(owner, ast.Name) and owner.id == "AuditEntry"
    return False


def _codes(node: ast.expr) -> set[str] | None:
    """The literal codes an `action=` expression can take; None when it is not literal."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        body, orelse = _codes(node.body), _codes(node.orelse)
        return None if body is None or orelse is None else body | orelse
    return None


def recorded_actions() -> tuple[dict[str, list[str]], list[str]]:
    """code → where it is recorded, and the places whose code is not a literal."""
    found: dict[str, list[str]] = {}
    dynamic: list[str] = []
    writer = Path(audit.__file__).resolve()
    for path in _project_sources():
        if path == writer:
            continue  # record() itself passes its argument on
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call) or not _writes_audit(call):
                continue
            for kw in call.keywords:
                if kw.arg != "action":
                    continue
                where = f"{path.relative_to(settings.BASE_DIR)}:{call.lineno}"
                codes = _codes(kw.value)
                if codes is None:
                    dynamic.append(where)
                    continue
                for code in codes:
                    found.setdefault(code, []).append(where)
    return found, dynamic


def test_every_recorded_action_has_a_russian_name():
    found, dynamic = recorded_actions()
    # The walk must see the code base, not an empty tree: the apps record dozens.
    assert len(found) >= 50, sorted(found)
    assert {"pair.transition", "consent.record", "roadmap.approve", "campaign.join"} <= set(found)
    assert dynamic == [], f"write the audit action as a literal, so it can be named: {dynamic}"
    labels = audit.action_labels()
    missing = {code: where for code, where in found.items() if code not in labels}
    assert missing == {}, (
        f"name these audit actions in mentorship/audit.py or <app>/audit_actions.py: {missing}"
    )
    for code, label in labels.items():
        text = str(label)
        assert text and text != code and any("а" <= ch <= "я" for ch in text.lower()), code


def test_the_core_names_no_feature_app_code_itself():
    # The feature apps name their own codes; the core's map holds only the core's
    # (staff invitations are the core's: mentorship/services/invitations.py).
    assert {code.split(".")[0] for code in audit.ACTIONS} <= {
        "organization",
        "membership",
        "invitation",
        "document",
    }
    assert audit.action_label("registry.import") == "Загрузка реестра из файла"
    assert audit.action_label("no.such_code") == "no.such_code"


# --- The page -----------------------------------------------------------------------


def _entry(cast, action: str, *, actor=None, at: datetime | None = None, obj: str = ""):
    entry = audit.record(actor=actor, organization=cast.school, action=action)
    entry.object_repr = obj
    if at is not None:
        entry.at = at
    entry.save(update_fields=["object_repr", "at"])
    return entry


def _rows(response) -> list[tuple[str, str, str]]:
    assert response.status_code == 200
    doc = lxml.html.fromstring(response.content.decode())
    return [
        (
            td.get("title"),
            td.text_content().strip(),
            td.getparent().xpath("td")[3].text_content().strip(),
        )
        for td in doc.xpath('//td[@data-testid="audit-action"]')
    ]


def test_the_page_names_actions_in_russian(client, cast):
    _entry(cast, "pair.transition", actor=cast.curator, obj="Пара №1")
    _entry(cast, "consent.record", actor=cast.curator, obj="Иванов Иван")
    _entry(cast, "campaign.join", obj="Мониторинг 2025")
    client.force_login(cast.curator)
    rows = _rows(client.get(URL))
    assert {(code, label) for code, label, _ in rows} == {
        ("pair.transition", "Смена статуса пары"),
        ("consent.record", "Внесено согласие"),
        ("campaign.join", "Присоединение школы к кампании мониторинга"),
    }
    body = client.get(URL).content.decode()
    doc = lxml.html.fromstring(body)
    # No raw code is shown as text anywhere in the table.
    assert "pair.transition" not in doc.xpath('string(//table[@data-testid="audit-log"])')
    # The action filter lists Russian names, the codes only as values.
    options = doc.xpath('//select[@name="action"]/option')
    assert options[0].text == "Все действия"
    by_value = {o.get("value"): o.text for o in options}
    assert by_value["pair.transition"] == "Смена статуса пары"
    assert set(by_value) - {""} == set(audit.action_labels())


def test_filters_by_action_person_and_dates(client, cast):
    day = datetime(2025, 3, 10, 12, 0, tzinfo=MOSCOW)
    _entry(cast, "pair.transition", actor=cast.curator, at=day, obj="A")
    _entry(cast, "pair.transition", actor=cast.methodist, at=day + timedelta(days=1), obj="B")
    _entry(cast, "consent.record", actor=cast.curator, at=day + timedelta(days=2), obj="C")
    _entry(cast, "campaign.join", at=day + timedelta(days=3), obj="D")
    # Another organisation's entry never shows, whatever the filter.
    audit.record(actor=cast.curator, organization=cast.school2, action="pair.transition")
    client.force_login(cast.curator)

    def objects(**params) -> list[str]:
        return sorted(obj for _, _, obj in _rows(client.get(URL, params)))

    assert objects() == ["A", "B", "C", "D"]
    assert objects(action="pair.transition") == ["A", "B"]
    assert objects(person=cast.curator.pk) == ["A", "C"]
    assert objects(person="system") == ["D"]
    assert objects(person=cast.curator.pk, action="pair.transition") == ["A"]
    assert objects(since="2025-03-11") == ["B", "C", "D"]
    assert objects(until="2025-03-11") == ["A", "B"]
    assert objects(since="2025-03-11", until="2025-03-12") == ["B", "C"]
    # The person select offers those who appear in this log (and nobody else's staff).
    doc = lxml.html.fromstring(client.get(URL).content.decode())
    people = {o.get("value") for o in doc.xpath('//select[@name="person"]/option')}
    assert people == {"", str(cast.curator.pk), str(cast.methodist.pk), "system"}
    # A date the calendar cannot have produced (a hand-edited link) is refused with the
    # field's name and a Russian message, never read as "no date".
    response = client.get(URL, {"since": "вчера", "action": "consent.record"})
    assert response.status_code == 400
    assert "since" in response.content.decode() and "дату" in response.content.decode()


def test_a_date_is_a_moscow_day(client, cast):
    # 23:30 UTC on the 10th is already the 11th in Moscow: the filter follows Moscow.
    _entry(cast, "pair.update", at=datetime(2025, 3, 10, 23, 30, tzinfo=ZoneInfo("UTC")), obj="X")
    client.force_login(cast.curator)
    assert [o for _, _, o in _rows(client.get(URL, {"since": "2025-03-11"}))] == ["X"]
    assert _rows(client.get(URL, {"until": "2025-03-10"})) == []


def test_pages_keep_the_filter(client, cast):
    now = timezone.now()
    for i in range(55):
        _entry(cast, "pair.update", at=now - timedelta(minutes=i), obj=f"P{i}")
    _entry(cast, "consent.record", obj="other")
    client.force_login(cast.curator)
    first = client.get(URL, {"action": "pair.update"})
    assert len(_rows(first)) == 50
    doc = lxml.html.fromstring(first.content.decode())
    next_link = doc.xpath('//ul[contains(@class, "pagination")]//a')[-1].get("href")
    assert "action=pair.update" in next_link and "page=2" in next_link
    second = client.get(URL + next_link)
    assert [o for _, _, o in _rows(second)] == [f"P{i}" for i in range(50, 55)]


AUDIT_QUERIES = 9


@pytest.mark.parametrize("rows", [3, 120])
def test_query_count_does_not_grow_with_rows(client, cast, django_assert_num_queries, rows):
    people = [cast.curator, cast.methodist, None]
    for i in range(rows):
        _entry(cast, "pair.transition", actor=people[i % 3], obj=f"Пара №{i}")
    client.force_login(cast.curator)
    client.get(URL)  # warm the session and the caches
    # Every page: session, user, the organisation of the URL, the roles there, unread
    # notifications, the switcher's organisations. This page: the people for the filter,
    # the count, the page of entries (the actor as recorded, no join per row).
    with django_assert_num_queries(AUDIT_QUERIES):
        response = client.get(URL, {"action": "pair.transition", "page": "2" if rows > 50 else 1})
    assert response.status_code == 200
