"""The document pipeline: request → task → PDF, numbering, the fetcher wall, views, command."""

from __future__ import annotations

import datetime
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from mentorship import access as core_access
from mentorship.celery import app as celery_app
from mentorship.documents import kinds
from mentorship.documents.rendering import RefusedURL, StaticOnlyFetcher, html_to_pdf
from mentorship.documents.services import (
    document_regenerate,
    document_render,
    document_request,
    next_number,
)
from mentorship.models import (
    AuditEntry,
    Document,
    DocumentStatus,
    Membership,
    Organization,
    Role,
    User,
)
from mentorship.tenancy.scoping import tenant_scope
from tests.factories import MembershipFactory, OrganizationFactory

HEADER = "Управление образования Исполнительного комитета г. Набережные Челны"
PDF_STUB = b"%PDF-1.4\n% a stand-in file for tests that do not look inside\n"


def make_ready_document(
    organization: Organization, *, number: str | None = None, content: bytes | None = PDF_STUB
) -> Document:
    """A finished staff_list without rendering. `content=None` names a file that does not
    exist: anything that manages to open it fails loudly (the permission matrix uses that)."""
    document = document_request(
        actor=None, organization=organization, kind="staff_list", number=number, schedule=False
    )
    with tenant_scope(organization):
        if content is None:
            document.file.name = f"documents/{organization.slug}/missing-{document.pk}.pdf"
        else:
            document.file.save(f"stub-{document.pk}.pdf", ContentFile(content), save=False)
        document.status = DocumentStatus.READY
        document.save()
    return document


def pdf_text(data: bytes, *, first: int | None = None, last: int | None = None) -> str:
    args = ["pdftotext", "-enc", "UTF-8"]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    out = subprocess.run([*args, "-", "-"], input=data, capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


def attachments_of(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "probe.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdfdetach", "-list", str(path)], capture_output=True, check=True)
    return out.stdout.decode()


def read(document: Document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def school(cast) -> Organization:
    cast.school.document_header = HEADER
    cast.school.head_position = "Директор"
    cast.school.head_name = "Иванова А.С."
    cast.school.save()
    return cast.school


def request_and_run(django_capture_on_commit_callbacks, **kwargs) -> Document:
    kwargs.setdefault("actor", None)
    kwargs.setdefault("kind", "staff_list")
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(**kwargs)
    with tenant_scope(document.organization):
        document.refresh_from_db()
    return document


# --- the pipeline -------------------------------------------------------------------------


def test_request_renders_a_real_russian_pdf(cast, school, django_capture_on_commit_callbacks):
    document = request_and_run(
        django_capture_on_commit_callbacks, actor=cast.curator, organization=school
    )
    assert document.status == DocumentStatus.READY, document.error
    assert document.number == "1"
    assert document.file.name.startswith(f"documents/{school.slug}/")
    data = read(document)
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    for expected in (
        HEADER,
        "СПИСОК",
        "Стр. 1 из 1",
        cast.curator.get_full_name(),
        cast.viewer.get_full_name(),
        "Куратор",
        "Фамилия, имя, отчество",
        "Иванова А.С.",
    ):
        assert expected in text
    assert re.search(rf"№\s?{document.number}\b", text)  # pdftotext may drop the thin gap
    assert cast.methodist.get_full_name() not in text  # the municipality's staff, not ours
    assert AuditEntry.objects.filter(action="document.request", object_id=str(document.pk)).exists()


def test_the_stylesheet_and_its_fonts_reach_the_pdf(school, django_capture_on_commit_callbacks):
    document = request_and_run(django_capture_on_commit_callbacks, organization=school)
    path = Path(document.file.path)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True).stdout
    # PT Serif comes only from documents.css, which only the static-file fetcher can load.
    assert b"PT-Serif" in fonts


def test_regeneration_overwrites_one_row_and_one_file(
    cast, school, django_capture_on_commit_callbacks
):
    first = request_and_run(django_capture_on_commit_callbacks, organization=school, number="7")
    old_path = Path(first.file.path)
    MembershipFactory(
        user__email="new@a1.test", user__last_name="Новикова", organization=school, role="curator"
    )
    again = request_and_run(
        django_capture_on_commit_callbacks,
        organization=school,
        number="7",
        date=first.date.replace(day=1),
    )
    assert again.pk == first.pk
    assert again.revision == 2 and again.status == DocumentStatus.READY
    with tenant_scope(school):
        assert Document.objects.filter(kind="staff_list").count() == 1
    files = list((Path(again.file.path).parent).iterdir())
    assert files == [Path(again.file.path)] and not old_path.exists()
    assert "Новикова" in pdf_text(read(again))

    with django_capture_on_commit_callbacks(execute=True):
        document_regenerate(actor=cast.curator, document=again)
    with tenant_scope(school):
        assert Document.objects.get().revision == 3
    assert AuditEntry.objects.filter(action="document.regenerate").count() == 2


def test_a_render_overtaken_by_a_newer_request_does_not_store(school, monkeypatch):
    from mentorship.documents import services

    document = document_request(actor=None, organization=school, kind="staff_list", schedule=False)

    def render_while_someone_regenerates(*args, **kwargs) -> bytes:
        document_request(
            actor=None,
            organization=school,
            kind="staff_list",
            number=document.number,
            schedule=False,
        )
        return PDF_STUB

    monkeypatch.setattr(services, "render_pdf", render_while_someone_regenerates)
    document_render(document.pk)
    with tenant_scope(school):
        document.refresh_from_db()
    # The newer request's own task will write the file; the stale one left it alone.
    assert (document.revision, document.status, document.file.name) == (2, "pending", "")


@pytest.fixture
def unnumbered_kind():
    real = kinds.get("staff_list")
    kinds.register(
        "staff_draft",
        label="Черновик списка",
        template=real.template,
        build_context=real.build_context,
        roles=real.roles,
        numbered=False,
    )
    yield
    kinds.unregister("staff_draft")


def test_unnumbered_documents_regenerate_in_place(
    school, unnumbered_kind, django_capture_on_commit_callbacks
):
    document = request_and_run(
        django_capture_on_commit_callbacks, organization=school, kind="staff_draft"
    )
    assert document.number == "" and document.status == DocumentStatus.READY
    with django_capture_on_commit_callbacks(execute=True):
        again = document_regenerate(actor=None, document=document)  # no scope active here
    assert (again.pk, again.revision) == (document.pk, 2)
    with tenant_scope(school):
        assert Document.objects.get().status == DocumentStatus.READY


# --- numbers ------------------------------------------------------------------------------


def test_numbers_are_per_organisation_kind_and_year(cast):
    assert next_number(cast.school, "staff_list", 2025) == "1"
    assert next_number(cast.school, "staff_list", 2025) == "2"
    assert next_number(cast.school2, "staff_list", 2025) == "1"
    assert next_number(cast.school, "staff_list", 2026) == "1"
    assert next_number(cast.school, "pair_order", 2025) == "1"
    # A number typed by hand is skipped by the register.
    document_request(
        actor=None,
        organization=cast.school,
        kind="staff_list",
        number="3",
        date=datetime.date(2025, 5, 1),
        schedule=False,
    )
    assert next_number(cast.school, "staff_list", 2025) == "4"


def test_a_number_is_unique_per_organisation_kind_and_year(cast):
    def create(org, number, year=2025, status=DocumentStatus.READY):
        with tenant_scope(org), transaction.atomic():
            return Document.objects.create(
                organization=org,
                kind="staff_list",
                title="Список",
                number=number,
                date=datetime.date(year, 3, 1),
                status=status,
            )

    create(cast.school, "12")
    create(cast.school, "12", year=2026)
    create(cast.school2, "12")
    create(cast.school, "")
    create(cast.school, "")  # unnumbered documents do not collide
    with pytest.raises(IntegrityError):
        create(cast.school, "12")
    # Two unfinished documents of one request (kind and parameters) do: a double click.
    create(cast.school, "13", status=DocumentStatus.PENDING)
    with pytest.raises(IntegrityError):
        create(cast.school, "14", status=DocumentStatus.PENDING)


@pytest.mark.django_db(transaction=True)
def test_concurrent_callers_never_get_the_same_number():
    org = OrganizationFactory(slug="race-school")
    results: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def worker() -> None:
        try:
            barrier.wait()
            for _ in range(10):
                with transaction.atomic():
                    results.append(next_number(org, "staff_list", 2025))
                    time.sleep(0.002)  # hold the lock a moment to invite a race
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(map(int, results)) == list(range(1, 41))


# --- the fetcher wall ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.png",
        "https://example.org/logo.png",
        "https://documents.invalid/etc/passwd",
        "https://documents.invalid/static/../../../../etc/passwd",
        "https://documents.invalid/static/%2e%2e/%2e%2e/settings.py",
        "https://documents.invalid/static//etc/passwd",
        "ftp://127.0.0.1/x",
    ],
)
def test_the_fetcher_refuses_anything_but_our_static_files(url):
    with pytest.raises(RefusedURL):
        StaticOnlyFetcher().fetch(url)


def test_the_fetcher_serves_static_files_and_data_urls():
    fetcher = StaticOnlyFetcher()
    css = fetcher.fetch("https://documents.invalid/static/css/documents.css")
    assert b"@page" in css.read() and css.content_type == "text/css"
    data = fetcher.fetch("data:text/plain;base64,0J/RgNC40LLQtdGC")
    assert data.read().decode() == "Привет"


@pytest.fixture
def listener():
    """A real TCP server: if the renderer ever connects, the test knows."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    accepted: list[object] = []
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            accepted.append(conn)
            conn.close()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    yield server.getsockname()[1], accepted
    stop.set()
    thread.join()
    server.close()


def test_hostile_html_embeds_and_fetches_nothing(listener, tmp_path):
    port, accepted = listener
    html = f"""<html><head>
      <link rel="attachment" href="file:///etc/passwd">
      <link rel="stylesheet" href="http://127.0.0.1:{port}/x.css">
      </head><body><p>Текст</p>
      <img src="file:///etc/passwd">
      <img src="http://127.0.0.1:9/x.png">
      <img src="http://127.0.0.1:{port}/y.png">
      <a rel="attachment" href="file:///etc/hostname">вложение</a>
    </body></html>"""
    fetcher = StaticOnlyFetcher()
    pdf = html_to_pdf(html, fetcher=fetcher)
    assert pdf.startswith(b"%PDF") and "Текст" in pdf_text(pdf)
    assert "0 embedded files" in attachments_of(pdf, tmp_path)
    assert b"/EmbeddedFile" not in pdf and b"root:" not in pdf
    assert accepted == []
    assert "file:///etc/passwd" in fetcher.refused
    assert "http://127.0.0.1:9/x.png" in fetcher.refused
    assert fetcher.served == []

    # The control: WeasyPrint's own fetcher does embed the file. Without the wall this
    # test would fail, so it tests something.
    unsafe = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=["file"])).write_pdf()
    assert "0 embedded files" not in attachments_of(unsafe, tmp_path)


def test_user_text_is_escaped_not_obeyed(
    cast, school, django_capture_on_commit_callbacks, tmp_path
):
    cast.curator.last_name = '<link rel="attachment" href="file:///etc/passwd">'
    cast.curator.save()
    document = request_and_run(django_capture_on_commit_callbacks, organization=school)
    data = read(document)
    assert "0 embedded files" in attachments_of(data, tmp_path)
    assert 'rel="attachment"' in pdf_text(data)  # printed as text


# --- failures -----------------------------------------------------------------------------


def test_data_error_marks_failed_with_a_russian_message(cast, client):
    empty = OrganizationFactory(parent=cast.muni, slug="school-a3", short_name="Школа А3")
    document = document_request(actor=None, organization=empty, kind="staff_list", schedule=False)
    document_render(document.pk)
    with tenant_scope(empty):
        document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert document.error == "В организации нет сотрудников с доступом к порталу."
    client.force_login(cast.methodist)  # covers the school from the municipality
    page = client.get(f"/o/{empty.slug}/documents/{document.pk}/")
    assert page.status_code == 200
    assert "В организации нет сотрудников с доступом к порталу." in page.content.decode()
    assert 'hx-trigger="every 2s"' not in page.content.decode()


@pytest.fixture
def broken_kind():
    calls: list[int] = []

    def explode(document: Document) -> dict:
        calls.append(document.pk)
        raise RuntimeError("database hiccup")

    kinds.get("staff_list")  # discover the real kinds first
    kinds.register("broken", label="Сломанный", template="x.html", build_context=explode,
                   roles=(Role.CURATOR,))  # fmt: skip
    kinds.register("no_template", label="Без шаблона", template="documents/nope.html",
                   build_context=lambda d: {}, roles=(Role.CURATOR,))  # fmt: skip
    yield calls
    kinds.unregister("broken")
    kinds.unregister("no_template")


def test_template_error_fails_once_without_retry(
    school, broken_kind, django_capture_on_commit_callbacks
):
    document = request_and_run(
        django_capture_on_commit_callbacks, organization=school, kind="no_template"
    )
    assert document.status == DocumentStatus.FAILED
    assert document.error.startswith("Шаблон документа содержит ошибку")


@pytest.fixture
def eager_retries():
    # Eager mode re-runs retries inline only when it does not propagate exceptions.
    previous = celery_app.conf.task_eager_propagates
    celery_app.conf.task_eager_propagates = False
    yield
    celery_app.conf.task_eager_propagates = previous


def test_unexpected_error_is_retried_then_marked_failed(
    school, broken_kind, eager_retries, django_capture_on_commit_callbacks
):
    document = request_and_run(
        django_capture_on_commit_callbacks, organization=school, kind="broken"
    )
    assert len(broken_kind) == 4  # the first try and three retries (eager: no waiting)
    assert document.status == DocumentStatus.FAILED
    assert document.error.startswith("Не удалось сформировать документ из-за внутренней ошибки")


def test_unexpected_error_in_the_embedded_eager_mode_fails_at_once(
    school, broken_kind, django_capture_on_commit_callbacks
):
    document = request_and_run(
        django_capture_on_commit_callbacks, organization=school, kind="broken"
    )
    assert len(broken_kind) == 1
    assert document.status == DocumentStatus.FAILED  # not "pending" forever


# --- web ----------------------------------------------------------------------------------


def test_curator_requests_a_document_and_watches_it(
    cast, school, client, django_capture_on_commit_callbacks
):
    client.force_login(cast.curator)
    base = f"/o/{school.slug}/documents/"
    listing = client.get(base)
    assert listing.status_code == 200 and "Сформировать документ" in listing.content.decode()
    assert f'href="{base}"' in listing.content.decode()  # the navigation entry
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            f"{base}request/", {"kind": "staff_list", "number": "", "date": "2025-09-01"}
        )
    assert response.status_code == 302
    with tenant_scope(school):
        document = Document.objects.get()
    assert response["Location"] == f"{base}{document.pk}/"
    assert (document.number, document.date) == ("1", datetime.date(2025, 9, 1))

    page = client.get(f"{base}{document.pk}/").content.decode()
    assert 'hx-trigger="every 2s"' in page and "В очереди" in page
    with tenant_scope(school):
        Document.objects.filter(pk=document.pk).update(status=DocumentStatus.RENDERING)
    fragment = client.get(f"{base}{document.pk}/status/").content.decode()
    assert "Формируется…" in fragment and 'hx-trigger="every 2s"' in fragment
    assert "<html" not in fragment

    document_render(document.pk)
    fragment = client.get(f"{base}{document.pk}/status/").content.decode()
    assert "hx-trigger" not in fragment and "Скачать PDF" in fragment


def test_request_form_errors_are_shown_in_russian(cast, school, client):
    client.force_login(cast.curator)
    response = client.post(f"/o/{school.slug}/documents/request/", {"kind": "nope", "date": ""})
    assert response.status_code == 400
    assert "Обязательное поле" in response.content.decode()


def test_download_is_a_pdf_with_a_russian_name_and_is_audited(cast, school, client):
    document = make_ready_document(school, number="12")
    url = f"/o/{school.slug}/documents/{document.pk}/download/"
    for user in (cast.curator, cast.department, cast.curator):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == PDF_STUB
    disposition = response["Content-Disposition"]
    name = f"Список сотрудников с доступом к порталу № 12 от {document.date:%d.%m.%Y}.pdf"
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote(name, safe='')}" in disposition
    assert "no-store" in response["Cache-Control"]
    entries = AuditEntry.objects.filter(action="document.download", object_id=str(document.pk))
    assert entries.count() == 3
    assert {e.actor for e in entries} == {cast.curator, cast.department}


def test_a_foreign_document_is_404_for_every_role(cast, client):
    """A foreign document is 404 for everyone who may open documents at all; a role
    without the documents section at its own organisation (the school viewer) gets the
    section's 403 first, whatever the id: checks run level → role → object."""
    other_school = make_ready_document(cast.other_school)
    far_school = make_ready_document(cast.far_school)
    for role, user in cast.users_by_role().items():
        client.force_login(user)
        own = Membership.objects.filter(user=user).first().organization
        own_code = 404 if core_access.DOCUMENTS.allows(own, {role}) else 403
        # The regional user's reach covers every school of its region, not another region.
        foreign = [far_school] if role == Role.REGIONAL else [other_school, far_school]
        for document in foreign:
            for slug, expected in ((own.slug, own_code), (document.organization.slug, 404)):
                base = f"/o/{slug}/documents/{document.pk}/"
                for suffix in ("", "status/", "download/"):
                    status = client.get(base + suffix).status_code
                    assert status == expected, f"{role} GET {base}{suffix} -> {status}"
                status = client.post(base + "regenerate/").status_code
                assert status == expected, f"{role} POST {base}regenerate/ -> {status}"
    assert not AuditEntry.objects.filter(action="document.download").exists()


def test_wrong_role_is_403(cast, school, client):
    document = make_ready_document(school)
    base = f"/o/{school.slug}/documents/"
    client.force_login(cast.viewer)  # a school viewer has no document kind
    assert client.get(base).status_code == 403
    assert client.get(f"{base}{document.pk}/download/").status_code == 403
    assert (
        client.post(f"{base}request/", {"kind": "staff_list", "date": "2025-09-01"}).status_code
        == 403
    )
    client.force_login(cast.department)  # reads and downloads, does not request
    assert client.get(f"{base}{document.pk}/").status_code == 200
    assert (
        client.post(f"{base}request/", {"kind": "staff_list", "date": "2025-09-01"}).status_code
        == 403
    )
    assert client.post(f"{base}{document.pk}/regenerate/").status_code == 403
    with tenant_scope(school):
        assert Document.objects.count() == 1


def test_the_list_costs_the_same_queries_for_3_or_30_documents(cast, school, client):
    client.force_login(cast.curator)
    url = f"/o/{school.slug}/documents/"
    client.get(url)  # the session's first touch (its stamp is written) is not the page
    for _ in range(3):
        make_ready_document(school)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(27):
        make_ready_document(school)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(few) == len(many)


def test_the_municipality_s_list_is_paged_in_a_fixed_number_of_queries(cast, client):
    """The department at its municipality (the mixed-load bench's «documents
    (municipality)»): 3 or 60 documents cost the same queries, 50 rows to a page, and
    its schools' documents are not its rows."""
    client.force_login(cast.department)
    url = f"/o/{cast.muni.slug}/documents/"
    client.get(url)  # the session's first touch (its stamp is written) is not the page
    make_ready_document(cast.school)  # a school's: listed at the school, not here

    def rows(response) -> int:
        return response.content.decode().count("/download/")

    for _ in range(3):
        make_ready_document(cast.muni)
    with CaptureQueriesContext(connection) as few:
        response = client.get(url)
    assert response.status_code == 200 and rows(response) == 3
    for _ in range(57):
        make_ready_document(cast.muni)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200 and rows(response) == 50
    assert len(few) == len(many) == 9
    second = client.get(f"{url}?page=2")
    assert second.status_code == 200 and rows(second) == 10
    assert client.get(f"{url}?page=abc").status_code == 400
    client.force_login(cast.other_methodist)  # another municipality's staff
    assert client.get(url).status_code == 404


# --- the command --------------------------------------------------------------------------


def test_command_writes_a_pdf(cast, school, tmp_path, capsys):
    out = tmp_path / "staff.pdf"
    call_command(
        "render_document", "staff_list", "--org", school.slug, "--out", str(out), "--year", "2024"
    )
    assert out.read_bytes().startswith(b"%PDF")
    assert " с" in capsys.readouterr().out
    with tenant_scope(school):
        document = Document.objects.get()
    assert document.date == datetime.date(2024, 12, 31) and document.params == {"year": "2024"}


def test_command_fails_cleanly_for_an_unknown_organisation(db, tmp_path):
    with pytest.raises(CommandError, match="Организация «nowhere» не найдена"):
        call_command(
            "render_document", "staff_list", "--org", "nowhere", "--out", str(tmp_path / "x.pdf")
        )


def test_command_exits_non_zero_in_russian_for_an_unknown_kind(tmp_path):
    # A real process: the exit code and stderr are what a shell script sees.
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "render_document",
            "nope",
            "--org",
            "x",
            "--out",
            str(tmp_path / "x.pdf"),
        ],
        capture_output=True,
        cwd=Path(__file__).resolve().parents[2],
        timeout=60,
    )
    assert result.returncode != 0
    assert "Неизвестный вид документа «nope»" in result.stderr.decode()
    assert not (tmp_path / "x.pdf").exists()


# --- a long list --------------------------------------------------------------------------


def test_500_rows_repeat_the_table_header_on_every_page(
    cast, school, django_capture_on_commit_callbacks
):
    users = User.objects.bulk_create(
        User(
            email=f"t{i}@a1.test",
            last_name=f"Тестова{i:03d}",
            first_name="Анна",
            position="учитель",
        )
        for i in range(500)
    )
    Membership.objects.bulk_create(
        Membership(user=u, organization=school, role=Role.SCHOOL_VIEWER) for u in users
    )
    started = time.perf_counter()
    document = request_and_run(django_capture_on_commit_callbacks, organization=school)
    elapsed = time.perf_counter() - started
    assert document.status == DocumentStatus.READY, document.error
    data = read(document)
    page2 = pdf_text(data, first=2, last=2)
    assert "Фамилия, имя, отчество" in page2 and "Роль в портале" in page2
    assert "Стр. 2 из" in page2
    assert "Тестова499" in pdf_text(data)
    print(f"\n500-row staff_list: {elapsed:.2f} s")
    assert elapsed < 30


# Kinds that name a school's people (pupils with their class or birth date). A new kind
# that carries personal data must be declared `personal_data=True` and listed here.
PERSONAL_DATA_KINDS = {"pair_order", "consent_form"}
SCHOOL_STAFF_ROLES = {Role.CURATOR, Role.SCHOOL_VIEWER}


def test_every_kind_for_every_role_pupils_names_never_leave_the_school(cast, school, client):
    """Issue 11, finding 1: each kind × each role, through the pages a person uses."""
    declared = {k.code for k in kinds.all_kinds() if k.personal_data}
    assert declared == PERSONAL_DATA_KINDS
    for kind in kinds.all_kinds():
        if not kind.available_in(school.kind):
            continue
        document = make_ready_document(school)
        with tenant_scope(school):
            Document.objects.filter(pk=document.pk).update(kind=kind.code, number="")
        base = f"/o/{school.slug}/documents/{document.pk}/"
        opened_by = set()
        for role, user in cast.users_by_role().items():
            client.force_login(user)
            codes = {client.get(base + s).status_code for s in ("", "status/", "download/")}
            assert len(codes) == 1, (kind.code, role, codes)
            code = codes.pop()
            assert code in (200, 403), (kind.code, role, code)
            if code == 200:
                opened_by.add(role)
        if kind.code in PERSONAL_DATA_KINDS:
            assert opened_by and opened_by <= SCHOOL_STAFF_ROLES, (kind.code, opened_by)
        else:
            assert Role.DEPARTMENT in opened_by, kind.code


def test_a_personal_data_kind_cannot_be_given_to_a_role_above_the_school():
    with pytest.raises(ValueError, match="only school roles"):
        kinds.register(
            "leaky",
            label="x",
            template="documents/staff_list.html",
            build_context=lambda d: {},
            roles=(Role.CURATOR, Role.DEPARTMENT),
            personal_data=True,
        )
    with pytest.raises(kinds.UnknownDocumentKind):
        kinds.get("leaky")
