"""Programmes in the browser and the API (issue 12, items 3 and 5): the curator creates,
edits, closes and reopens them; both doors call one service and refuse alike; the
programme's page shows its pool and pairs in a fixed number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from mentorship.models import AuditEntry
from mentorship.tenancy.scoping import tenant_scope
from registry.models import MentoringForm, Pair, PairStatus, Programme
from registry.services.pairs import pair_propose, pair_transition
from registry.services.programmes import programme_close
from tests.factories import ProgrammeFactory, make_consented, make_pair, make_participant

TEACHER = {
    "category": "teacher",
    "grade": None,
    "birth_date": datetime.date(1980, 4, 1),
    "experience_years": 20,
    "is_mentor": True,
    "is_mentee": False,
}


def web(org, name: str, **kwargs) -> str:
    return reverse(f"registry:{name}", kwargs={"org_slug": org.slug, **kwargs})


def api_url(org, path: str = "") -> str:
    return f"/api/v1/o/{org.slug}/{path}"


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def form_data(**overrides) -> dict:
    data = {
        "name": "Билет в будущее",
        "form": MentoringForm.objects.get(code="teacher-student").pk,
        "operator": "Проект «Билет в будущее»",
        "mentors_description": "Педагоги",
        "mentees_description": "Обучающиеся 6–11 классов",
        "mentor_role": "Партнёр в выборе профессии",
        "mentor_capacity": "2",
        "starts_on": "2026-09-01",
        "ends_on": "2027-05-31",
        "period_text": "2026/2027 учебный год",
        "goals": "Ранняя профориентация",
        "expected_results": "Осознанный выбор профиля",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def api_body(**overrides) -> dict:
    body = form_data(form="teacher-student", mentor_capacity=2)
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


# --- creating and editing in the browser ---------------------------------------------------


def test_curator_creates_a_programme_and_lands_on_its_page(cast, client):
    client.force_login(cast.curator)
    page = client.get(web(cast.school, "programme_create"))
    assert page.status_code == 200
    # The curator is offered as the responsible person, and chosen by default.
    assert page.context["form"].initial["responsible"] == cast.curator.pk
    response = client.post(
        web(cast.school, "programme_create"), form_data(responsible=cast.curator.pk)
    )
    assert response.status_code == 302
    with tenant_scope(cast.school):
        programme = Programme.objects.get(name="Билет в будущее")
    assert response["Location"] == web(cast.school, "programme_detail", programme_id=programme.pk)
    assert programme.organization == cast.school
    assert programme.responsible == cast.curator
    assert programme.mentor_capacity == 2
    assert programme.goals == "Ранняя профориентация"
    assert programme.expected_results == "Осознанный выбор профиля"
    assert programme.ends_on == datetime.date(2027, 5, 31)
    assert AuditEntry.objects.filter(action="programme.create", object_id=programme.pk).exists()

    detail = client.get(response["Location"])
    body = detail.content.decode()
    # An empty pool, and what to do next.
    assert "В программе пока нет ни наставников, ни наставляемых." in body
    assert web(cast.school, "participant_create") in body
    assert detail.context["mentors_total"] == 0 and detail.context["mentees_total"] == 0


def test_another_staff_member_of_the_school_may_run_it_but_nobody_from_outside(cast, client):
    client.force_login(cast.curator)
    ok = client.post(web(cast.school, "programme_create"), form_data(responsible=cast.viewer.pk))
    assert ok.status_code == 302
    with tenant_scope(cast.school):
        assert Programme.objects.get().responsible == cast.viewer
    # The choice lists the school's own staff only: a methodist of the municipality and
    # another school's curator are not there, and a forged id is refused.
    choices = dict(
        client.get(web(cast.school, "programme_create"))
        .context["form"]
        .fields["responsible"]
        .choices
    )
    assert set(choices) == {"", cast.curator.pk, cast.viewer.pk}
    forged = client.post(
        web(cast.school, "programme_create"),
        form_data(name="Другая", responsible=cast.curator2.pk),
    )
    assert forged.status_code == 400


def test_curator_edits_a_programme(cast, client):
    programme = ProgrammeFactory(organization=cast.school, name="Старое имя")
    client.force_login(cast.curator)
    url = web(cast.school, "programme_edit", programme_id=programme.pk)
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["name"] == "Старое имя"
    response = client.post(url, form_data(name="Новое имя", mentor_capacity="3"))
    assert response.status_code == 302
    programme.refresh_from_db()
    assert (programme.name, programme.mentor_capacity) == ("Новое имя", 3)
    entry = AuditEntry.objects.get(action="programme.update", object_id=programme.pk)
    assert "name" in entry.details["fields"] and "mentor_capacity" in entry.details["fields"]


def test_viewer_and_upper_levels_read_but_do_not_write(cast, client):
    programme = ProgrammeFactory(organization=cast.school)
    for user in (cast.viewer, cast.methodist, cast.department):
        client.force_login(user)
        assert client.get(web(cast.school, "programme_list")).status_code == 200
        assert (
            client.get(web(cast.school, "programme_detail", programme_id=programme.pk)).status_code
            == 200
        )
        assert client.get(web(cast.school, "programme_create")).status_code == 403
        assert client.post(web(cast.school, "programme_create"), form_data()).status_code == 403
        edit = web(cast.school, "programme_edit", programme_id=programme.pk)
        assert client.post(edit, form_data(name="Чужая правка")).status_code == 403
        close = web(cast.school, "programme_close", programme_id=programme.pk)
        assert client.post(close).status_code == 403
        body = client.get(web(cast.school, "programme_list")).content.decode()
        assert "Создать программу" not in body
    programme.refresh_from_db()
    assert programme.closed_at is None and programme.name != "Чужая правка"


def test_another_schools_programme_is_not_found(cast, client, api):
    foreign = ProgrammeFactory(organization=cast.school2, name="Чужая")
    client.force_login(cast.curator)
    for name in ("programme_detail", "programme_edit"):
        assert client.get(web(cast.school, name, programme_id=foreign.pk)).status_code == 404
    for name in ("programme_edit", "programme_close", "programme_reopen"):
        url = web(cast.school, name, programme_id=foreign.pk)
        assert client.post(url, form_data()).status_code == 404
    api.force_login(cast.curator)
    assert api.post(api_url(cast.school, f"programmes/{foreign.pk}/close/")).status_code == 404
    assert (
        api.patch(
            api_url(cast.school, f"programmes/{foreign.pk}/"), {"name": "x"}, format="json"
        ).status_code
        == 404
    )
    foreign.refresh_from_db()
    assert foreign.name == "Чужая" and foreign.closed_at is None


# --- one service, one set of refusals -------------------------------------------------------


BAD_INPUT = [
    # (form overrides, API overrides, field, message)
    ({"name": "   "}, {"name": "   "}, "name", "Укажите наименование программы."),
    ({"form": ""}, {"form": None}, "form", "Выберите форму наставничества."),
    (
        {"mentors_description": ""},
        {"mentors_description": ""},
        "mentors_description",
        "Укажите, кто является наставниками в программе.",
    ),
    (
        {"mentees_description": " "},
        {"mentees_description": " "},
        "mentees_description",
        "Укажите, кто является наставляемыми в программе.",
    ),
    (
        {"mentor_capacity": "0"},
        {"mentor_capacity": 0},
        "mentor_capacity",
        "Наставник по умолчанию берёт от 1 до 30 наставляемых.",
    ),
    (
        {"mentor_capacity": "31"},
        {"mentor_capacity": 31},
        "mentor_capacity",
        "Наставник по умолчанию берёт от 1 до 30 наставляемых.",
    ),
    (
        {"starts_on": "2027-09-01", "ends_on": "2027-05-31"},
        {"starts_on": "2027-09-01", "ends_on": "2027-05-31"},
        "ends_on",
        "Окончание программы раньше её начала.",
    ),
    ({"name": "Я" * 301}, {"name": "Я" * 301}, "name", "Не длиннее 300 символов."),
]


@pytest.mark.parametrize(("form_bad", "api_bad", "field", "message"), BAD_INPUT)
def test_page_and_api_refuse_the_same_input_in_the_same_words(
    cast, client, api, form_bad, api_bad, field, message
):
    client.force_login(cast.curator)
    page = client.post(web(cast.school, "programme_create"), form_data(**form_bad))
    assert page.status_code == 400
    assert page.context["form"].errors[field] == [message]
    api.force_login(cast.curator)
    response = api.post(api_url(cast.school, "programmes/"), api_body(**api_bad), format="json")
    assert response.status_code == 400
    assert response.json()[field] == [message]
    with tenant_scope(cast.school):
        assert not Programme.objects.exists()


def test_a_responsible_person_from_outside_the_school_is_refused_alike(cast, client, api):
    message = (
        "Ответственным за программу может быть только сотрудник школы: "
        "куратор или другой сотрудник с доступом к порталу."
    )
    api.force_login(cast.curator)
    for outsider in (cast.methodist, cast.curator2, cast.other_curator):
        response = api.post(
            api_url(cast.school, "programmes/"), api_body(responsible=outsider.pk), format="json"
        )
        assert response.status_code == 400
        assert response.json() == {"responsible": [message]}
    missing = api.post(
        api_url(cast.school, "programmes/"), api_body(responsible=987654), format="json"
    )
    assert missing.json() == {"responsible": [message]}
    created = api.post(
        api_url(cast.school, "programmes/"), api_body(responsible=cast.viewer.pk), format="json"
    )
    assert created.status_code == 201
    assert created.json()["responsible"] == cast.viewer.pk
    assert created.json()["responsible_name"] == cast.viewer.get_full_name()


def test_a_duplicate_name_is_a_conflict_on_both_doors(cast, client, api):
    ProgrammeFactory(organization=cast.school, name="Билет в будущее")
    client.force_login(cast.curator)
    page = client.post(web(cast.school, "programme_create"), form_data(name="билет в будущее"))
    assert page.status_code == 409
    assert page.context["form"].errors["name"] == ["Программа «билет в будущее» в школе уже есть."]
    api.force_login(cast.curator)
    response = api.post(api_url(cast.school, "programmes/"), api_body(), format="json")
    assert response.status_code == 409
    assert response.json() == {"name": ["Программа «Билет в будущее» в школе уже есть."]}


def test_api_creates_with_every_field_and_reads_them_back(cast, api):
    api.force_login(cast.curator)
    response = api.post(
        api_url(cast.school, "programmes/"),
        api_body(responsible=cast.curator.pk),
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["goals"] == "Ранняя профориентация"
    assert data["expected_results"] == "Осознанный выбор профиля"
    assert data["mentor_capacity"] == 2
    assert data["closed_at"] is None
    # The capacity is optional on create: one mentee per mentor unless told otherwise.
    other = api.post(
        api_url(cast.school, "programmes/"),
        {
            "name": "Кадры будущего",
            "form": "teacher-teacher",
            "mentors_description": "Педагоги-наставники",
            "mentees_description": "Молодые педагоги",
        },
        format="json",
    )
    assert other.status_code == 201 and other.json()["mentor_capacity"] == 1
    assert other.json()["responsible"] is None


# --- closing keeps history --------------------------------------------------------------------


def _paired_programme(org):
    pair = make_pair(org)
    return pair.programme, pair


def test_a_programme_with_open_pairs_is_not_closed(cast, client, api):
    programme, pair = _paired_programme(cast.school)
    client.force_login(cast.curator)
    response = client.post(
        web(cast.school, "programme_close", programme_id=programme.pk), follow=True
    )
    assert "У программы есть незавершённые пары (1): завершите или отклоните их" in (
        response.content.decode()
    )
    api.force_login(cast.curator)
    refused = api.post(api_url(cast.school, f"programmes/{programme.pk}/close/"))
    assert refused.status_code == 400
    programme.refresh_from_db()
    assert programme.closed_at is None


def test_a_closed_programme_leaves_matching_and_new_pairs_but_stays_readable(cast, client, api):
    programme, pair = _paired_programme(cast.school)
    open_one = ProgrammeFactory(organization=cast.school, name="Открытая")
    with tenant_scope(cast.school):
        pair_transition(actor=None, pair=pair, to=PairStatus.REJECTED, reason="Не сложилось")
    client.force_login(cast.curator)
    closed = client.post(web(cast.school, "programme_close", programme_id=programme.pk))
    assert closed.status_code == 302
    programme.refresh_from_db()
    assert programme.closed_at is not None
    assert AuditEntry.objects.filter(action="programme.close", object_id=programme.pk).exists()

    # Readable: the list (marked), the page with its pair history; no pool, no matching.
    listing = client.get(web(cast.school, "programme_list")).content.decode()
    assert programme.name in listing and "закрыта" in listing
    page = client.get(web(cast.school, "programme_detail", programme_id=programme.pk))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Программа закрыта" in body
    assert web(cast.school, "programme_matching", programme_id=programme.pk) not in body
    assert "pool" not in page.context
    # Gone from the pairs page's «Подобрать пары» and «Создать вручную» choices, kept in
    # its filter (the pairs are history).
    pairs_page = client.get(web(cast.school, "pair_list"))
    assert pairs_page.context["open_programmes"] == [open_one]
    assert programme in pairs_page.context["filters"].fields["programme"].queryset
    # Its matching and new-pair pages send the curator back with the reason.
    for name in ("programme_matching", "pair_create"):
        response = client.get(web(cast.school, name, programme_id=programme.pk), follow=True)
        assert response.redirect_chain[-1][0] == web(
            cast.school, "programme_detail", programme_id=programme.pk
        )
        assert "подбор и новые пары в ней недоступны" in response.content.decode()
    # The services refuse too, whatever the door.
    mentor = make_consented(cast.school, last_name="Наставникова", **TEACHER)
    mentee = make_consented(cast.school, last_name="Ученикова")
    with tenant_scope(cast.school), pytest.raises(Exception, match="закрыта"):
        pair_propose(
            actor=None, programme=programme, mentor_ids=[mentor.pk], mentee_ids=[mentee.pk]
        )
    api.force_login(cast.curator)
    assert (
        api.get(api_url(cast.school, f"programmes/{programme.pk}/suggestions/")).status_code == 400
    )
    accept = api.post(
        api_url(cast.school, f"programmes/{programme.pk}/suggestions/accept/"),
        {"pairs": [{"mentor": mentor.pk, "mentee": mentee.pk}]},
        format="json",
    )
    assert accept.status_code == 400
    made = api.post(
        api_url(cast.school, "pairs/"),
        {"programme": programme.pk, "mentor_ids": [mentor.pk], "mentee_ids": [mentee.pk]},
        format="json",
    )
    assert made.status_code == 400
    # Editing waits for a reopening, on both doors.
    edit = client.get(web(cast.school, "programme_edit", programme_id=programme.pk))
    assert edit.status_code == 302
    patched = api.patch(
        api_url(cast.school, f"programmes/{programme.pk}/"), {"name": "Иначе"}, format="json"
    )
    assert patched.status_code == 400
    assert patched.json() == {
        "non_field_errors": ["Программа закрыта: чтобы изменить её, сначала возобновите программу."]
    }
    with tenant_scope(cast.school):
        assert Pair.objects.filter(programme=programme).count() == 1  # history kept

    # Reopened through the API: back in the choices.
    reopened = api.post(api_url(cast.school, f"programmes/{programme.pk}/reopen/"))
    assert reopened.status_code == 200 and reopened.json()["closed_at"] is None
    pairs_page = client.get(web(cast.school, "pair_list"))
    assert programme in pairs_page.context["open_programmes"]


def test_closing_through_the_api_and_twice_is_harmless(cast, api):
    programme = ProgrammeFactory(organization=cast.school)
    api.force_login(cast.curator)
    first = api.post(api_url(cast.school, f"programmes/{programme.pk}/close/"))
    again = api.post(api_url(cast.school, f"programmes/{programme.pk}/close/"))
    assert first.status_code == again.status_code == 200
    assert first.json()["closed_at"] == again.json()["closed_at"] is not None
    assert AuditEntry.objects.filter(action="programme.close").count() == 1
    api.force_login(cast.viewer)
    assert api.post(api_url(cast.school, f"programmes/{programme.pk}/reopen/")).status_code == 403


# --- the programme's page: pool and pairs --------------------------------------------------


def test_programme_page_shows_its_pool_and_pairs(cast, client):
    programme = ProgrammeFactory(organization=cast.school, mentor_capacity=2)
    mentor = make_consented(cast.school, last_name="Наставникова", **TEACHER)
    waiting = make_consented(cast.school, last_name="Ждущая")
    paired = make_consented(cast.school, last_name="Впаре")
    make_participant(cast.school, last_name="Безсогласия")  # a mentee of the form, no consent
    # A teacher-teacher mentee does not fit a teacher-student programme.
    make_consented(
        cast.school, last_name="Молодой", **{**TEACHER, "is_mentor": False, "is_mentee": True}
    )
    with tenant_scope(cast.school):
        pair_propose(
            actor=None, programme=programme, mentor_ids=[mentor.pk], mentee_ids=[paired.pk]
        )
    client.force_login(cast.curator)
    page = client.get(web(cast.school, "programme_detail", programme_id=programme.pk))
    context = page.context
    assert [p.pk for p in context["pool_mentees"]] == [waiting.pk]
    # No questionnaire: the programme's default capacity (2), one seat taken by the pair.
    assert [(p.pk, free) for p, free in context["pool_mentors"]] == [(mentor.pk, 1)]
    assert context["pool"].without_consent == 1
    assert (context["pairs"].proposed, context["pairs"].approved, context["pairs"].active) == (
        1,
        0,
        0,
    )
    body = page.content.decode()
    assert "Наставляемых без пары: 1, свободных мест у наставников: 1." in body
    assert web(cast.school, "programme_matching", programme_id=programme.pk) in body
    assert f"{web(cast.school, 'pair_list')}?programme={programme.pk}" in body
    assert 'data-testid="issue-order"' in body

    # The municipality reads the programme and its counts, never the names.
    client.force_login(cast.methodist)
    page = client.get(web(cast.school, "programme_detail", programme_id=programme.pk))
    assert page.status_code == 200
    body = page.content.decode()
    assert "pool" not in page.context
    assert "Ждущая" not in body and "Наставникова" not in body
    assert web(cast.school, "programme_matching", programme_id=programme.pk) not in body
    assert 'data-testid="issue-order"' not in body


def test_default_capacity_lets_a_mentor_without_questionnaire_take_more(cast):
    programme = ProgrammeFactory(organization=cast.school, mentor_capacity=2)
    mentor = make_consented(cast.school, last_name="Наставникова", **TEACHER)
    mentees = [make_consented(cast.school, last_name=f"Ученица{i}") for i in range(3)]
    with tenant_scope(cast.school):
        for mentee in mentees[:2]:
            pair_propose(
                actor=None, programme=programme, mentor_ids=[mentor.pk], mentee_ids=[mentee.pk]
            )
        with pytest.raises(Exception, match="не более 2"):
            pair_propose(
                actor=None, programme=programme, mentor_ids=[mentor.pk], mentee_ids=[mentees[2].pk]
            )


def test_list_says_what_to_do_when_empty(cast, client):
    client.force_login(cast.curator)
    body = client.get(web(cast.school, "programme_list")).content.decode()
    assert "Программ пока нет" in body
    assert "Создайте программу" in body
    assert web(cast.school, "programme_create") in body
    client.force_login(cast.viewer)
    body = client.get(web(cast.school, "programme_list")).content.decode()
    assert "Программы создаёт куратор школы." in body
    assert web(cast.school, "programme_create") not in body


def _grow(org, programme, n: int) -> None:
    """n more consented mentors and mentees of the form, and n proposed pairs."""
    for _ in range(n):
        i = next(_counter)
        make_consented(org, last_name=f"Наставник{i}", **TEACHER)
        make_consented(org, last_name=f"Ученик{i}")
        make_participant(org, last_name=f"Безсогласия{i}")
        pair = make_pair(org)
        with tenant_scope(org):
            Pair.objects.filter(pk=pair.pk).update(programme=programme)


_counter = iter(range(10_000))


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["curator", "methodist"])
def test_programme_page_keeps_a_fixed_number_of_queries(cast, client, who):
    programme = ProgrammeFactory(organization=cast.school)
    client.force_login(getattr(cast, who))
    url = web(cast.school, "programme_detail", programme_id=programme.pk)
    client.get(url)  # warm the session
    _grow(cast.school, programme, 2)
    few = _count(client, url)
    _grow(cast.school, programme, 6)
    many = _count(client, url)
    assert few == many, f"{few} queries with 2 of each, {many} with 8"
    assert many == {"curator": 18, "methodist": 11}[who]


def test_programme_list_keeps_a_fixed_number_of_queries(cast, client):
    client.force_login(cast.curator)
    url = web(cast.school, "programme_list")
    client.get(url)
    for _ in range(2):
        make_pair(cast.school)
    few = _count(client, url)
    for _ in range(6):
        make_pair(cast.school)
    assert _count(client, url) == few


def test_closing_directly_through_the_service_needs_the_pairs_finished(cast):
    programme, pair = _paired_programme(cast.school)
    with tenant_scope(cast.school):
        with pytest.raises(Exception, match="незавершённые пары"):
            programme_close(actor=None, programme=programme)
        pair_transition(actor=None, pair=pair, to=PairStatus.REJECTED, reason="Ошибка")
        programme_close(actor=None, programme=programme)
    assert programme.is_closed
