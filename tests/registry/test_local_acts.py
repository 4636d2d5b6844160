"""Local acts from templates (registry/documents/acts): PDF and .docx of the same text,
names in the case the sentence needs, adults only, issued by level."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from docx import Document as open_docx
from pypdf import PdfReader

from mentorship.documents import kinds
from mentorship.documents.services import document_render, document_request
from mentorship.models import Document, DocumentStatus, Role
from mentorship.tenancy.scoping import tenant_scope
from registry.models import PartnerOrganization
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory, make_consented

SCHOOL_KINDS = (
    "model_order",
    "curator_order",
    "regulation",
    "mentor_school_order",
    "council_order",
    "reward_order",
    "thank_you_letter",
    "mentor_certificate",
)
MUNICIPAL_KINDS = (
    "model_order",
    "mentor_school_order",
    "council_order",
    "reward_order",
    "mentor_certificate",
)
SCHOOL_NAME = "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа №40»"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _teacher(school, last, first, middle, **extra):
    return make_consented(
        school,
        last_name=last,
        first_name=first,
        patronymic=middle,
        category="teacher",
        birth_date=date(1980, 5, 1),
        grade=None,
        class_letter="",
        is_mentor=True,
        is_mentee=False,
        position="Учитель",
        **extra,
    )


@pytest.fixture
def acts(cast):
    """School A1 as a school of the demo: head, curator, adult mentors, a partner."""
    school, muni = cast.school, cast.muni
    school.full_name = SCHOOL_NAME
    school.short_name = "МБОУ «СШ №40»"
    school.head_position, school.head_name = "Директор", "Гарипова Л.М."
    school.save()
    muni.document_header = "Управление образования г. Набережные Челны"
    muni.head_position, muni.head_name = "Начальник управления", "Ахметова Р.Ф."
    muni.save()
    curator = cast.curator
    curator.last_name, curator.first_name, curator.patronymic = "Иванова", "Мария", "Петровна"
    curator.position = "Заместитель директора по УР"
    curator.save()
    methodist = cast.methodist
    methodist.last_name, methodist.first_name, methodist.patronymic = (
        "Галиева",
        "Гульнара",
        "Рашитовна",
    )
    methodist.save()
    people = {
        "petrov": _teacher(school, "Петров", "Иван", "Сергеевич", subject="математика"),
        "double": _teacher(school, "Римская-Корсакова", "Анна", "Павловна"),
        "shevchuk": _teacher(school, "Шевчук", "Ирина", "Олеговна"),
        "pupil": make_consented(school, is_mentor=True, is_mentee=False),
    }
    with tenant_scope(school):
        ProgrammeFactory(organization=school)
        PartnerOrganization.objects.create(
            organization=school,
            kind="enterprise",
            name="ООО «Ромашка»",
            contact_person="Черных Олег Иванович",
            agreement_number="17/22",
        )
    return people


def render(org, kind, params=None) -> Document:
    document = document_request(
        actor=None, organization=org, kind=kind, params=params or {}, schedule=False
    )
    document = document_render(document.pk)
    assert document is not None
    return document


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text(document: Document, *, footers: bool = True) -> str:
    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    pages = [page.extract_text() for page in reader.pages]
    if not footers:
        # The page footer («Стр. 1 из 3») is the PDF's own, not the document's text.
        total = len(pages)
        pages = [p.replace(f"Стр. {n} из {total}", "") for n, p in enumerate(pages, start=1)]
    return "".join(pages)


def docx_texts(document: Document) -> list[str]:
    """Paragraphs and table cells of the .docx in reading order, empty ones left out."""
    with document.word_file.open("rb") as handle:
        doc = open_docx(io.BytesIO(handle.read()))
    texts: list[str] = []
    for element in doc.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            texts.append("".join(t.text or "" for t in element.iter() if t.tag.endswith("}t")))
        elif tag == "tbl":
            for cell in element.iter():
                if cell.tag.endswith("}tc"):
                    texts.append("".join(t.text or "" for t in cell.iter() if t.tag.endswith("}t")))
    return [" ".join(t.split()) for t in texts if t.strip()]


def content_texts(document: Document) -> list[str]:
    definition = kinds.get(document.kind)
    with tenant_scope(document.organization):
        return definition.build_content(document).texts()


def assert_same_text(document: Document) -> str:
    """The .docx holds the content's texts in order, and the PDF holds each of them."""
    expected = content_texts(document)
    assert expected
    words = docx_texts(document)
    assert squeeze("".join(words)) == squeeze("".join(expected))
    pdf = squeeze(pdf_text(document, footers=False))
    position = 0
    for text in expected:
        found = pdf.find(squeeze(text), position)
        assert found >= 0, f"not in the PDF after position {position}: {text!r}"
        position = found
    return pdf


@pytest.mark.parametrize("kind", SCHOOL_KINDS)
def test_each_kind_renders_for_a_school_as_pdf_and_docx_of_one_text(cast, acts, kind):
    document = render(cast.school, kind)
    assert document.status == DocumentStatus.READY, document.error
    assert document.has_word
    pdf = assert_same_text(document)
    assert squeeze("Гарипова Л.М.") in pdf
    assert squeeze("«СШ №40»") in pdf
    with document.word_file.open("rb") as handle:
        assert handle.read(2) == b"PK"  # a zip: the OOXML package Word opens


@pytest.mark.parametrize("kind", MUNICIPAL_KINDS)
def test_municipal_kinds_render_for_the_municipality(cast, acts, kind):
    cast.muni.short_name = "г. Набережные Челны"
    cast.muni.save()
    # Mentors at the municipality come from its base: adults who consented to it
    # (make_consented names the base), read across its schools.
    document = render(cast.muni, kind)
    assert document.status == DocumentStatus.READY, document.error
    pdf = assert_same_text(document)
    assert squeeze("Ахметова Р.Ф.") in pdf
    assert squeeze("Управление образования г. Набережные Челны") in pdf
    if kind in ("council_order", "reward_order", "mentor_school_order"):
        assert squeeze("Петрова Ивана Сергеевича") in pdf or squeeze("Петров Иван Сергеевич") in pdf
        # The pupil mentor («Иванова Мария Петровна») never reaches the base.
        assert "ИвановаМария" not in pdf and "ИвановуМарию" not in pdf


def test_names_stand_in_the_case_the_sentence_needs(cast, acts):
    curator = pdf_text(render(cast.school, "curator_order"))
    assert squeeze(
        "Назначить Иванову Марию Петровну (заместитель директора по УР) куратором"
    ) in squeeze(curator)
    assert squeeze("Куратору Ивановой Марии Петровне обеспечить") in squeeze(curator)
    assert squeeze("С приказом ознакомлена:") in squeeze(curator)

    ids = [acts["petrov"].pk, acts["double"].pk, acts["shevchuk"].pk]
    reward = squeeze(pdf_text(render(cast.school, "reward_order", {"participant_ids": ids})))
    assert squeeze("1.1. Петрова Ивана Сергеевича (учитель, математика);") in reward
    assert squeeze("1.2. Римскую-Корсакову Анну Павловну (учитель);") in reward
    assert squeeze("1.3. Шевчук Ирину Олеговну (учитель).") in reward

    letter = squeeze(pdf_text(render(cast.school, "thank_you_letter")))
    assert squeeze("Руководителю ООО «Ромашка» Черных О.И.") in letter
    assert squeeze("Уважаемый Олег Иванович!") in letter
    assert squeeze("в рамках соглашения № 17/22") in letter

    certificate = render(
        cast.school,
        "mentor_certificate",
        {"participant_ids": [acts["double"].pk], "course": "Школа наставника", "hours": "72"},
    )
    text = squeeze(pdf_text(certificate))
    assert squeeze("Римской-Корсаковой Анне Павловне") in text
    assert squeeze("она прошла обучение по программе «Школа наставника» в объёме 72 часа") in text


def test_a_pupil_is_never_named_in_an_act(cast, acts):
    document = render(cast.school, "reward_order", {"participant_ids": [acts["pupil"].pk]})
    assert document.status == DocumentStatus.FAILED
    assert "обучающихся в нём быть не может" in document.error
    # The default list leaves pupils out too.
    default = pdf_text(render(cast.school, "reward_order"))
    assert "Иванову Марию" not in default  # the pupil mentor is «Иванова Мария Петровна»
    assert squeeze("Петрова Ивана Сергеевича") in squeeze(default)


def test_another_schools_people_and_partners_are_not_found(cast, acts):
    stranger = _teacher(cast.other_school, "Чужой", "Пётр", "Ильич")
    document = render(cast.school, "reward_order", {"participant_ids": [stranger.pk]})
    assert document.status == DocumentStatus.FAILED
    assert "нет в реестре" in document.error
    with tenant_scope(cast.other_school):
        partner = PartnerOrganization.objects.create(
            organization=cast.other_school, kind="other", name="Чужой партнёр"
        )
    letter = render(cast.school, "thank_you_letter", {"partner_id": partner.pk})
    assert letter.status == DocumentStatus.FAILED
    assert "партнёра у организации нет" in letter.error


def test_bad_parameters_fail_with_a_message(cast, acts):
    for params in ({"hours": "много"}, {"hours": 0}, {"participant_ids": "1,x"}):
        document = render(cast.school, "mentor_certificate", params)
        assert document.status == DocumentStatus.FAILED
        assert "Параметр" in document.error


def test_no_curator_in_the_portal_is_a_clear_failure(cast, acts):
    cast.curator.last_name = ""
    cast.curator.save()
    document = render(cast.school, "curator_order")
    assert document.status == DocumentStatus.FAILED
    assert "куратора" in document.error
    typed = render(cast.school, "curator_order", {"curator": "Черных Ольга Ивановна"})
    assert squeeze("Назначить Черных Ольгу Ивановну куратором") in squeeze(pdf_text(typed))


def test_issuers_by_level(cast, acts):
    school_kinds = {k.code for k in kinds.kinds_for({Role.CURATOR}, cast.school.kind)}
    assert set(SCHOOL_KINDS) <= school_kinds
    # A methodist reaching the school issues none of the school's own acts…
    at_school = {k.code for k in kinds.kinds_for({Role.METHODIST}, cast.school.kind)}
    assert not set(SCHOOL_KINDS) & at_school
    # …but the municipality's, at the municipality; the regulation is a school's only.
    at_muni = {k.code for k in kinds.kinds_for({Role.METHODIST}, cast.muni.kind)}
    assert set(MUNICIPAL_KINDS) <= at_muni and "regulation" not in at_muni
    dept = {k.code for k in kinds.kinds_for({Role.DEPARTMENT}, cast.muni.kind)}
    assert "council_order" in dept


def test_the_web_offers_both_files_and_keeps_the_rules(client, cast, acts):
    url = reverse("document_request", kwargs={"org_slug": cast.school.slug})
    client.force_login(cast.methodist)
    response = client.post(url, {"kind": "curator_order", "date": "2026-12-07"})
    assert response.status_code == 403
    client.force_login(cast.curator)
    response = client.post(url, {"kind": "curator_order", "date": "2026-12-07"})
    assert response.status_code == 302
    with tenant_scope(cast.school):
        document = Document.objects.get(kind="curator_order")
    document_render(document.pk)
    download = reverse(
        "document_download", kwargs={"org_slug": cast.school.slug, "document_id": document.pk}
    )
    listing = client.get(reverse("document_list", kwargs={"org_slug": cast.school.slug}))
    assert f'href="{download}?format=docx"' in listing.content.decode()
    detail = client.get(
        reverse(
            "document_detail", kwargs={"org_slug": cast.school.slug, "document_id": document.pk}
        )
    )
    assert 'data-testid="document-download-word"' in detail.content.decode()
    word = client.get(download + "?format=docx")
    assert word.status_code == 200
    assert word["Content-Type"].startswith("application/vnd.openxmlformats")
    assert ".docx" in word["Content-Disposition"]
    assert b"".join(word.streaming_content)[:2] == b"PK"
    assert client.get(download + "?format=exe").status_code == 400  # an unknown format
    # The education department opens a school's act (staff names only).
    client.force_login(cast.department)
    assert client.get(download + "?format=docx").status_code == 200
    # Another municipality's methodist does not even find it.
    client.force_login(cast.other_methodist)
    assert client.get(download + "?format=docx").status_code in (403, 404)


def test_a_kind_without_word_has_no_docx(client, cast, acts):
    member = UserFactory(email="staff-list@example.org")
    MembershipFactory(user=member, organization=cast.school, role=Role.CURATOR)
    document = render(cast.school, "staff_list")
    assert document.status == DocumentStatus.READY and not document.has_word
    client.force_login(cast.curator)
    download = reverse(
        "document_download", kwargs={"org_slug": cast.school.slug, "document_id": document.pk}
    )
    assert client.get(download).status_code == 200
    assert client.get(download + "?format=docx").status_code == 404


def test_the_command_picks_the_format_from_the_extension(cast, acts, tmp_path):
    call_command(
        "render_document", "curator_order", org=cast.school.slug, out=str(tmp_path / "a.docx")
    )
    call_command(
        "render_document", "curator_order", org=cast.school.slug, out=str(tmp_path / "a.pdf")
    )
    assert (tmp_path / "a.docx").read_bytes()[:2] == b"PK"
    assert (tmp_path / "a.pdf").read_bytes()[:5] == b"%PDF-"
    text = "\n".join(p.text for p in open_docx(str(tmp_path / "a.docx")).paragraphs)
    assert "Назначить Иванову Марию Петровну" in text
    # Any other name is the PDF, as the command always wrote.
    call_command("render_document", "curator_order", org=cast.school.slug, out=str(tmp_path / "b"))
    assert (tmp_path / "b").read_bytes()[:5] == b"%PDF-"
    with pytest.raises(CommandError, match="только в PDF"):
        call_command(
            "render_document", "staff_list", org=cast.school.slug, out=str(tmp_path / "s.docx")
        )


# --- the API (issue 16, item 6): the same rules, the parameters the web form lacks -------


@pytest.fixture
def api():
    from rest_framework.test import APIClient

    return APIClient()


def api_url(org, tail: str = "") -> str:
    return f"/api/v1/o/{org.slug}/documents/{tail}"


def test_the_api_issues_an_act_with_chosen_mentors_and_serves_both_files(
    cast, acts, api, django_capture_on_commit_callbacks
):
    api.force_login(cast.curator)
    chosen = [acts["petrov"].pk, acts["shevchuk"].pk]
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            api_url(cast.school),
            {"kind": "reward_order", "params": {"participant_ids": chosen}},
            format="json",
        )
    assert response.status_code == 202, response.content
    pk = response.json()["pk"]
    detail = api.get(api_url(cast.school, f"{pk}/")).json()
    assert detail["status"] == "ready" and detail["number"] == "1"
    assert (
        detail["word_download_url"]
        == f"/api/v1/o/{cast.school.slug}/documents/{pk}/download/?format=docx"
    )
    word = api.get(detail["word_download_url"])
    assert word.status_code == 200 and word["Content-Type"].startswith("application/vnd.openxml")
    doc = open_docx(io.BytesIO(b"".join(word.streaming_content)))
    text = " ".join(p.text for p in doc.paragraphs)
    assert "Петрова Ивана Сергеевича" in text and "Шевчук Ирину Олеговну" in text
    assert "Римскую-Корсакову" not in text  # not chosen
    pdf = api.get(detail["download_url"])
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content)[:5] == b"%PDF-"
    assert api.get(detail["download_url"] + "?format=rtf").status_code == 404
    listed = api.get(api_url(cast.school)).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [r["kind"] for r in rows] == ["reward_order"]


def test_the_api_keeps_the_rules(cast, acts, api, django_capture_on_commit_callbacks):
    # A methodist reaching the school: the school's acts are its curator's.
    api.force_login(cast.methodist)
    response = api.post(api_url(cast.school), {"kind": "curator_order"}, format="json")
    assert response.status_code == 403
    # …while at the municipality the methodist issues the municipality's.
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(api_url(cast.muni), {"kind": "council_order"}, format="json")
    assert response.status_code == 202, response.content
    # A kind this organisation does not make is a 400, not a document.
    response = api.post(api_url(cast.muni), {"kind": "regulation"}, format="json")
    assert response.status_code == 400
    # Parameters only for the structured kinds: the order on pairs has its own endpoint.
    api.force_login(cast.curator)
    response = api.post(
        api_url(cast.school), {"kind": "pair_order", "params": {"pair_ids": [1]}}, format="json"
    )
    assert response.status_code == 400
    assert "params" in response.json()
    # A failed render answers with its Russian reason.
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            api_url(cast.school),
            {"kind": "reward_order", "params": {"participant_ids": [acts["pupil"].pk]}},
            format="json",
        )
    assert response.status_code == 202
    failed = api.get(api_url(cast.school, f"{response.json()['pk']}/")).json()
    assert failed["status"] == "failed" and "обучающихся" in failed["error"]
    # Another municipality's methodist finds nothing of this school.
    document = render(cast.school, "curator_order")
    api.force_login(cast.other_methodist)
    assert api.get(api_url(cast.school, f"{document.pk}/")).status_code == 404
    # The department reads the school's act (staff only) but does not issue it.
    api.force_login(cast.department)
    assert api.get(api_url(cast.school, f"{document.pk}/download/?format=docx")).status_code == 200
    assert (
        api.post(api_url(cast.school), {"kind": "curator_order"}, format="json").status_code == 403
    )


def test_the_roadmap_comes_as_word_too_with_the_same_text(cast):
    from tests.factories import make_roadmap

    make_roadmap(cast.muni, title="Дорожная карта города А")
    document = render(cast.muni, "roadmap")
    assert document.status == DocumentStatus.READY, document.error
    assert document.has_word
    pdf = assert_same_text(document)
    assert squeeze("ПРОЕКТ") in pdf and squeeze("на период с 01.09.2026 по 31.08.2027") in pdf
    with document.word_file.open("rb") as handle:
        doc = open_docx(io.BytesIO(handle.read()))
    section = doc.sections[0]
    assert section.page_width > section.page_height  # landscape, as the PDF
