"""The pair pages: list, matching, a pair's page, lifecycle, meetings, plans; roles and tenants."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentorship.tenancy.scoping import tenant_scope
from registry.models import Meeting, MemberRole, Pair, PairStatus, PlanTask
from registry.services import pairs as pair_services
from registry.services.consent import consent_record, consent_withdraw
from registry.services.participants import mentee_need_add, mentor_profile_save
from tests.factories import (
    ProgrammeFactory,
    make_consented,
    make_pair,
    make_participant,
    make_plan,
)

TEACHER = {
    "category": "teacher",
    "grade": None,
    "birth_date": date(1980, 4, 1),
    "experience_years": 20,
    "is_mentor": True,
    "is_mentee": False,
}


def url(name, org, **kwargs):
    return reverse(f"registry:{name}", kwargs={"org_slug": org.slug, **kwargs})


def text(response) -> str:
    return response.content.decode()


def mentor(org, last_name, capacity=1, **profile):
    person = make_consented(org, last_name=last_name, **TEACHER)
    with tenant_scope(org):
        mentor_profile_save(actor=None, participant=person, max_mentees=capacity, **profile)
    return person


def pupil(org, last_name, need="", **extra):
    person = make_consented(org, last_name=last_name, **extra)
    if need:
        with tenant_scope(org):
            mentee_need_add(actor=None, participant=person, source="self", text=need)
    return person


@pytest.fixture
def curator(client, cast):
    client.force_login(cast.curator)
    return client


@pytest.fixture
def school_programme(cast):
    """A programme with two mentors, three mentees (one left over) and one without consent."""
    programme = ProgrammeFactory(organization=cast.school, name="Билет в будущее")
    maths = mentor(cast.school, "Математикова", competencies="математика, олимпиады")
    choir = mentor(cast.school, "Хорова", competencies="хоровое пение, музыка")
    a = pupil(cast.school, "Олимпиадова", need="Олимпиады по математике")
    b = pupil(cast.school, "Певцова", need="Музыка и хоровое пение")
    c = pupil(cast.school, "Третьякова", need="Робототехника")
    make_participant(cast.school, last_name="Безсогласная")
    return programme, (maths, choir), (a, b, c)


def pair_of(org, pair_id):
    with tenant_scope(org):
        pair = Pair.objects.get(pk=pair_id)
        members = {(m.participant.last_name, m.role) for m in pair.members.all()}
    return pair, members


# ---- list -----------------------------------------------------------------------------


def test_list_shows_pairs_with_people_form_programme_and_status(curator, cast):
    pair = make_pair(cast.school)
    response = curator.get(url("pair_list", cast.school))
    assert response.status_code == 200
    body = text(response)
    with tenant_scope(cast.school):
        mentor_row = pair.members.get(role=MemberRole.MENTOR).participant
    assert mentor_row.short_name in body
    assert "Предложена" in body and "учитель – ученик" in body and pair.programme.name in body
    assert url("pair_detail", cast.school, pair_id=pair.pk) in body


def test_list_filters_by_status_and_programme(curator, cast):
    proposed, approved = make_pair(cast.school), make_pair(cast.school, approved=True)
    detail = lambda p: url("pair_detail", cast.school, pair_id=p.pk)  # noqa: E731
    body = text(curator.get(url("pair_list", cast.school), {"status": "approved"}))
    assert detail(approved) in body and detail(proposed) not in body
    body = text(curator.get(url("pair_list", cast.school), {"programme": proposed.programme_id}))
    assert detail(proposed) in body and detail(approved) not in body


def started(pair, days_ago):
    with tenant_scope(pair.organization):
        Pair.objects.filter(pk=pair.pk).update(starts_on=date.today() - timedelta(days=days_ago))
    return pair


def test_list_flags_working_pairs_without_meetings_for_30_days(curator, cast):
    quiet = started(make_pair(cast.school, approved=True), 40)
    busy = started(make_pair(cast.school, approved=True), 40)
    old = started(make_pair(cast.school, approved=True), 60)
    make_pair(cast.school, approved=True)  # approved today: not silent, it has just started
    with tenant_scope(cast.school):
        pair_services.meeting_log(
            actor=None, pair=busy, kind="first", held_on=date.today(), topic="Знакомство"
        )
        pair_services.meeting_log(
            actor=None,
            pair=old,
            kind="first",
            held_on=date.today() - timedelta(days=45),
            topic="Знакомство",
        )
    response = curator.get(url("pair_list", cast.school))
    flagged = {p.pk for p in response.context["page"].object_list if p.is_stale}
    assert flagged == {quiet.pk, old.pk}
    assert "нет встреч 30+ дней" in text(response)


def test_list_query_count_does_not_grow_with_pairs(curator, cast):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = curator.get(url("pair_list", cast.school))
        assert response.status_code == 200
        return len(queries)

    for _ in range(5):
        make_pair(cast.school, approved=True)
    five = count()
    for _ in range(35):
        make_pair(cast.school)
    forty = count()
    assert len(curator.get(url("pair_list", cast.school)).context["page"].object_list) == 40
    assert five == forty, (five, forty)


def test_order_button_names_the_proposed_pairs_shown(curator, cast):
    proposed, approved = make_pair(cast.school), make_pair(cast.school, approved=True)
    response = curator.get(url("pair_list", cast.school))
    assert response.context["proposed_ids"] == [proposed.pk]
    body = text(response)
    assert reverse("registry:pair_order_issue", kwargs={"org_slug": cast.school.slug}) in body
    assert f'name="pair_ids" value="{proposed.pk}"' in body
    assert f'name="pair_ids" value="{approved.pk}"' not in body


def test_viewer_reads_but_sees_no_write_buttons(client, cast):
    pair = make_pair(cast.school, approved=True)
    client.force_login(cast.viewer)
    body = text(client.get(url("pair_list", cast.school)))
    assert "Подобрать пары" not in body
    body = text(client.get(url("pair_detail", cast.school, pair_id=pair.pk)))
    assert "Записать встречу" not in body and "Начать работу" not in body
    response = client.post(url("pair_status", cast.school, pair_id=pair.pk), {"to": "active"})
    assert response.status_code == 403


@pytest.mark.parametrize("who", ["methodist", "department", "regional"])
def test_upper_levels_never_see_pupils_names(client, cast, who):
    pair = make_pair(cast.school)
    client.force_login(getattr(cast, who))
    for target in (
        url("pair_list", cast.school),
        url("pair_detail", cast.school, pair_id=pair.pk),
        url("programme_matching", cast.school, programme_id=pair.programme_id),
    ):
        assert client.get(target).status_code == 403


def test_another_schools_pair_is_not_found(curator, cast):
    foreign = make_pair(cast.school2)
    assert curator.get(url("pair_detail", cast.school, pair_id=foreign.pk)).status_code == 404
    response = curator.post(
        url("pair_status", cast.school, pair_id=foreign.pk), {"to": "rejected", "reason": "x"}
    )
    assert response.status_code == 404
    other_programme = foreign.programme_id
    target = url("programme_matching", cast.school, programme_id=other_programme)
    assert curator.get(target).status_code == 404


def test_stale_panel_for_the_school_home(curator, cast):
    pair = started(make_pair(cast.school, approved=True), 30)
    response = curator.get(url("pair_stale_panel", cast.school))
    assert response.status_code == 200
    assert url("pair_detail", cast.school, pair_id=pair.pk) in text(response)
    home = text(curator.get(reverse("org_home", kwargs={"org_slug": cast.school.slug})))
    assert url("pair_stale_panel", cast.school) in home


# ---- matching -------------------------------------------------------------------------


def test_matching_shows_suggestions_reasons_unmatched_and_missing_consents(
    curator, cast, school_programme
):
    programme, (maths, choir), (a, b, c) = school_programme
    response = curator.get(url("programme_matching", cast.school, programme_id=programme.pk))
    assert response.status_code == 200
    run = response.context["run"]
    pairs = {(s.mentor_id, s.mentee_id) for s in run.result.suggestions}
    assert pairs == {(maths.pk, a.pk), (choir.pk, b.pk)}
    body = text(response)
    assert "Остались без пары — почему и что исправить" in body
    assert c.full_name in body
    assert response.context["run"].pool.without_consent == 1
    assert url("consent_queue", cast.school) in body
    assert "Принять выбранные" in body
    # Each reason is shown with its points.
    assert "+" in body and "Почему эта пара" in body


def test_accepting_selected_suggestions_creates_proposed_pairs(curator, cast, school_programme):
    programme, (maths, choir), (a, b, _c) = school_programme
    target = url("programme_matching", cast.school, programme_id=programme.pk)
    response = curator.post(
        target, {"accept": [a.pk], f"mentor_{a.pk}": maths.pk, f"mentor_{b.pk}": choir.pk}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(url("pair_list", cast.school))
    with tenant_scope(cast.school):
        [pair] = Pair.objects.filter(programme=programme)
    pair, members = pair_of(cast.school, pair.pk)
    assert pair.status == PairStatus.PROPOSED and pair.score > 0 and pair.reasons
    assert pair.created_by == cast.curator
    assert members == {("Математикова", "mentor"), ("Олимпиадова", "mentee")}
    # The accepted mentee is no longer offered.
    run = curator.get(target).context["run"]
    assert a.pk not in {s.mentee_id for s in run.result.suggestions}


def test_editing_a_suggestion_takes_another_mentor(curator, cast, school_programme):
    programme, (maths, choir), (a, _b, _c) = school_programme
    options = curator.get(
        url("programme_matching_options", cast.school, programme_id=programme.pk),
        {"mentee": a.pk, "current": maths.pk},
    )
    assert options.status_code == 200
    assert f'name="mentor_{a.pk}"' in text(options) and "свободно мест: 1" in text(options)
    options_url = url("programme_matching_options", cast.school, programme_id=programme.pk)
    assert curator.get(options_url).status_code == 400  # no mentee named
    assert curator.get(options_url, {"mentee": 987654}).status_code == 404
    curator.post(
        url("programme_matching", cast.school, programme_id=programme.pk),
        {"accept": [a.pk], f"mentor_{a.pk}": choir.pk},
    )
    with tenant_scope(cast.school):
        pair = Pair.objects.get(programme=programme)
    assert pair_of(cast.school, pair.pk)[1] == {("Хорова", "mentor"), ("Олимпиадова", "mentee")}


def test_rejecting_a_suggestion_sets_the_mentee_aside(curator, cast, school_programme):
    programme, _mentors, (a, _b, _c) = school_programme
    target = url("programme_matching", cast.school, programme_id=programme.pk)
    response = curator.get(target, {"skip": a.pk})
    run = response.context["run"]
    assert a.pk not in {s.mentee_id for s in run.result.suggestions}
    assert "Предложение отклонено куратором" in text(response) and a.full_name in text(response)


def test_a_refused_accept_shows_the_russian_reason_and_creates_nothing(
    curator, cast, school_programme
):
    programme, (maths, _choir), (a, b, _c) = school_programme
    response = curator.post(
        url("programme_matching", cast.school, programme_id=programme.pk),
        {"accept": [a.pk, b.pk], f"mentor_{a.pk}": maths.pk, f"mentor_{b.pk}": maths.pk},
    )
    assert response.status_code == 200
    assert "не осталось мест" in text(response)
    with tenant_scope(cast.school):
        assert not Pair.objects.filter(programme=programme).exists()


def test_matching_is_for_the_curator_only(client, cast, school_programme):
    programme = school_programme[0]
    client.force_login(cast.viewer)
    target = url("programme_matching", cast.school, programme_id=programme.pk)
    assert client.get(target).status_code == 403
    assert client.post(target, {}).status_code == 403


# ---- manual pair, detail, lifecycle ---------------------------------------------------


def test_manual_group_with_a_co_mentor(curator, cast, school_programme):
    programme, (maths, choir), (a, b, _c) = school_programme
    target = url("pair_create", cast.school, programme_id=programme.pk)
    page = curator.get(target)
    assert page.status_code == 200 and "свободно мест: 1" in text(page)
    response = curator.post(
        target,
        {"mentors": [maths.pk, choir.pk], "mentees": [a.pk], "goals": "Олимпиада по математике"},
    )
    assert response.status_code == 302
    with tenant_scope(cast.school):
        pair = Pair.objects.get(programme=programme)
    assert pair_of(cast.school, pair.pk)[1] == {
        ("Математикова", "mentor"),
        ("Хорова", "mentor"),
        ("Олимпиадова", "mentee"),
    }
    detail = text(curator.get(url("pair_detail", cast.school, pair_id=pair.pk)))
    assert "соруководитель" in detail and "Олимпиада по математике" in detail


def test_manual_pair_refusal_is_shown_on_the_form(curator, cast, school_programme):
    programme, (maths, _choir), (a, b, _c) = school_programme
    response = curator.post(
        url("pair_create", cast.school, programme_id=programme.pk),
        {"mentors": [maths.pk], "mentees": [a.pk, b.pk]},
    )
    assert response.status_code == 200
    assert "не осталось мест" in text(response)


def test_editing_a_proposed_pair(curator, cast, school_programme):
    programme, (maths, choir), (a, _b, _c) = school_programme
    with tenant_scope(cast.school):
        pair = pair_services.pair_propose(
            actor=None, programme=programme, mentor_ids=[maths.pk], mentee_ids=[a.pk]
        )
    target = url("pair_edit", cast.school, pair_id=pair.pk)
    assert curator.get(target).status_code == 200
    response = curator.post(target, {"mentors": [choir.pk], "mentees": [a.pk], "goals": "Хор"})
    assert response.status_code == 302
    pair, members = pair_of(cast.school, pair.pk)
    assert members == {("Хорова", "mentor"), ("Олимпиадова", "mentee")} and pair.goals == "Хор"


def test_detail_shows_people_reasons_and_allowed_moves(curator, cast, school_programme):
    programme, (maths, _choir), (a, _b, _c) = school_programme
    curator.post(
        url("programme_matching", cast.school, programme_id=programme.pk),
        {"accept": [a.pk], f"mentor_{a.pk}": maths.pk},
    )
    with tenant_scope(cast.school):
        pair = Pair.objects.get(programme=programme)
    response = curator.get(url("pair_detail", cast.school, pair_id=pair.pk))
    body = text(response)
    assert maths.full_name in body and a.full_name in body
    assert "Почему предложена эта пара" in body
    assert [t["to"] for t in response.context["transitions"]] == ["rejected"]
    assert "Изменить состав" in body and "утверждается приказом" in body


def test_transitions_and_russian_refusals(curator, cast):
    pair = make_pair(cast.school, approved=True)
    status_url = url("pair_status", cast.school, pair_id=pair.pk)
    detail = url("pair_detail", cast.school, pair_id=pair.pk)

    response = curator.post(status_url, {"to": "completed"}, follow=True)
    assert "Нельзя перевести пару из состояния «Утверждена приказом» в «Завершена»" in text(
        response
    )
    response = curator.post(status_url, {"to": "ended_early", "reason": " "}, follow=True)
    assert "Укажите причину" in text(response)

    curator.post(status_url, {"to": "active"})
    assert pair_of(cast.school, pair.pk)[0].status == PairStatus.ACTIVE
    moves = [t["to"] for t in curator.get(detail).context["transitions"]]
    assert moves == ["completed", "ended_early"]

    curator.post(status_url, {"to": "ended_early", "reason": "Переезд наставляемого"})
    pair = pair_of(cast.school, pair.pk)[0]
    assert pair.status == PairStatus.ENDED_EARLY and pair.end_reason == "Переезд наставляемого"
    assert "Переезд наставляемого" in text(curator.get(detail))


def test_rejecting_a_proposed_pair_needs_a_reason(curator, cast):
    pair = make_pair(cast.school)
    status_url = url("pair_status", cast.school, pair_id=pair.pk)
    curator.post(status_url, {"to": "rejected"})
    assert pair_of(cast.school, pair.pk)[0].status == PairStatus.PROPOSED
    curator.post(status_url, {"to": "rejected", "reason": "Не сошлись по графику"})
    assert pair_of(cast.school, pair.pk)[0].status == PairStatus.REJECTED


def test_suspended_pair_resumes_when_consent_is_back(curator, cast):
    pair = make_pair(cast.school, approved=True)
    with tenant_scope(cast.school):
        mentee = pair.members.get(role=MemberRole.MENTEE).participant
        consent_withdraw(actor=None, consent=mentee.consents.first(), reason="Отзыв")
    assert pair_of(cast.school, pair.pk)[0].status == PairStatus.SUSPENDED
    resume = url("pair_resume", cast.school, pair_id=pair.pk)
    response = curator.post(resume, follow=True)
    assert "не у всех участников есть действующее согласие" in text(response)
    with tenant_scope(cast.school):
        consent_record(
            actor=None,
            participant=mentee,
            given_by="parent",
            giver_name="Иванов Пётр Сергеевич",
            giver_relation="отец",
            given_on=date.today(),
            purposes=["programme"],
        )
    response = curator.post(resume, follow=True)
    assert "Работа пары возобновлена" in text(response)
    assert pair_of(cast.school, pair.pk)[0].status == PairStatus.APPROVED


def test_post_only_views_refuse_get(curator, cast):
    pair = make_pair(cast.school)
    for name in ("pair_status", "pair_resume", "meeting_add", "plan_add"):
        assert curator.get(url(name, cast.school, pair_id=pair.pk)).status_code == 405


# ---- meetings -------------------------------------------------------------------------


def test_logging_the_first_meeting_starts_the_pair(curator, cast):
    pair = make_pair(cast.school, approved=True)
    with tenant_scope(cast.school):
        people = {m.role: m.participant for m in pair.members.all()}
    detail = curator.get(url("pair_detail", cast.school, pair_id=pair.pk))
    assert "Записать встречу" in text(detail)
    response = curator.post(
        url("meeting_add", cast.school, pair_id=pair.pk),
        {
            "kind": "first",
            "held_on": date.today().isoformat(),
            "format": "in_person",
            "topic": "Знакомство, правила работы пары",
            "result": "Договорились о встречах по вторникам",
            "attended": [people["mentor"].pk],
        },
    )
    assert response.status_code == 302
    with tenant_scope(cast.school):
        meeting = Meeting.objects.get(pair=pair)
        assert list(meeting.attended.values_list("pk", flat=True)) == [people["mentor"].pk]
    assert pair_of(cast.school, pair.pk)[0].status == PairStatus.ACTIVE
    body = text(curator.get(url("pair_detail", cast.school, pair_id=pair.pk)))
    assert "Знакомство, правила работы пары" in body and "по вторникам" in body
    assert "нет встреч 30+ дней" not in body


def test_meeting_in_the_future_is_refused_on_the_form(curator, cast):
    pair = make_pair(cast.school, approved=True)
    response = curator.post(
        url("meeting_add", cast.school, pair_id=pair.pk),
        {
            "kind": "regular",
            "held_on": (date.today() + timedelta(days=3)).isoformat(),
            "format": "online",
            "topic": "Будущее",
        },
    )
    assert response.status_code == 200
    assert "Дата встречи в будущем" in text(response)


def test_proposed_pair_has_no_meeting_form_and_the_service_refuses(curator, cast):
    pair = make_pair(cast.school)
    body = text(curator.get(url("pair_detail", cast.school, pair_id=pair.pk)))
    assert "после утверждения пары приказом" in body
    response = curator.post(
        url("meeting_add", cast.school, pair_id=pair.pk),
        {
            "kind": "first",
            "held_on": date.today().isoformat(),
            "format": "in_person",
            "topic": "Знакомство",
        },
    )
    assert "только у утверждённых и работающих пар" in text(response)


# ---- development plans ----------------------------------------------------------------


def test_plan_create_tasks_and_reports(curator, cast):
    pair = make_pair(cast.school, approved=True)
    with tenant_scope(cast.school):
        mentee = pair.members.get(role=MemberRole.MENTEE).participant
    response = curator.post(
        url("plan_add", cast.school, pair_id=pair.pk),
        {"mentee": mentee.pk, "goals": "Выбрать профиль обучения"},
    )
    assert response.status_code == 302
    with tenant_scope(cast.school):
        plan = pair.plans.get()
    plan_url = url("plan_detail", cast.school, plan_id=plan.pk)
    assert response["Location"] == plan_url
    task_url = url("plan_task", cast.school, plan_id=plan.pk)
    curator.post(
        task_url,
        {
            "prefix": "new",
            "new-title": "Профпробы в колледже",
            "new-due_on": "2026-12-20",
            "new-status": "planned",
        },
    )
    with tenant_scope(cast.school):
        task = PlanTask.objects.get(plan=plan)
    assert task.due_on == date(2026, 12, 20)
    curator.post(
        task_url,
        {
            "prefix": f"t{task.pk}",
            f"t{task.pk}-title": task.title,
            f"t{task.pk}-due_on": "2026-12-20",
            f"t{task.pk}-status": "done",
        },
    )
    task.refresh_from_db()
    assert task.status == "done"
    curator.post(
        plan_url,
        {
            "goals": "Выбрать профиль",
            "interim_report": "Пройдены две профпробы",
            "final_report": "",
        },
    )
    plan.refresh_from_db()
    assert plan.interim_report == "Пройдены две профпробы"
    body = text(curator.get(plan_url))
    assert "Профпробы в колледже" in body and "Пройдены две профпробы" in body
    detail = text(curator.get(url("pair_detail", cast.school, pair_id=pair.pk)))
    assert "Профпробы в колледже" in detail and "Промежуточный отчёт есть" in detail


def test_task_of_another_plan_is_not_touched(curator, cast):
    plan, other = make_plan(cast.school), make_plan(cast.school)
    with tenant_scope(cast.school):
        foreign = PlanTask.objects.create(organization=cast.school, plan=other, title="Чужая")
    curator.post(
        url("plan_task", cast.school, plan_id=plan.pk),
        {
            "prefix": f"t{foreign.pk}",
            f"t{foreign.pk}-title": "Взлом",
            f"t{foreign.pk}-status": "done",
        },
    )
    foreign.refresh_from_db()
    assert foreign.title == "Чужая"


def test_viewer_reads_plans_and_cannot_write(client, cast):
    plan = make_plan(cast.school)
    client.force_login(cast.viewer)
    plan_url = url("plan_detail", cast.school, plan_id=plan.pk)
    response = client.get(plan_url)
    assert response.status_code == 200 and "Сохранить" not in text(response)
    assert client.post(plan_url, {"goals": "x"}).status_code == 403
    assert client.post(url("plan_task", cast.school, plan_id=plan.pk), {}).status_code == 403
