"""Competitions «Лучший наставник»: announce, nominate, score, publish; diplomas and the
reward order with names in the right case; pages, API, tenants and roles (issue 16,
items 3 and 6)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from mentorship.documents.services import document_render
from mentorship.models import Document, DocumentStatus
from mentorship.tenancy.scoping import tenant_scope, unscoped_reads
from registry.models import Competition, Nominee, PartnerOrganization, Score
from registry.services import competitions as service
from tests.factories import MINIMAL_PDF, make_participant
from tests.registry.test_local_acts import (
    _teacher,
    acts,  # noqa: F401 — the fixture: school A1 with its mentors and partner
    assert_same_text,
    pdf_text,
    render,
    squeeze,
)

CRITERIA = "Результаты наставляемых; 10\nМетодическая активность; 5"


@pytest.fixture
def contest(cast, acts):  # noqa: F811
    """«Лучший наставник» of the municipality, two jury members, nominees from two schools."""
    muni = cast.muni
    with tenant_scope(muni):
        competition = service.competition_create(
            actor=cast.methodist,
            organization=muni,
            title="Лучший наставник",
            nominations="Лучший наставник\nЛучший педагог-наставник",
            criteria=CRITERIA,
            nominations_until=timezone.localdate() + timedelta(days=10),
            judging_until=timezone.localdate() + timedelta(days=20),
        )
        first, second = list(competition.nominations.all())
        service.jury_add(actor=cast.methodist, competition=competition, user=cast.methodist)
        service.jury_add(actor=cast.methodist, competition=competition, user=cast.curator2)
    other = _teacher(cast.school2, "Сидоров", "Олег", "Павлович")
    nominees = {}
    with tenant_scope(cast.school):
        for key, nomination in (("petrov", first), ("double", first), ("shevchuk", second)):
            nominees[key] = service.nominee_create(
                actor=cast.curator,
                school=cast.school,
                competition=competition,
                nomination=nomination,
                participant=acts[key],
            )
    with tenant_scope(cast.school2):
        nominees["other"] = service.nominee_create(
            actor=cast.curator2,
            school=cast.school2,
            competition=competition,
            nomination=first,
            participant=other,
        )
    with tenant_scope(muni):
        criteria = list(competition.criteria.all())
    return {"competition": competition, "nominees": nominees, "criteria": criteria, **acts}


def count(model) -> int:
    with unscoped_reads():
        return model.objects.count()


def score_all(contest, juror_user, points: dict[str, tuple[int, int]]):
    competition = contest["competition"]
    with unscoped_reads():
        seat = competition.jury.get(user=juror_user)
    c1, c2 = contest["criteria"]
    values = {}
    for key, (a, b) in points.items():
        nominee = contest["nominees"][key]
        values[(nominee.pk, c1.pk)] = a
        values[(nominee.pk, c2.pk)] = b
    return service.scores_save(actor=juror_user, seat=seat, values=values)


def judged(cast, contest):
    score_all(contest, cast.methodist, {"petrov": (9, 5), "double": (8, 4), "other": (6, 3)})
    score_all(
        contest,
        cast.curator2,
        {"petrov": (10, 4), "double": (9, 5), "other": (5, 2), "shevchuk": (7, 5)},
    )
    with tenant_scope(cast.muni):
        return service.competition_publish(actor=cast.methodist, competition=contest["competition"])


# --- services ---------------------------------------------------------------------------


def test_results_average_the_jury_sums_and_rank_each_nomination(cast, contest):
    judged(cast, contest)
    rows = (
        {
            n.last_name: (n.total, n.place)
            for n in Nominee.objects.filter(competition=contest["competition"])
            .order_by("pk")
            .iterator()
            if True
        }
        if False
        else None
    )
    with unscoped_reads():
        rows = {n.last_name: (n.total, n.place) for n in Nominee.objects.all()}
    assert rows["Петров"] == (Decimal("14.00"), 1)  # (14 + 14) / 2
    assert rows["Римская-Корсакова"] == (Decimal("13.00"), 2)
    assert rows["Сидоров"] == (Decimal("8.00"), 3)
    # Another nomination ranks on its own; one jury member's sheet is its average.
    assert rows["Шевчук"] == (Decimal("12.00"), 1)
    with unscoped_reads():
        competition = Competition.objects.get(pk=contest["competition"].pk)
    assert competition.is_published


def test_equal_totals_share_a_place(cast, contest):
    score_all(contest, cast.methodist, {"petrov": (9, 5), "double": (9, 5), "other": (1, 1)})
    with tenant_scope(cast.muni):
        service.competition_publish(actor=cast.methodist, competition=contest["competition"])
    with unscoped_reads():
        places = {n.last_name: n.place for n in Nominee.objects.all()}
    assert places["Петров"] == places["Римская-Корсакова"] == 1
    assert places["Сидоров"] == 3
    assert places["Шевчук"] is None  # nobody scored her: no place


def test_a_score_above_the_maximum_refuses_the_whole_sheet(cast, contest):
    with pytest.raises(ValidationError, match="от 0 до 5"):
        score_all(contest, cast.methodist, {"petrov": (9, 5), "double": (8, 6)})
    assert count(Score) == 0


def test_nothing_changes_after_publication(cast, contest):
    judged(cast, contest)
    with pytest.raises(ValidationError, match="опубликованы"):
        score_all(contest, cast.methodist, {"petrov": (1, 1)})
    with tenant_scope(cast.school), pytest.raises(ValidationError, match="опубликованы"):
        service.nominee_create(
            actor=cast.curator,
            school=cast.school,
            competition=contest["competition"],
            nomination=contest["nominees"]["petrov"].nomination,
            participant=contest["shevchuk"],
        )


def test_publishing_without_scores_is_refused(cast, contest):
    with tenant_scope(cast.muni), pytest.raises(ValidationError, match="ни одного балла"):
        service.competition_publish(actor=cast.methodist, competition=contest["competition"])


def test_bad_competition_input_is_refused_with_messages(cast):
    with tenant_scope(cast.muni), pytest.raises(ValidationError) as error:
        service.competition_create(
            actor=cast.methodist,
            organization=cast.muni,
            title=" ",
            nominations="",
            criteria="Результаты",
            nominations_until=date(2026, 12, 20),
            judging_until=date(2026, 12, 1),
        )
    with pytest.raises(ValidationError) as parsed:
        service.parse_criteria("Результаты; 500")
    assert "criteria" in parsed.value.message_dict
    assert count(Competition) == 0
    assert error.value.message_dict  # the title error comes first


def test_a_school_nominates_only_adult_mentors_of_its_own_once(cast, contest):
    competition = contest["competition"]
    nomination = contest["nominees"]["petrov"].nomination
    with tenant_scope(cast.school):
        with pytest.raises(ValidationError, match="взрослых"):
            service.nominee_create(
                actor=cast.curator,
                school=cast.school,
                competition=competition,
                nomination=nomination,
                participant=contest["pupil"],
            )
        with pytest.raises(ValidationError, match="уже выдвинут"):
            service.nominee_create(
                actor=cast.curator,
                school=cast.school,
                competition=competition,
                nomination=nomination,
                participant=contest["petrov"],
            )
        with pytest.raises(ValidationError, match="закончился"):
            service.nominee_create(
                actor=cast.curator,
                school=cast.school,
                competition=competition,
                nomination=nomination,
                participant=contest["shevchuk"],
                today=competition.nominations_until + timedelta(days=1),
            )
        with pytest.raises(ValidationError, match="Загрузите PDF"):
            service.nominee_create(
                actor=cast.curator,
                school=cast.school,
                competition=competition,
                nomination=nomination,
                participant=contest["shevchuk"],
                file=SimpleUploadedFile("portfolio.pdf", b"<html>not a pdf</html>"),
            )
        nominee = service.nominee_create(
            actor=cast.curator,
            school=cast.school,
            competition=competition,
            nomination=nomination,
            participant=contest["shevchuk"],
            file=SimpleUploadedFile("portfolio.pdf", MINIMAL_PDF),
        )
    assert nominee.file.name.endswith(".pdf")
    # Another municipality's school cannot nominate for this competition.
    stranger = make_participant(
        cast.other_school,
        category="teacher",
        is_mentor=True,
        is_mentee=False,
        grade=None,
        class_letter="",
        birth_date=date(1980, 1, 1),
    )
    with tenant_scope(cast.other_school), pytest.raises(ValidationError, match="своего"):
        service.nominee_create(
            actor=cast.other_curator,
            school=cast.other_school,
            competition=competition,
            nomination=nomination,
            participant=stranger,
        )


def test_the_jury_is_staff_of_the_municipality_and_its_schools(cast, contest):
    from mentorship.notifications.models import Notification

    notice = Notification.objects.get(user=cast.curator2)
    assert notice.url == url(
        "jury_sheet", cast.school2, jury_competition_id=contest["competition"].pk
    )
    assert "Лучший наставник" in notice.title
    with tenant_scope(cast.muni), pytest.raises(ValidationError, match="сотрудники"):
        service.jury_add(
            actor=cast.methodist, competition=contest["competition"], user=cast.other_curator
        )


# --- documents --------------------------------------------------------------------------


def test_diplomas_decline_male_female_and_double_surnames(cast, contest):
    judged(cast, contest)
    document = render(
        cast.muni, "competition_diploma", {"competition_id": contest["competition"].pk}
    )
    assert document.status == DocumentStatus.READY, document.error
    pdf = assert_same_text(document)
    assert squeeze("вручается Петрову Ивану Сергеевичу") in pdf
    assert squeeze("занявшему 1 место в номинации «Лучший наставник»") in pdf
    assert squeeze("Римской-Корсаковой Анне Павловне") in pdf
    assert squeeze("занявшей 2 место") in pdf
    assert squeeze("Шевчук Ирине Олеговне") in pdf  # a woman's Шевчук stays as it is
    assert squeeze("ДИПЛОМ") in pdf and squeeze("I степени") in pdf


def test_the_reward_order_names_the_winners_in_the_accusative(cast, contest):
    judged(cast, contest)
    document = render(cast.muni, "reward_order", {"competition_id": contest["competition"].pk})
    assert document.status == DocumentStatus.READY, document.error
    pdf = assert_same_text(document)
    assert squeeze("По итогам конкурса «Лучший наставник»") in pdf
    assert squeeze("Петрова Ивана Сергеевича") in pdf
    assert squeeze("Римскую-Корсакову Анну Павловну") in pdf
    assert squeeze("Шевчук Ирину Олеговну") in pdf
    assert squeeze("Сидорова Олега Павловича") in pdf


def test_diplomas_wait_for_the_results(cast, contest):
    document = render(
        cast.muni, "competition_diploma", {"competition_id": contest["competition"].pk}
    )
    assert document.status == DocumentStatus.FAILED
    assert "не опубликованы" in document.error
    foreign = render(
        cast.other_muni, "competition_diploma", {"competition_id": contest["competition"].pk}
    )
    assert foreign.status == DocumentStatus.FAILED and "нет" in foreign.error


# --- pages ------------------------------------------------------------------------------


def url(name, org, **kwargs):
    return reverse(f"registry:{name}", kwargs={"org_slug": org.slug, **kwargs})


def test_the_methodist_announces_a_competition_and_bad_input_keeps_the_form(cast, client):
    client.force_login(cast.methodist)
    data = {
        "title": "Лучший наставник",
        "kind": "mentor",
        "nominations": "Лучший наставник",
        "criteria": "Результаты; много",
        "nominations_until": "2026-12-20",
        "judging_until": "2026-12-25",
    }
    response = client.post(url("competition_create", cast.muni), data)
    assert response.status_code == 400
    assert "максимальный балл" in response.content.decode()
    assert 'value="Лучший наставник"' in response.content.decode()
    data["criteria"] = CRITERIA
    response = client.post(url("competition_create", cast.muni), data)
    assert response.status_code == 302
    with unscoped_reads():
        competition = Competition.objects.get()
    assert response["Location"] == url(
        "competition_detail", cast.muni, competition_id=competition.pk
    )
    assert client.get(url("competition_list", cast.muni)).status_code == 200


def test_detail_pages_take_a_fixed_number_of_queries(
    cast, contest, client, django_assert_num_queries
):
    """The organiser's page, a school's page and a jury sheet: the same count of queries
    with 4 nominees and with 5 plus scores (after a first request warms the session)."""
    competition = contest["competition"]
    pages = {
        "muni_detail": (
            cast.methodist,
            url("competition_detail", cast.muni, competition_id=competition.pk),
        ),
        "school_detail": (
            cast.curator,
            url("competition_detail", cast.school, competition_id=competition.pk),
        ),
        "jury_sheet": (
            cast.curator2,
            url("jury_sheet", cast.school2, jury_competition_id=competition.pk),
        ),
    }

    def measure():
        for key, (user, page) in pages.items():
            client.force_login(user)
            assert client.get(page).status_code == 200
            with django_assert_num_queries(QUERIES[key]):
                assert client.get(page).status_code == 200

    measure()
    score_all(contest, cast.methodist, {"petrov": (9, 5), "double": (8, 4)})
    with tenant_scope(cast.school):
        service.nominee_create(
            actor=cast.curator,
            school=cast.school,
            competition=competition,
            nomination=contest["nominees"]["other"].nomination,
            participant=_teacher(cast.school, "Орлова", "Вера", "Ивановна"),
        )
    measure()


QUERIES = {"muni_detail": 17, "school_detail": 11, "jury_sheet": 10}


def test_a_school_sees_only_its_own_nominees(cast, contest, client):
    competition = contest["competition"]
    client.force_login(cast.curator2)
    body = client.get(
        url("competition_detail", cast.school2, competition_id=competition.pk)
    ).content.decode()
    assert "Сидоров Олег Павлович" in body
    assert "Петров" not in body and "Римская" not in body
    client.force_login(cast.curator)
    body = client.get(
        url("competition_detail", cast.school, competition_id=competition.pk)
    ).content.decode()
    assert "Петров Иван Сергеевич" in body and "Сидоров" not in body


def test_a_foreign_competition_is_not_found(cast, contest, client):
    competition = contest["competition"]
    client.force_login(cast.other_methodist)
    assert (
        client.get(
            url("competition_detail", cast.other_muni, competition_id=competition.pk)
        ).status_code
        == 404
    )
    assert (
        client.post(
            url("competition_publish", cast.other_muni, competition_id=competition.pk)
        ).status_code
        == 404
    )
    client.force_login(cast.other_curator)
    assert (
        client.get(
            url("competition_detail", cast.other_school, competition_id=competition.pk)
        ).status_code
        == 404
    )
    assert (
        client.post(
            url("competition_nominate", cast.other_school, competition_id=competition.pk), {}
        ).status_code
        == 404
    )


def test_a_jury_member_sees_only_what_they_score(cast, contest, client):
    competition = contest["competition"]
    # The curator of school A1 sits on no jury: the sheet is a 404, the list is empty.
    client.force_login(cast.curator)
    assert (
        client.get(url("jury_sheet", cast.school, jury_competition_id=competition.pk)).status_code
        == 404
    )
    assert "не входите" in client.get(url("jury_list", cast.school)).content.decode()
    # A jury member from school A2 scores every nominee, from every school.
    client.force_login(cast.curator2)
    sheet = url("jury_sheet", cast.school2, jury_competition_id=competition.pk)
    body = client.get(sheet).content.decode()
    assert "Петров Иван Сергеевич" in body and "Сидоров Олег Павлович" in body
    petrov = contest["nominees"]["petrov"]
    c1, c2 = contest["criteria"]
    response = client.post(sheet, {f"s-{petrov.pk}-{c1.pk}": "11", f"s-{petrov.pk}-{c2.pk}": "4"})
    assert response.status_code == 400
    assert "от 0 до 10" in response.content.decode()
    assert 'value="11"' in response.content.decode()
    assert count(Score) == 0
    response = client.post(sheet, {f"s-{petrov.pk}-{c1.pk}": "abc"})
    assert response.status_code == 400
    response = client.post(sheet, {f"s-{petrov.pk}-{c1.pk}": "10", f"s-{petrov.pk}-{c2.pk}": "4"})
    assert response.status_code == 302
    assert count(Score) == 2
    # The other jury member's scores are not on this screen, and vice versa.
    client.force_login(cast.methodist)
    body = client.get(
        url("jury_sheet", cast.muni, jury_competition_id=competition.pk)
    ).content.decode()
    assert 'value="10"' not in body


def test_roles_the_viewer_and_the_department_read_but_do_not_act(cast, contest, client):
    competition = contest["competition"]
    client.force_login(cast.viewer)
    assert (
        client.get(
            url("competition_detail", cast.school, competition_id=competition.pk)
        ).status_code
        == 200
    )
    assert (
        client.post(
            url("competition_nominate", cast.school, competition_id=competition.pk), {}
        ).status_code
        == 403
    )
    client.force_login(cast.department)
    assert (
        client.get(url("competition_detail", cast.muni, competition_id=competition.pk)).status_code
        == 200
    )
    assert (
        client.post(
            url("competition_publish", cast.muni, competition_id=competition.pk)
        ).status_code
        == 403
    )
    assert client.get(url("competition_create", cast.muni)).status_code == 403
    client.force_login(cast.regional)
    assert client.get(url("competition_list", cast.region)).status_code == 404


def test_the_curator_nominates_on_the_page_and_the_winner_shows_on_the_card(cast, contest, client):
    competition = contest["competition"]
    client.force_login(cast.curator)
    nomination = contest["nominees"]["petrov"].nomination
    page = url("competition_nominate", cast.school, competition_id=competition.pk)
    response = client.post(page, {"nomination": nomination.pk, "participant": contest["pupil"].pk})
    assert response.status_code == 400  # a pupil is not among the choices
    response = client.post(
        page, {"nomination": nomination.pk, "participant": contest["shevchuk"].pk}
    )
    assert response.status_code == 302
    judged(cast, contest)
    card = client.get(url("participant_detail", cast.school, participant_id=contest["petrov"].pk))
    assert "Победы в конкурсах" in card.content.decode()
    assert "1 место" in card.content.decode()


def test_the_methodist_publishes_and_issues_diplomas_and_the_reward_order(cast, contest, client):
    competition = contest["competition"]
    score_all(contest, cast.methodist, {"petrov": (9, 5)})
    client.force_login(cast.methodist)
    documents = url("competition_document", cast.muni, competition_id=competition.pk)
    assert client.post(documents, {"kind": "competition_diploma"}).status_code == 302
    with unscoped_reads():
        assert not Competition.objects.filter(status="published").exists()
    response = client.post(url("competition_publish", cast.muni, competition_id=competition.pk))
    assert response.status_code == 302
    for kind in ("competition_diploma", "reward_order"):
        response = client.post(documents, {"kind": kind})
        assert response.status_code == 302 and "/documents/" in response["Location"]


def test_the_rewards_page_makes_the_order_and_letters_from_chosen_people(cast, contest, client):
    client.force_login(cast.curator)
    page = url("rewards", cast.school)
    body = client.get(page).content.decode()
    assert "Петров Иван Сергеевич" in body and "ООО «Ромашка»" in body
    assert client.post(page, {"kind": "reward_order"}).status_code == 400
    response = client.post(
        page, {"kind": "reward_order", "participant_ids": [contest["petrov"].pk]}
    )
    assert response.status_code == 302
    with tenant_scope(cast.school):
        document = document_render(Document.objects.get(kind="reward_order").pk)
    assert document.params == {"participant_ids": [contest["petrov"].pk]}
    assert squeeze("Петрова Ивана Сергеевича") in squeeze(pdf_text(document))
    with tenant_scope(cast.school):
        romashka = PartnerOrganization.objects.get()
    response = client.post(page, {"kind": "thank_you_letter", "partner_ids": [romashka.pk]})
    assert response.status_code == 302
    client.force_login(cast.viewer)
    assert client.get(page).status_code == 403


# --- API --------------------------------------------------------------------------------


def api(name, org, **kwargs):
    return reverse(f"registry_api:{name}", kwargs={"org_slug": org.slug, **kwargs})


def test_api_competitions_nominees_scores_publish(cast, contest, client):
    competition = contest["competition"]
    client.force_login(cast.methodist)
    listed = client.get(api("competition_list", cast.muni)).json()
    assert listed["results"][0]["title"] == "Лучший наставник"
    assert [n["title"] for n in listed["results"][0]["nominations"]] == [
        "Лучший наставник",
        "Лучший педагог-наставник",
    ]
    bad = client.post(
        api("competition_list", cast.muni),
        {
            "title": "X",
            "nominations": [],
            "criteria": [],
            "nominations_until": "2026-12-01",
            "judging_until": "2026-12-02",
        },
        content_type="application/json",
    )
    assert bad.status_code == 400
    nominees = client.get(
        api("competition_nominees", cast.muni, competition_id=competition.pk)
    ).json()
    assert {n["full_name"] for n in nominees} >= {"Петров Иван Сергеевич", "Сидоров Олег Павлович"}
    # A school's API shows its own nominees only.
    client.force_login(cast.curator2)
    own = client.get(
        api("competition_nominees", cast.school2, competition_id=competition.pk)
    ).json()
    assert [n["full_name"] for n in own] == ["Сидоров Олег Павлович"]
    # The jury member's scores.
    petrov = contest["nominees"]["petrov"]
    c1, _c2 = contest["criteria"]
    scores = api("jury_scores", cast.school2, jury_competition_id=competition.pk)
    too_high = {"scores": [{"nominee": petrov.pk, "criterion": c1.pk, "value": 50}]}
    assert client.post(scores, too_high, content_type="application/json").status_code == 400
    ok = {"scores": [{"nominee": petrov.pk, "criterion": c1.pk, "value": 9}]}
    response = client.post(scores, ok, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json() == [{"nominee": petrov.pk, "criterion": c1.pk, "value": 9}]
    client.force_login(cast.curator)
    assert (
        client.get(api("jury_scores", cast.school, jury_competition_id=competition.pk)).status_code
        == 404
    )
    client.force_login(cast.methodist)
    published = client.post(api("competition_publish", cast.muni, competition_id=competition.pk))
    assert published.status_code == 200 and published.json()["status"] == "published"
    client.force_login(cast.other_methodist)
    assert (
        client.get(
            api("competition_detail", cast.other_muni, competition_id=competition.pk)
        ).status_code
        == 404
    )


def test_api_a_curator_nominates_and_a_pupil_is_refused(cast, contest, client):
    competition = contest["competition"]
    nomination = contest["nominees"]["petrov"].nomination
    client.force_login(cast.curator)
    endpoint = api("competition_nominees", cast.school, competition_id=competition.pk)
    pupil = {"nomination": nomination.pk, "participant": contest["pupil"].pk}
    assert client.post(endpoint, pupil, content_type="application/json").status_code == 400
    ok = {"nomination": nomination.pk, "participant": contest["shevchuk"].pk}
    response = client.post(endpoint, ok, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["full_name"] == "Шевчук Ирина Олеговна"
    client.force_login(cast.viewer)
    assert client.post(endpoint, ok, content_type="application/json").status_code == 403


def test_materials_open_for_their_school_the_organiser_and_the_jury_only(cast, contest, client):
    competition = contest["competition"]
    with tenant_scope(cast.school):
        nominee = service.nominee_create(
            actor=cast.curator,
            school=cast.school,
            competition=competition,
            nomination=contest["nominees"]["shevchuk"].nomination,
            participant=contest["petrov"],
            file=SimpleUploadedFile("portfolio.pdf", MINIMAL_PDF),
        )
    own = url("nominee_file", cast.school, competition_id=competition.pk, nominee_id=nominee.pk)
    client.force_login(cast.viewer)
    response = client.get(own)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(cast.methodist)
    organiser = url("nominee_file", cast.muni, competition_id=competition.pk, nominee_id=nominee.pk)
    assert client.get(organiser).status_code == 200
    # Another school of the same municipality: not its nominee.
    client.force_login(cast.curator2)
    other = url("nominee_file", cast.school2, competition_id=competition.pk, nominee_id=nominee.pk)
    assert client.get(other).status_code == 404
    # …but as a jury member it opens the materials from the jury's screen.
    jury = url(
        "jury_nominee_file", cast.school2, jury_competition_id=competition.pk, nominee_id=nominee.pk
    )
    assert client.get(jury).status_code == 200
    client.force_login(cast.curator)
    mine_as_jury = url(
        "jury_nominee_file", cast.school, jury_competition_id=competition.pk, nominee_id=nominee.pk
    )
    assert client.get(mine_as_jury).status_code == 404  # not on the jury
