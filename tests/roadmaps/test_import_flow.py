"""Import of a roadmap through the web: upload → preview (nothing written) → save."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import lxml.html
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, resolve, reverse
from django.utils.html import escape

from mentorship.models import AuditEntry, Role
from mentorship.tenancy.scoping import tenant_scope, unscoped_reads
from roadmaps.importing import RoadmapFileError, read_roadmap
from roadmaps.models import Activity, ActivityDueDate, Roadmap, RoadmapStatus, Section
from tests.factories import MembershipFactory, UserFactory

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "roadmaps"
EXPECTED = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
ROADMAP_FILES = [
    "naberezhnye-chelny-2023-2024.docx",
    "spb-appo.docx",
    "oblivsky.docx",
    "naberezhnye-chelny-2023-2024.xlsx",
]
SPB = "spb-appo.docx"
PERIOD = {"period_start": "2021-09-01", "period_end": "2022-08-31"}


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path) -> Path:
    settings.ROADMAP_IMPORT_DIR = tmp_path / "imports"
    return settings.ROADMAP_IMPORT_DIR


# --------------------------------------------------------------------------- helpers


def upload(client, org, name: str, **fields):
    data = {**PERIOD, "title": "", **fields}
    data["file"] = SimpleUploadedFile(name, (FIXTURES / name).read_bytes())
    return client.post(reverse("roadmaps:roadmap_import", kwargs={"org_slug": org.slug}), data)


def token_of(response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    return resolve(response["Location"]).kwargs["token"]


def preview_url(org, token: str) -> str:
    return reverse("roadmaps:roadmap_import_preview", kwargs={"org_slug": org.slug, "token": token})


def _text(element) -> str:
    for br in element.iter("br"):
        br.tail = "\n" + (br.tail or "")
    return element.text_content().strip()


def page_rows(html: str) -> list[tuple[str, str, str, str]]:
    """(number, title, responsible, deadline) of every activity row the preview shows."""
    doc = lxml.html.fromstring(html)
    rows = []
    for tr in doc.xpath('//tr[@data-testid="activity"]'):
        field = {el.get("data-field"): _text(el) for el in tr.xpath(".//*[@data-field]")}
        rows.append((field["number"], field["title"], field["responsible"], field["deadline"]))
    return rows


def _flat(activities: list[dict]):
    for a in activities:
        yield a
        yield from _flat(a["children"])


def expected_rows(name: str, fields=("number", "title", "responsible", "deadline")) -> list:
    return [
        tuple(a[f] for f in fields)
        for s in EXPECTED[name]["sections"]
        for a in _flat(s["activities"])
    ]


def db_counts() -> dict[str, int]:
    with unscoped_reads():
        return {
            "roadmaps": Roadmap.objects.count(),
            "sections": Section.objects.count(),
            "activities": Activity.objects.count(),
            "due_dates": ActivityDueDate.objects.count(),
            "audit": AuditEntry.objects.filter(action="roadmap.import").count(),
        }


NOTHING = {"roadmaps": 0, "sections": 0, "activities": 0, "due_dates": 0, "audit": 0}


def stored_tree(org) -> tuple[Roadmap, list[Section], list[Activity]]:
    """The one roadmap of `org`, its sections, and its activities depth-first."""
    with tenant_scope(org):
        roadmap = Roadmap.objects.get()
        sections = list(roadmap.sections.order_by("position"))
        activities = list(roadmap.activities.order_by("position"))
    children: dict[int | None, list[Activity]] = {}
    for a in activities:
        children.setdefault(a.parent_id, []).append(a)

    def down(items):
        for a in items:
            yield a
            yield from down(children.get(a.pk, []))

    ordered = [a for s in sections for a in down(x for x in children[None] if x.section_id == s.pk)]
    return roadmap, sections, ordered


def roadmap_page(org, roadmap_id: int) -> str:
    try:
        return reverse(
            "roadmaps:roadmap_detail", kwargs={"org_slug": org.slug, "roadmap_id": roadmap_id}
        )
    except NoReverseMatch:
        return reverse("org_home", kwargs={"org_slug": org.slug})


def save(client, org, token: str, **fields):
    data = {"title": "Импортированная карта", **PERIOD, **fields}
    return client.post(preview_url(org, token), data)


def by_key(activities: list[Activity], sections: list[Section], key: str) -> Activity:
    """The stored activity for a preview key "s<i>-a<j>[-c<k>]" (0-based positions)."""
    parts = key.split("-")
    section = sections[int(parts[0][1:])]
    found = next(
        a
        for a in activities
        if a.section_id == section.pk
        and a.parent_id is None
        and a.position == int(parts[1][1:]) + 1
    )
    for part in parts[2:]:
        found = next(
            a for a in activities if a.parent_id == found.pk and a.position == int(part[1:]) + 1
        )
    return found


# --------------------------------------------------------------------------- the flow


@pytest.mark.parametrize("name", ROADMAP_FILES)
def test_preview_lists_every_activity_and_writes_nothing(client, cast, name, import_dir):
    client.force_login(cast.methodist)
    token = token_of(upload(client, cast.muni, name))

    response = client.get(preview_url(cast.muni, token))

    assert response.status_code == 200
    html = response.content.decode()
    assert page_rows(html) == expected_rows(name)
    doc = lxml.html.fromstring(html)
    sections = [
        (
            _text(tr.xpath('.//*[@data-field="section-title"]')[0]),
            bool(tr.xpath(".//*[@data-testid='every-school']")),
        )
        for tr in doc.xpath('//tr[@data-testid="section"]')
    ]
    assert sections == [(s["title"], s["for_every_school"]) for s in EXPECTED[name]["sections"]]
    preview = response.context["preview"]
    assert int(doc.xpath('//*[@data-count="activities"]')[0].text) == len(expected_rows(name))
    assert preview["counts"]["sections"] == len(EXPECTED[name]["sections"])
    unclear = [
        r
        for r in doc.xpath('//tr[@data-testid="activity"]')
        if "table-warning" in (r.get("class") or "")
    ]
    assert (
        len(unclear)
        == preview["counts"]["unclear"]
        == int(doc.xpath('//*[@data-count="unclear"]')[0].text)
    )
    assert all(r.xpath(".//*[@data-testid='unclear']") for r in unclear)
    assert response.context["form"].initial["title"] == EXPECTED[name]["title"]
    # Nothing in the database: the preview waits in one file of its own.
    assert db_counts() == NOTHING
    assert [p.name for p in import_dir.iterdir()] == [f"{token}.json"]


@pytest.mark.parametrize("name", ROADMAP_FILES)
def test_save_stores_every_activity_as_written(client, cast, name, import_dir):
    client.force_login(cast.methodist)
    token = token_of(upload(client, cast.muni, name))

    response = save(client, cast.muni, token, title="Дорожная карта 2021/2022")

    roadmap, sections, activities = stored_tree(cast.muni)
    assert response.status_code == 302
    assert response["Location"] == roadmap_page(cast.muni, roadmap.pk)
    assert (roadmap.title, roadmap.status, roadmap.organization_id) == (
        "Дорожная карта 2021/2022",
        RoadmapStatus.DRAFT,
        cast.muni.pk,
    )
    assert (roadmap.period_start, roadmap.period_end) == (date(2021, 9, 1), date(2022, 8, 31))
    assert [(s.title, s.for_every_school) for s in sections] == [
        (s["title"], s["for_every_school"]) for s in EXPECTED[name]["sections"]
    ]
    fields = (
        "number",
        "title",
        "content",
        "responsible",
        "deadline",
        "expected_result",
        "document_kind",
    )
    stored = [
        (
            a.number,
            a.title,
            a.content,
            a.responsible_text,
            a.deadline_text,
            a.expected_result,
            a.document_kind,
        )
        for a in activities
    ]
    assert stored == expected_rows(name, fields)
    # Children hang under their parent; activities carry their section's duty of every school.
    expected_children = [
        len(a["children"]) for s in EXPECTED[name]["sections"] for a in _flat(s["activities"])
    ]
    assert [
        sum(1 for c in activities if c.parent_id == a.pk) for a in activities
    ] == expected_children
    by_pk = {s.pk: s for s in sections}
    assert all(a.for_every_school == by_pk[a.section_id].for_every_school for a in activities)
    # Deadlines were read against the roadmap's period, due-date rows written.
    with tenant_scope(cast.muni):
        due_rows = ActivityDueDate.objects.filter(activity__roadmap=roadmap).count()
    assert all(a.deadline_kind for a in activities)
    assert due_rows >= sum(1 for a in activities if a.due_date)
    entry = AuditEntry.objects.get(action="roadmap.import")
    assert entry.details["activities"] == len(activities) and entry.actor == cast.methodist
    # The preview is used up: a second click creates nothing more.
    assert list(import_dir.iterdir()) == []
    again = save(client, cast.muni, token)
    assert again.status_code == 404
    assert db_counts()["roadmaps"] == 1


def test_corrected_deadline_is_parsed_and_accepted_one_stays_flagged(client, cast):
    client.force_login(cast.methodist)
    token = token_of(upload(client, cast.muni, SPB))
    preview = client.get(preview_url(cast.muni, token)).context["preview"]
    unclear = [
        a["key"] for s in preview["sections"] for a in _flat(s["activities"]) if a["unclear"]
    ]
    corrected, accepted = unclear[0], unclear[1]

    response = save(
        client,
        cast.muni,
        token,
        **{f"deadline-{corrected}": "до 31 мая 2022", f"deadline-{accepted}": ""},
    )

    assert response.status_code == 302
    _, sections, activities = stored_tree(cast.muni)
    fixed = by_key(activities, sections, corrected)
    assert (fixed.deadline_text, fixed.deadline_kind, fixed.deadline_unclear) == (
        "до 31 мая 2022",
        "date",
        False,
    )
    assert fixed.due_date == date(2022, 5, 31)
    with tenant_scope(cast.muni):
        assert list(fixed.due_dates.values_list("due_on", flat=True)) == [date(2022, 5, 31)]
    kept = by_key(activities, sections, accepted)
    assert kept.deadline_unclear and kept.deadline_kind == "unreadable"
    flagged = sum(a.deadline_unclear for a in activities)
    assert flagged == preview["counts"]["unclear"] - 1
    assert AuditEntry.objects.get(action="roadmap.import").details["corrected"] == 1


def test_unchanged_multiline_deadline_is_not_a_correction(client, cast):
    """A textarea sends CRLF line breaks: the same words must not count as a new text."""
    client.force_login(cast.methodist)
    token = token_of(upload(client, cast.muni, SPB))
    preview = client.get(preview_url(cast.muni, token)).context["preview"]
    multiline = next(
        a for s in preview["sections"] for a in _flat(s["activities"]) if "\n" in a["deadline_text"]
    )
    sent = multiline["deadline_text"].replace("\n", "\r\n") + " "
    save(client, cast.muni, token, **{f"deadline-{multiline['key']}": sent})
    _, sections, activities = stored_tree(cast.muni)
    assert (
        by_key(activities, sections, multiline["key"]).deadline_text == multiline["deadline_text"]
    )


def test_correction_field_reparses_one_deadline(client, cast):
    client.force_login(cast.methodist)
    url = reverse("roadmaps:roadmap_import_deadline", kwargs={"org_slug": cast.muni.slug})

    readable = client.get(
        url, {"key": "s0-a1", "deadline-s0-a1": "ежегодно (май, ноябрь)", **PERIOD}
    )
    unreadable = client.get(url, {"key": "s0-a1", "deadline-s0-a1": "когда-нибудь", **PERIOD})

    assert readable.status_code == 200
    html = readable.content.decode()
    assert "ежегодно: май, ноябрь" in html and "31.05.2022" in html and "30.11.2021" in html
    assert "срок требует уточнения" not in html
    assert "срок требует уточнения" in unreadable.content.decode()
    assert client.post(url).status_code == 405
    assert db_counts() == NOTHING


def test_correction_field_reads_a_list_of_per_item_deadlines_by_items(client, cast):
    client.force_login(cast.methodist)
    url = reverse("roadmaps:roadmap_import_deadline", kwargs={"org_slug": cast.muni.slug})
    text = "1. сентябрь-октябрь 2021 г.\n2. постоянно"

    html = client.get(url, {"key": "s0-a1", "deadline-s0-a1": text, **PERIOD}).content.decode()

    assert "по подпунктам" in html
    assert "срок требует уточнения" not in html


def test_curator_imports_the_schools_roadmap(client, cast):
    client.force_login(cast.curator)
    token = token_of(upload(client, cast.school, "oblivsky.docx"))
    assert save(client, cast.school, token).status_code == 302
    roadmap, _, _ = stored_tree(cast.school)
    assert roadmap.organization_id == cast.school.pk


def test_upload_page_leaves_the_period_to_the_document(client, cast):
    # Issue 14: a pre-filled school year hid a roadmap's own years (every deadline "outside
    # the period", nothing said). The period is now read from the document by default.
    client.force_login(cast.methodist)
    response = client.get(reverse("roadmaps:roadmap_import", kwargs={"org_slug": cast.muni.slug}))
    assert response.status_code == 200
    form = response.context["form"]
    assert "period_start" not in form.initial and "period_end" not in form.initial
    assert not form.fields["period_start"].required and not form.fields["period_end"].required
    assert "из заголовка документа" in response.content.decode()


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize("name", ["not-a-roadmap.docx", "wrong-table.docx"])
def test_a_file_that_is_not_a_roadmap_is_refused_in_russian(client, cast, name, import_dir):
    with pytest.raises(RoadmapFileError) as error:
        read_roadmap((FIXTURES / name).read_bytes(), name)
    client.force_login(cast.methodist)

    response = upload(client, cast.muni, name)

    assert response.status_code == 200
    assert escape(error.value.message) in response.content.decode()
    assert "дорожной карты" in error.value.message
    assert db_counts() == NOTHING
    assert not import_dir.exists() or list(import_dir.iterdir()) == []


def test_bad_period_keeps_the_preview(client, cast, import_dir):
    client.force_login(cast.methodist)
    token = token_of(upload(client, cast.muni, "oblivsky.docx"))
    response = save(client, cast.muni, token, period_start="2022-09-01", period_end="2022-01-01")
    assert response.status_code == 200
    assert "Окончание периода раньше его начала." in response.content.decode()
    assert db_counts() == NOTHING
    assert save(client, cast.muni, token).status_code == 302


def test_another_users_or_another_orgs_token_is_refused(client, cast):
    client.force_login(cast.methodist)
    token = token_of(upload(client, cast.muni, "oblivsky.docx"))
    colleague = UserFactory(email="methodist2@a.test")
    MembershipFactory(user=colleague, organization=cast.muni, role=Role.METHODIST)

    # The same methodist at one of the municipality's schools: he does not import a
    # school's roadmap (roadmaps.import: a curator's at a school), so the page is 403.
    for method in ("get", "post"):
        assert getattr(client, method)(preview_url(cast.school, token)).status_code == 403
    client.force_login(colleague)
    for method in ("get", "post"):
        assert getattr(client, method)(preview_url(cast.muni, token)).status_code == 404
    assert client.get(preview_url(cast.muni, "not-a-token")).status_code == 404
    assert client.get(preview_url(cast.muni, "x" * 40)).status_code == 404
    assert db_counts() == NOTHING


def test_the_token_of_one_school_is_not_found_at_another_of_the_same_curator(client, cast):
    MembershipFactory(user=cast.curator, organization=cast.school2, role=Role.CURATOR)
    client.force_login(cast.curator)
    token = token_of(upload(client, cast.school, "oblivsky.docx"))
    for method in ("get", "post"):
        response = getattr(client, method)(preview_url(cast.school2, token))
        assert response.status_code == 404
        assert "Предпросмотр не найден" in response.content.decode()
    assert db_counts() == NOTHING


def test_curator_of_another_school_cannot_save_into_this_one(client, cast):
    client.force_login(cast.curator)
    token = token_of(upload(client, cast.school, "oblivsky.docx"))
    client.force_login(cast.curator2)
    assert save(client, cast.school, token).status_code == 404  # not her school
    assert save(client, cast.school2, token).status_code == 404  # not her token
    client.force_login(cast.other_curator)
    assert save(client, cast.school, token).status_code == 404
    assert db_counts() == NOTHING


def test_expired_preview_is_refused_and_removed(client, cast, import_dir):
    client.force_login(cast.methodist)
    token = token_of(upload(client, cast.muni, "oblivsky.docx"))
    path = import_dir / f"{token}.json"
    payload = json.loads(path.read_text(encoding="utf-8"))
    payload["created"] -= 3601
    path.write_text(json.dumps(payload), encoding="utf-8")

    response = save(client, cast.muni, token)

    assert response.status_code == 404
    assert "устарел" in response.content.decode()
    assert not path.exists()
    assert db_counts() == NOTHING


def test_school_viewer_gets_403(client, cast):
    client.force_login(cast.viewer)
    school = cast.school.slug
    urls = [
        reverse("roadmaps:roadmap_import", kwargs={"org_slug": school}),
        reverse("roadmaps:roadmap_import_preview", kwargs={"org_slug": school, "token": "x" * 32}),
    ]
    for url in urls:
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
    deadline = reverse("roadmaps:roadmap_import_deadline", kwargs={"org_slug": school})
    assert client.get(deadline).status_code == 403


def test_department_reads_but_does_not_import(client, cast):
    client.force_login(cast.department)
    response = upload(client, cast.muni, "oblivsky.docx")
    assert response.status_code == 403
    assert db_counts() == NOTHING


def test_wrong_methods_are_refused(client, cast):
    client.force_login(cast.methodist)
    url = reverse("roadmaps:roadmap_import", kwargs={"org_slug": cast.muni.slug})
    assert client.put(url).status_code == 405
    assert client.delete(url).status_code == 405
