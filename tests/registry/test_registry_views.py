"""The curator's registry pages: list, filters, forms, the person's page, consents, roles."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentorship.models import AuditEntry, Document
from mentorship.tenancy.scoping import tenant_scope
from registry.models import (
    Consent,
    ConsentState,
    EntryAssessment,
    MenteeNeed,
    MentoringForm,
    MentorProfile,
    Participant,
)
from tests.factories import make_consented, make_participant

ADULT_BIRTH = date(1985, 5, 5)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def url(name: str, org, **kwargs) -> str:
    return reverse(f"registry:{name}", kwargs={"org_slug": org.slug, **kwargs})


def teacher(org, **overrides):
    data = {
        "last_name": "Петрова",
        "first_name": "Ольга",
        "patronymic": "Ивановна",
        "birth_date": ADULT_BIRTH,
        "category": "teacher",
        "grade": None,
        "class_letter": "",
        "position": "Учитель",
        "subject": "математика",
        "experience_years": 2,
        "is_mentor": True,
        "is_mentee": False,
    }
    data.update(overrides)
    return make_participant(org, **data)


def fetch(org, pk) -> Participant:
    with tenant_scope(org):
        return Participant.objects.get(pk=pk)


def form_data(**overrides) -> dict:
    data = {
        "last_name": "Смирнова",
        "first_name": "Алина",
        "patronymic": "Олеговна",
        "birth_date": "2013-04-01",
        "category": "pupil",
        "grade": "7",
        "class_letter": "Б",
        "is_mentee": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- the list -----------------------------------------------------------------------------


@pytest.fixture
def registry(cast):
    """A small school: a consented pupil, a pupil without consent, a consented teacher."""
    with_consent = make_consented(cast.school, last_name="Иванова", grade=8)
    without = make_participant(cast.school, last_name="Кузнецов", first_name="Илья", grade=5)
    mentor = make_consented(
        cast.school,
        last_name="Петрова",
        first_name="Ольга",
        patronymic="Ивановна",
        birth_date=ADULT_BIRTH,
        category="teacher",
        grade=None,
        class_letter="",
        position="Учитель",
        subject="математика",
        is_mentor=True,
        is_mentee=False,
    )
    form = MentoringForm.objects.get(code="teacher-student")
    with tenant_scope(cast.school):
        mentor.mentor_forms.set([form])
    return {"pupil": with_consent, "pending": without, "teacher": mentor, "form": form}


def names(response) -> set[str]:
    return {p.last_name for p in response.context["page"].object_list}


def test_the_list_shows_everyone_with_a_consent_badge(cast, client, registry):
    client.force_login(cast.curator)
    response = client.get(url("participant_list", cast.school))
    assert response.status_code == 200
    assert names(response) == {"Иванова", "Кузнецов", "Петрова"}
    html = response.content.decode()
    assert "Согласие есть" in html and "Нужно согласие" in html
    assert "8А класс" in html and "Учитель, математика" in html
    assert "учитель – ученик" in html  # the teacher's form, prefetched


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "кузн"}, {"Кузнецов"}),
        ({"q": "Петрова Ольга"}, {"Петрова"}),
        ({"category": "teacher"}, {"Петрова"}),
        ({"role": "mentor"}, {"Петрова"}),
        ({"role": "mentee"}, {"Иванова", "Кузнецов"}),
        ({"role": "both"}, set()),
        ({"consent": "valid"}, {"Иванова", "Петрова"}),
        ({"consent": "missing"}, {"Кузнецов"}),
        ({"grade": "5"}, {"Кузнецов"}),
        ({"grade": "5", "consent": "valid"}, set()),
    ],
)
def test_search_and_filters(cast, client, registry, query, expected):
    client.force_login(cast.curator)
    response = client.get(url("participant_list", cast.school), query)
    assert response.status_code == 200
    assert names(response) == expected


def test_a_junk_filter_value_is_refused_not_ignored(cast, client, registry):
    client.force_login(cast.curator)
    response = client.get(url("participant_list", cast.school), {"consent": "nonsense"})
    assert response.status_code == 400


def test_filter_by_form_finds_mentors_and_mentees_of_it_once(cast, client, registry):
    with tenant_scope(cast.school):
        registry["pending"].mentee_forms.set([registry["form"]])
        registry["teacher"].mentee_forms.set([registry["form"]])  # both sides: listed once
    client.force_login(cast.curator)
    response = client.get(url("participant_list", cast.school), {"form": registry["form"].pk})
    rows = [p.last_name for p in response.context["page"].object_list]
    assert sorted(rows) == ["Кузнецов", "Петрова"]


def _seed(org, count: int, start: int = 0) -> None:
    forms = list(MentoringForm.objects.all()[:2])
    for i in range(start, start + count):
        person = make_consented(
            org, last_name=f"Участник{i:03d}", grade=5 + i % 6, mentee_forms=forms
        )
        assert person.consent_state == ConsentState.VALID


def _list_queries(client, org) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("participant_list", org), {"category": "pupil"})
    assert response.status_code == 200
    return len(queries)


def test_the_list_runs_a_fixed_number_of_queries(cast, client):
    client.force_login(cast.curator)
    _seed(cast.school, 5)
    few = _list_queries(client, cast.school)
    _seed(cast.school, 55, start=5)  # 60 people: a full page of 50 and a second page
    many = _list_queries(client, cast.school)
    assert few == many
    assert many <= 16


def test_the_list_paginates_by_50(cast, client):
    _seed(cast.school, 52)
    client.force_login(cast.curator)
    first = client.get(url("participant_list", cast.school))
    assert len(first.context["page"].object_list) == 50
    second = client.get(url("participant_list", cast.school), {"page": 2})
    assert len(second.context["page"].object_list) == 2


# --- create and edit ----------------------------------------------------------------------


def test_create_with_bad_data_shows_russian_errors_on_the_fields(cast, client):
    client.force_login(cast.curator)
    response = client.post(
        url("participant_create", cast.school),
        form_data(birth_date="1980-01-01", grade="12", is_mentee=None, last_name=""),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "Укажите фамилию." in errors["last_name"]
    assert "неправдоподобен" in " ".join(errors["birth_date"])
    assert "от 1 до 11" in " ".join(errors["grade"])
    assert "наставник, наставляемый или оба" in " ".join(errors["is_mentee"])
    with tenant_scope(cast.school):
        assert not Participant.objects.exists()


def test_create_a_pupil_and_land_on_the_page(cast, client):
    client.force_login(cast.curator)
    form = MentoringForm.objects.get(code="student-student")
    response = client.post(
        url("participant_create", cast.school),
        form_data(mentee_forms=[form.pk], position="Не для ученика"),
    )
    with tenant_scope(cast.school):
        person = Participant.objects.get()
        assert list(person.mentee_forms.all()) == [form]
    assert response.status_code == 302
    assert response["Location"] == url("participant_detail", cast.school, participant_id=person.pk)
    assert person.grade == 7 and person.class_label == "7Б"
    assert person.position == ""  # a hidden field of another category is dropped
    assert person.consent_state == ConsentState.MISSING
    assert AuditEntry.objects.filter(action="participant.create", object_id=str(person.pk)).exists()


def test_a_duplicate_person_is_a_form_error(cast, client):
    make_participant(
        cast.school,
        last_name="Смирнова",
        first_name="Алина",
        patronymic="Олеговна",
        birth_date=date(2013, 4, 1),
    )
    client.force_login(cast.curator)
    response = client.post(url("participant_create", cast.school), form_data(last_name="смирнова"))
    assert response.status_code == 409  # the person exists: a conflict, shown on the form
    assert "уже есть в реестре" in " ".join(response.context["form"].non_field_errors())
    with tenant_scope(cast.school):
        assert Participant.objects.count() == 1


def test_edit_changes_category_and_drops_the_old_fields(cast, client):
    pupil = make_participant(cast.school, last_name="Орлова", birth_date=date(2008, 1, 1), grade=11)
    client.force_login(cast.curator)
    page = client.get(url("participant_edit", cast.school, participant_id=pupil.pk))
    assert page.status_code == 200
    assert page.context["form"].initial["grade"] == 11
    response = client.post(
        url("participant_edit", cast.school, participant_id=pupil.pk),
        form_data(
            last_name="Орлова",
            first_name="Мария",
            patronymic="Петровна",
            birth_date="2008-01-01",
            category="college_student",
            study_place="Педагогический колледж",
            grade="11",
            is_mentee=None,
            is_mentor="on",
        ),
    )
    assert response.status_code == 302
    person = fetch(cast.school, pupil.pk)
    assert person.category == "college_student" and person.grade is None
    assert person.study_place == "Педагогический колледж" and person.is_mentor


def test_edit_with_bad_data_keeps_the_record(cast, client):
    pupil = make_participant(cast.school)
    client.force_login(cast.curator)
    response = client.post(
        url("participant_edit", cast.school, participant_id=pupil.pk), form_data(grade="0")
    )
    assert response.status_code == 400
    assert "от 1 до 11" in " ".join(response.context["form"].errors["grade"])
    assert fetch(cast.school, pupil.pk).grade == 8


# --- the person's page ----------------------------------------------------------------------


def test_opening_a_pupils_page_is_audited(cast, client):
    pupil = make_participant(cast.school)
    adult = teacher(cast.school)
    client.force_login(cast.viewer)
    response = client.get(url("participant_detail", cast.school, participant_id=pupil.pk))
    assert response.status_code == 200
    assert "Иванова Мария Петровна" in response.content.decode()
    entry = AuditEntry.objects.get(action="participant.view")
    assert entry.actor == cast.viewer and entry.object_id == str(pupil.pk)
    # Teachers' pages are not logged as views: the rule is about children's data.
    client.get(url("participant_detail", cast.school, participant_id=adult.pk))
    assert AuditEntry.objects.filter(action="participant.view").count() == 1


def test_the_page_shows_questionnaire_needs_and_assessment(cast, client):
    mentor = teacher(cast.school, is_mentee=True)
    client.force_login(cast.curator)
    page = lambda: client.get(url("participant_detail", cast.school, participant_id=mentor.pk))  # noqa: E731
    assert "Чем я могу быть полезен в качестве наставника?" in page().content.decode()

    response = client.post(
        url("mentor_profile_save", cast.school, participant_id=mentor.pk),
        {"competencies": "Проектная деятельность", "max_mentees": "3", "filled_on": "2026-09-10"},
    )
    assert response.status_code == 302
    response = client.post(
        url("mentee_need_add", cast.school, participant_id=mentor.pk),
        {
            "source": "attestation",
            "text": "Методика работы с одарёнными",
            "recorded_on": "2026-09-12",
        },
    )
    assert response.status_code == 302
    response = client.post(
        url("entry_assessment_add", cast.school, participant_id=mentor.pk),
        {"score_motivation": "4", "score_competence": "2", "assessed_on": "2026-09-15"},
    )
    assert response.status_code == 302

    with tenant_scope(cast.school):
        assert MentorProfile.objects.get(participant=mentor).max_mentees == 3
        assert MenteeNeed.objects.get(participant=mentor).source == "attestation"
        assert EntryAssessment.objects.get(participant=mentor).scores == {
            "motivation": 4,
            "competence": 2,
        }
    html = page().content.decode()
    assert "Проектная деятельность" in html
    assert "Рекомендации по итогам аттестации" in html and "Методика работы с одарёнными" in html
    assert "15.09.2026" in html


def test_record_forms_show_russian_errors(cast, client):
    mentor = teacher(cast.school, is_mentee=True)
    client.force_login(cast.curator)
    response = client.post(
        url("mentor_profile_save", cast.school, participant_id=mentor.pk), {"max_mentees": "0"}
    )
    assert response.status_code == 400
    assert "хотя бы одного" in " ".join(response.context["profile_form"].errors["max_mentees"])
    response = client.post(
        url("mentee_need_add", cast.school, participant_id=mentor.pk),
        {"source": "self", "text": "  ", "recorded_on": "2026-09-12"},
    )
    assert response.status_code == 400
    assert "Опишите" in " ".join(response.context["need_form"].errors["text"])
    response = client.post(
        url("entry_assessment_add", cast.school, participant_id=mentor.pk),
        {"assessed_on": "2026-09-15"},
    )
    assert response.status_code == 400
    assert "хотя бы по одному" in " ".join(response.context["assessment_form"].non_field_errors())


# --- consents -------------------------------------------------------------------------------


def consent_post(**overrides) -> dict:
    data = {
        "given_by": "parent",
        "giver_name": "Иванов Пётр Сергеевич",
        "giver_relation": "отец",
        "given_on": (date.today() - timedelta(days=3)).isoformat(),
        "purposes": ["programme"],
    }
    data.update(overrides)
    return data


def queue_ids(client, org) -> set[int]:
    response = client.get(url("consent_queue", org))
    assert response.status_code == 200
    return {p.pk for p in response.context["page"].object_list}


def test_a_parents_consent_makes_a_pupil_valid_and_leaves_the_queue(cast, client):
    pupil = make_participant(cast.school)
    client.force_login(cast.curator)
    assert pupil.pk in queue_ids(client, cast.school)
    response = client.post(
        url("consent_record", cast.school, participant_id=pupil.pk), consent_post(), follow=True
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Согласие записано: данные участника можно обрабатывать." in html
    assert fetch(cast.school, pupil.pk).consent_state == ConsentState.VALID
    assert "Согласие есть" in html
    assert pupil.pk not in queue_ids(client, cast.school)
    assert AuditEntry.objects.filter(action="consent.record").exists()


def test_a_minors_own_consent_is_recorded_but_invalid_and_stays_queued(cast, client):
    pupil = make_participant(cast.school)
    client.force_login(cast.curator)
    detail = client.get(url("participant_detail", cast.school, participant_id=pupil.pk))
    assert "будет записано, но НЕ будет действительным" in detail.content.decode()
    response = client.post(
        url("consent_record", cast.school, participant_id=pupil.pk),
        consent_post(given_by="self", giver_name="", giver_relation=""),
        follow=True,
    )
    html = response.content.decode()
    assert "оно недействительно: его подписал несовершеннолетний сам" in html
    assert "Согласие недействительно" in html
    with tenant_scope(cast.school):
        assert Consent.objects.filter(participant=pupil).count() == 1
    assert fetch(cast.school, pupil.pk).consent_state == ConsentState.INVALID
    queue = client.get(url("consent_queue", cast.school))
    assert pupil.pk in {p.pk for p in queue.context["page"].object_list}
    assert "подписал несовершеннолетний сам" in queue.content.decode()


def test_a_consent_with_bad_data_is_refused_with_russian_errors(cast, client):
    pupil = make_participant(cast.school)
    client.force_login(cast.curator)
    response = client.post(
        url("consent_record", cast.school, participant_id=pupil.pk),
        consent_post(giver_name="", purposes=["publication"]),
    )
    assert response.status_code == 400
    errors = response.context["consent_form"].errors
    assert "участие в программе" in " ".join(errors["purposes"])
    assert "Укажите ФИО родителя" in " ".join(errors["giver_name"])
    with tenant_scope(cast.school):
        assert not Consent.objects.exists()


def test_withdrawal_shows_the_badge_and_puts_the_person_in_the_queue(cast, client):
    pupil = make_consented(cast.school)
    with tenant_scope(cast.school):
        consent = pupil.consents.get()
    client.force_login(cast.curator)
    assert pupil.pk not in queue_ids(client, cast.school)
    prefix = f"w{consent.pk}"
    response = client.post(
        url("consent_withdraw", cast.school, consent_id=consent.pk),
        {
            f"{prefix}-reason": "Семья переезжает",
            f"{prefix}-withdrawn_on": date.today().isoformat(),
        },
        follow=True,
    )
    html = response.content.decode()
    assert "Согласие отозвано" in html
    person = fetch(cast.school, pupil.pk)
    assert person.consent_state == ConsentState.WITHDRAWN
    assert person.depersonalize_after is not None
    # Still in the queue, as withdrawn: the curator sees why nothing can be done with them.
    queue = client.get(url("consent_queue", cast.school))
    assert pupil.pk in {p.pk for p in queue.context["page"].object_list}
    assert "Согласие отозвано" in queue.content.decode()
    listed = client.get(url("participant_list", cast.school), {"consent": "withdrawn"})
    assert names(listed) == {"Иванова"}


def test_withdrawal_needs_a_reason_and_happens_once(cast, client):
    pupil = make_consented(cast.school)
    with tenant_scope(cast.school):
        consent = pupil.consents.get()
    client.force_login(cast.curator)
    target = url("consent_withdraw", cast.school, consent_id=consent.pk)
    response = client.post(target, {f"w{consent.pk}-withdrawn_on": date.today().isoformat()})
    assert response.status_code == 400
    assert fetch(cast.school, pupil.pk).consent_state == ConsentState.VALID
    data = {f"w{consent.pk}-reason": "Отказ", f"w{consent.pk}-withdrawn_on": "2026-10-01"}
    client.post(target, data)
    again = client.post(target, data, follow=True)
    assert "Согласие уже отозвано." in again.content.decode()


# --- bulk actions ---------------------------------------------------------------------------


def test_bulk_mark_as_mentor_goes_through_the_service_and_is_audited(cast, client, registry):
    client.force_login(cast.curator)
    ids = [registry["pupil"].pk, registry["pending"].pk]
    response = client.post(
        url("participant_bulk", cast.school),
        {"action": "mark_mentor", "ids": ids, "query": "consent=valid&page=1"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?consent=valid&page=1")
    assert all(fetch(cast.school, pk).is_mentor for pk in ids)
    assert AuditEntry.objects.filter(action="participant.update").count() == 2


def test_bulk_mark_as_mentor_puts_a_consenting_adult_into_the_mentor_base(cast, client):
    # make_consented gives adults a consent to the mentor base; not a mentor yet: not in it.
    adult = make_consented(
        cast.school,
        last_name="Сергеева",
        birth_date=ADULT_BIRTH,
        category="teacher",
        grade=None,
        class_letter="",
        is_mentee=True,
    )
    assert not adult.in_mentor_base
    client.force_login(cast.curator)
    client.post(url("participant_bulk", cast.school), {"action": "mark_mentor", "ids": [adult.pk]})
    assert fetch(cast.school, adult.pk).in_mentor_base


def test_bulk_add_form_goes_to_the_persons_own_side(cast, client, registry):
    client.force_login(cast.curator)
    form = MentoringForm.objects.get(code="student-student")
    ids = [registry["pupil"].pk, registry["teacher"].pk]
    client.post(
        url("participant_bulk", cast.school), {"action": "add_form", "form": form.pk, "ids": ids}
    )
    with tenant_scope(cast.school):
        pupil = Participant.objects.get(pk=registry["pupil"].pk)
        mentor = Participant.objects.get(pk=registry["teacher"].pk)
        assert list(pupil.mentee_forms.all()) == [form] and not pupil.mentor_forms.exists()
        assert set(mentor.mentor_forms.all()) == {form, registry["form"]}
        assert not mentor.mentee_forms.exists()


def test_bulk_add_form_needs_a_form(cast, client, registry):
    client.force_login(cast.curator)
    response = client.post(
        url("participant_bulk", cast.school),
        {"action": "add_form", "ids": [registry["pupil"].pk]},
        follow=True,
    )
    assert "Выберите форму наставничества." in response.content.decode()


def test_bulk_consent_forms_request_one_document(cast, client, registry):
    client.force_login(cast.curator)
    ids = [registry["pupil"].pk, registry["pending"].pk]
    response = client.post(
        url("participant_bulk", cast.school), {"action": "consent_forms", "ids": ids}
    )
    with tenant_scope(cast.school):
        document = Document.objects.get(kind="consent_form")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "document_detail", kwargs={"org_slug": cast.school.slug, "document_id": document.pk}
    )
    assert sorted(document.params["participant_ids"]) == sorted(ids)
    assert "Иванова" not in document.title  # names stay inside the PDF


def test_bulk_refuses_another_schools_people(cast, client, registry):
    stranger = make_participant(cast.school2, last_name="Чужой")
    client.force_login(cast.curator)
    response = client.post(
        url("participant_bulk", cast.school),
        {"action": "mark_mentor", "ids": [registry["pupil"].pk, stranger.pk]},
        follow=True,
    )
    assert "Участник не найден в реестре." in response.content.decode()
    assert not fetch(cast.school, registry["pupil"].pk).is_mentor
    assert not fetch(cast.school2, stranger.pk).is_mentor


# --- roles and tenants ----------------------------------------------------------------------


def test_the_pdf_link_requests_the_consent_form(cast, client):
    pupil = make_participant(cast.school)
    client.force_login(cast.curator)
    response = client.post(url("participant_consent_form", cast.school, participant_id=pupil.pk))
    with tenant_scope(cast.school):
        document = Document.objects.get(kind="consent_form")
    assert response["Location"] == reverse(
        "document_detail", kwargs={"org_slug": cast.school.slug, "document_id": document.pk}
    )
    assert document.params == {"participant_ids": [pupil.pk]}


def test_school_viewer_reads_but_cannot_write(cast, client, registry):
    pupil = registry["pupil"]
    with tenant_scope(cast.school):
        consent = pupil.consents.get()
    client.force_login(cast.viewer)
    listing = client.get(url("participant_list", cast.school))
    assert listing.status_code == 200
    assert 'name="ids"' not in listing.content.decode()
    assert "Добавить участника" not in listing.content.decode()
    detail = client.get(url("participant_detail", cast.school, participant_id=pupil.pk))
    assert detail.status_code == 200 and "Записать согласие" not in detail.content.decode()
    assert client.get(url("consent_queue", cast.school)).status_code == 200
    posts = [
        url("participant_bulk", cast.school),
        url("participant_create", cast.school),
        url("participant_edit", cast.school, participant_id=pupil.pk),
        url("consent_record", cast.school, participant_id=pupil.pk),
        url("consent_withdraw", cast.school, consent_id=consent.pk),
        url("mentor_profile_save", cast.school, participant_id=pupil.pk),
        url("mentee_need_add", cast.school, participant_id=pupil.pk),
        url("entry_assessment_add", cast.school, participant_id=pupil.pk),
        url("participant_consent_form", cast.school, participant_id=pupil.pk),
    ]
    for target in posts:
        assert client.post(target, consent_post()).status_code == 403, target
    assert client.get(url("participant_create", cast.school)).status_code == 403


@pytest.mark.parametrize("role", ["methodist", "department", "regional"])
def test_upper_levels_never_open_a_schools_registry(cast, client, registry, role):
    client.force_login(getattr(cast, role))
    pupil = registry["pupil"]
    for target in (
        url("participant_list", cast.school),
        url("consent_queue", cast.school),
        url("participant_detail", cast.school, participant_id=pupil.pk),
    ):
        assert client.get(target).status_code == 403, target
    assert not AuditEntry.objects.filter(action="participant.view").exists()


def test_another_schools_participant_is_404(cast, client):
    stranger = make_consented(cast.school2, last_name="Чужая")
    with tenant_scope(cast.school2):
        consent = stranger.consents.get()
    client.force_login(cast.curator)
    for target in (
        url("participant_detail", cast.school, participant_id=stranger.pk),
        url("participant_edit", cast.school, participant_id=stranger.pk),
    ):
        assert client.get(target).status_code == 404
    assert (
        client.post(url("consent_withdraw", cast.school, consent_id=consent.pk)).status_code == 404
    )
    assert fetch(cast.school2, stranger.pk).consent_state == ConsentState.VALID


def test_registry_pages_exist_only_at_schools(cast, client):
    client.force_login(cast.methodist)
    # The registry is a school's page: at a municipality it does not exist (level first).
    assert client.get(url("participant_list", cast.muni)).status_code == 404


def test_the_navigation_shows_the_registry_to_school_staff_only(cast, client):
    client.force_login(cast.curator)
    home = client.get(reverse("org_home", kwargs={"org_slug": cast.school.slug}))
    assert url("participant_list", cast.school) in home.content.decode()
    client.force_login(cast.methodist)
    home = client.get(reverse("org_home", kwargs={"org_slug": cast.school.slug}))
    assert url("participant_list", cast.school) not in home.content.decode()
