"""The ready-to-sign consent form (kind `consent_form`): a real Russian PDF from the registry."""

from __future__ import annotations

import subprocess
from datetime import date

import pytest

from mentorship.documents import kinds
from mentorship.documents.services import document_request
from mentorship.models import Document, DocumentStatus
from mentorship.tenancy.scoping import tenant_scope
from registry.documents.consent_form import KIND
from registry.services.consent import participant_depersonalize
from tests.factories import make_participant

SCHOOL_NAME = "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа №40»"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def school(cast):
    cast.school.full_name = SCHOOL_NAME
    cast.school.inn = "1650000040"
    cast.school.save()
    return cast.school


def render(django_capture_on_commit_callbacks, org, ids) -> Document:
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(
            actor=None, organization=org, kind=KIND, params={"participant_ids": ids}
        )
    with tenant_scope(org):
        document.refresh_from_db()
    return document


def pages_text(document: Document) -> list[str]:
    with document.file.open("rb") as handle:
        data = handle.read()
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    )
    # Pages are separated by form feeds; words by any whitespace (lines wrap anywhere).
    return [" ".join(page.split()) for page in out.stdout.decode().split("\f") if page.strip()]


def test_a_minors_form_is_for_the_legal_representative(
    cast, school, django_capture_on_commit_callbacks
):
    pupil = make_participant(school)
    document = render(django_capture_on_commit_callbacks, school, [pupil.pk])
    assert document.status == DocumentStatus.READY, document.error
    assert document.number == ""  # a blank to sign, not a registered document
    pages = pages_text(document)
    # Processing on one page, distribution (art. 10.1) on its own page.
    assert len(pages) == 2
    consent, distribution = pages
    for text in (consent, distribution):
        assert "Иванова Мария Петровна" in text
        assert "законного представителя" in text
        assert "действующий(-ая) от имени несовершеннолетнего" in text
        assert "152-ФЗ" in text
        assert "ИНН 1650000040" in text
    assert "Средняя школа №40" in consent
    assert "участие в программе наставничества" in consent
    assert "ст. 9" in consent and "отозвано" in consent
    assert "14.03.2012" in consent and "8А класса" in consent
    # A minor is never in the municipal mentor base: the parent is not asked for it.
    assert "муниципальную базу наставников" not in consent
    assert "разрешённых для распространения" in distribution
    assert "публикация фотографий и результатов" in distribution


def test_an_adult_signs_for_themselves_and_may_join_the_mentor_base(
    cast, school, django_capture_on_commit_callbacks
):
    mentor = make_participant(
        school,
        last_name="Петрова",
        first_name="Ольга",
        patronymic="Ивановна",
        birth_date=date(1985, 5, 5),
        category="teacher",
        grade=None,
        class_letter="",
        position="Учитель",
        is_mentor=True,
        is_mentee=False,
    )
    document = render(django_capture_on_commit_callbacks, school, [mentor.pk])
    consent, distribution = pages_text(document)
    assert "Я, Петрова Ольга Ивановна, 05.05.1985" in consent
    assert "законного представителя" not in consent
    assert "включение в муниципальную базу наставников" in consent
    assert "должность, преподаваемый предмет" in consent
    assert "субъектом персональных данных для распространения" in distribution


def test_one_sheet_per_person_in_name_order(cast, school, django_capture_on_commit_callbacks):
    first = make_participant(school, last_name="Яковлева")
    second = make_participant(school, last_name="Алексеева")
    document = render(django_capture_on_commit_callbacks, school, [first.pk, second.pk])
    pages = pages_text(document)
    assert len(pages) == 4
    assert "Алексеева Мария" in pages[0] and "Алексеева Мария" in pages[1]
    assert "Яковлева Мария" in pages[2] and "Яковлева Мария" in pages[3]


def test_another_schools_person_fails_the_document_in_russian(
    cast, school, django_capture_on_commit_callbacks
):
    ours = make_participant(school)
    stranger = make_participant(cast.school2, last_name="Чужая")
    document = render(django_capture_on_commit_callbacks, school, [ours.pk, stranger.pk])
    assert document.status == DocumentStatus.FAILED
    assert "нет в реестре организации" in document.error
    assert not document.file


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "Не выбраны участники"),
        ({"participant_ids": "1,2"}, "Неверный список"),
        ({"participant_ids": [0]}, "Неверный список"),
    ],
)
def test_bad_parameters_fail_with_a_russian_message(
    cast, school, django_capture_on_commit_callbacks, params, message
):
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(actor=None, organization=school, kind=KIND, params=params)
    with tenant_scope(school):
        document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert message in document.error


def test_a_depersonalised_person_is_not_printed(cast, school, django_capture_on_commit_callbacks):
    pupil = make_participant(school)
    with tenant_scope(school):
        participant_depersonalize(actor=None, participant=pupil)
    document = render(django_capture_on_commit_callbacks, school, [pupil.pk])
    assert document.status == DocumentStatus.FAILED
    assert "обезличены" in document.error


def test_the_kind_is_the_curators_and_only_at_schools():
    kind = kinds.get(KIND)
    assert kind.roles == ("curator",)
    assert not kind.numbered
    assert kind.available_in("school") and not kind.available_in("municipality")


def test_department_cannot_open_consent_forms_with_pupils_names(client, cast):
    from mentorship.documents import kinds

    assert "department" not in kinds.get("consent_form").reader_roles
    assert "department" in kinds.get("roadmap").reader_roles
