"""The region over its municipalities (issue 17, items 2 and 4): a municipality submits its
year (figures frozen, live ones beside them), the region sees who has and returns one
with a comment; review threads answered by the municipality. Tenancy, roles, queries."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentorship.models import OrganizationKind
from mentorship.tenancy.scoping import tenant_scope, unscoped_reads
from monitoring.indicators.definitions import Indicator
from monitoring.indicators.models import Review, SubmissionStatus, YearSubmission
from monitoring.indicators.selectors.oversight import submitted_figures
from monitoring.indicators.services import oversight
from tests.factories import OrganizationFactory, make_review
from tests.indicators.conftest import YEAR, contingent, pupil_pairs

MENTEES = Indicator.PUPIL_MENTEES.value


def submit(cast, municipality=None, year=YEAR):
    municipality = municipality or cast.muni
    with tenant_scope(municipality):
        return oversight.submission_submit(
            actor=cast.methodist, municipality=municipality, year=year
        )


# --- services ----------------------------------------------------------------------------


def test_submission_freezes_figures_and_live_ones_move_on(cast):
    contingent(cast.school, pupils_10_19=100, pupils_15_19=40)
    pupil_pairs(cast.school, 6)
    submission = submit(cast)
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.values[MENTEES] == {
        "numerator": 6,
        "denominator": 100,
        "applicable": True,
        "respondents": 0,
    }
    pupil_pairs(cast.school, 4)  # after the submission
    frozen = submitted_figures(cast.region, YEAR)
    assert set(frozen) == {cast.muni.pk}
    assert frozen[cast.muni.pk].figures.values[MENTEES].numerator == 6
    assert frozen[cast.muni.pk].figures.participants == 7


def test_second_submission_is_refused_until_returned(cast):
    submission = submit(cast)
    with pytest.raises(ValidationError, match="уже сдан"):
        submit(cast)
    with tenant_scope(cast.muni):
        oversight.submission_return(
            actor=cast.regional, submission=submission, comment="Нет контингента школ."
        )
    assert submitted_figures(cast.region, YEAR) == {}  # returned: not counted
    with tenant_scope(cast.muni):
        thread = Review.objects.get()
        assert thread.awaiting_answer and thread.year == YEAR
        assert "Нет контингента школ." in thread.comments.get().text
    again = submit(cast)
    assert again.pk == submission.pk
    assert again.times_submitted == 2
    assert again.status == SubmissionStatus.SUBMITTED


def test_return_needs_a_comment_and_a_submitted_year(cast):
    submission = submit(cast)
    with tenant_scope(cast.muni), pytest.raises(ValidationError):
        oversight.submission_return(actor=cast.regional, submission=submission, comment="  ")
    submission.refresh_from_db()
    assert submission.is_submitted  # nothing changed


def test_only_a_municipality_submits(cast):
    with tenant_scope(cast.school), pytest.raises(ValidationError):
        oversight.submission_submit(actor=cast.curator, municipality=cast.school, year=YEAR)


def test_submitted_figures_stay_within_the_region(cast):
    submit(cast)
    with tenant_scope(cast.far_muni):
        oversight.submission_submit(actor=None, municipality=cast.far_muni, year=YEAR)
    assert set(submitted_figures(cast.region, YEAR)) == {cast.muni.pk}
    assert set(submitted_figures(cast.far_region, YEAR)) == {cast.far_muni.pk}


def test_the_regional_rollup_marks_who_submitted_the_year(cast):
    from monitoring.indicators.selectors.regional import unscoped_regional_rollup

    submit(cast)
    rollup = unscoped_regional_rollup(cast.region, YEAR)
    marked = {row.municipality.pk: row.submitted for row in rollup.rows}
    assert marked[cast.muni.pk] is True
    assert not any(v for pk, v in marked.items() if pk != cast.muni.pk)


def test_review_thread_answer_clears_the_todo(cast):
    thread = make_review(cast.muni)
    with tenant_scope(cast.muni):
        oversight.review_comment(
            actor=cast.methodist, review=thread, text="Сроки уточнены.", from_region=False
        )
        thread.refresh_from_db()
        assert not thread.awaiting_answer
        oversight.review_comment(
            actor=cast.regional, review=thread, text="Спасибо, ещё вопрос.", from_region=True
        )
        thread.refresh_from_db()
        assert thread.awaiting_answer
        assert thread.comments.count() == 3


# --- pages -----------------------------------------------------------------------------


def test_methodist_submits_on_the_page_and_region_returns(client, cast):
    client.force_login(cast.methodist)
    page = client.get(f"/o/muni/indicators/submission/?year={YEAR}").content.decode()
    assert "Сдать отчёт" in page
    response = client.post("/o/muni/indicators/submission/submit/", {"year": YEAR})
    assert response.status_code == 302
    with unscoped_reads():
        assert YearSubmission.objects.get(organization=cast.muni).is_submitted

    client.force_login(cast.regional)
    listing = client.get(f"/o/region/indicators/submissions/?year={YEAR}").content.decode()
    assert "Город А" in listing and "Район Б" in listing and "Город В" not in listing
    assert "Сдали: 1" in listing
    bad = client.post("/o/muni/indicators/submission/return/", {"year": YEAR, "comment": ""})
    assert bad.status_code == 302
    with unscoped_reads():
        assert YearSubmission.objects.get(organization=cast.muni).is_submitted  # nothing lost
    client.post(
        "/o/muni/indicators/submission/return/", {"year": YEAR, "comment": "Уточните контингент."}
    )
    with unscoped_reads():
        assert YearSubmission.objects.get(organization=cast.muni).status == "returned"

    client.force_login(cast.methodist)
    page = client.get(f"/o/muni/indicators/submission/?year={YEAR}").content.decode()
    assert "Уточните контингент." in page
    home = client.get("/o/muni/").content.decode()
    assert "Замечания региона без ответа" in home


@pytest.mark.parametrize(
    ("user", "url", "method", "expected"),
    [
        ("methodist", "/o/muni/indicators/submission/return/", "post", 403),
        ("department", "/o/muni/indicators/submission/return/", "post", 403),
        ("regional", "/o/muni/indicators/submission/submit/", "post", 403),
        ("methodist", "/o/region/indicators/submissions/", "get", 404),
        ("other_methodist", "/o/muni/indicators/submission/", "get", 404),
        ("curator", "/o/school-a1/indicators/submission/", "get", 404),
        ("regional", "/o/far-muni/indicators/submission/", "get", 404),
        ("regional", "/o/region/indicators/submission/", "get", 404),
    ],
)
def test_roles_and_tenants(client, cast, user, url, method, expected):
    client.force_login(getattr(cast, user))
    response = getattr(client, method)(url, {"year": YEAR} if method == "post" else {})
    assert response.status_code == expected


def test_a_municipality_never_sees_another_ones_thread(client, cast):
    thread = make_review(cast.other_muni, text="Замечание району Б")
    client.force_login(cast.methodist)
    assert client.get(f"/o/muni/indicators/reviews/{thread.pk}/").status_code == 404
    assert "Замечание району Б" not in client.get("/o/muni/indicators/reviews/").content.decode()
    client.force_login(cast.other_methodist)
    assert client.get(f"/o/muni-b/indicators/reviews/{thread.pk}/").status_code == 200


def test_region_opens_a_thread_on_a_roadmap_and_methodist_answers(client, cast):
    from tests.factories import make_roadmap

    roadmap = make_roadmap(cast.muni, title="Карта города А")
    client.force_login(cast.regional)
    response = client.post(
        "/o/muni/indicators/reviews/", {"roadmap": roadmap.pk, "text": "Добавьте мониторинг."}
    )
    assert response.status_code == 302
    with unscoped_reads():
        thread = Review.objects.get()
    assert thread.roadmap_id == roadmap.pk and thread.created_by == cast.regional
    # A roadmap of another municipality is not a choice.
    foreign = make_roadmap(cast.other_muni)
    bad = client.post("/o/muni/indicators/reviews/", {"roadmap": foreign.pk, "text": "x"})
    assert bad.status_code == 200 and "roadmap" in bad.context["form"].errors
    # Methodists answer; they cannot open a thread.
    client.force_login(cast.methodist)
    assert client.post("/o/muni/indicators/reviews/", {"text": "сам себе"}).status_code == 403
    client.post(f"/o/muni/indicators/reviews/{thread.pk}/", {"text": "Добавили в раздел 5."})
    thread.refresh_from_db()
    assert not thread.awaiting_answer
    client.force_login(cast.regional)
    page = client.get("/o/region/indicators/reviews/").content.decode()
    assert "Добавили в раздел 5." in page


def test_region_reads_municipal_mentor_base_but_not_a_schools_people(client, cast):
    client.force_login(cast.regional)
    assert client.get("/o/muni/partners/mentor-base/").status_code == 200
    assert client.get("/o/school-a1/registry/").status_code == 403


# --- query counts ------------------------------------------------------------------------


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _more_municipalities(cast, n=4):
    for i in range(n):
        muni = OrganizationFactory(
            kind=OrganizationKind.MUNICIPALITY, parent=cast.region, slug=f"m{i}", short_name=f"М{i}"
        )
        for j in range(3):
            OrganizationFactory(parent=muni, slug=f"m{i}-s{j}")
        with tenant_scope(muni):
            oversight.submission_submit(actor=None, municipality=muni, year=YEAR)
            make_review(muni)


def test_submissions_page_queries_do_not_grow(client, cast):
    client.force_login(cast.regional)
    url = f"/o/region/indicators/submissions/?year={YEAR}"
    before = _queries(client, url)
    _more_municipalities(cast)
    assert _queries(client, url) == before == 10


def test_region_reviews_page_queries_do_not_grow(client, cast):
    make_review(cast.muni)
    client.force_login(cast.regional)
    url = "/o/region/indicators/reviews/"
    before = _queries(client, url)
    _more_municipalities(cast)
    assert _queries(client, url) == before == 9


def test_submission_page_queries_do_not_grow_with_schools(client, cast):
    submit(cast)
    client.force_login(cast.regional)
    url = f"/o/muni/indicators/submission/?year={YEAR}"
    before = _queries(client, url)
    for j in range(5):
        OrganizationFactory(parent=cast.muni, slug=f"extra-{j}")
    # 13, was 17: the three aggregate reads and the survey's look-ups of its questions
    # and campaigns are one read of the stored counts once warm.
    assert _queries(client, url) == before == 13


# --- API -------------------------------------------------------------------------------


def test_api_submit_list_and_return(client, cast):
    client.force_login(cast.methodist)
    url = "/api/v1/o/muni/indicators/submission/"
    created = client.post(url, {"year": YEAR}, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "submitted"
    again = client.post(url, {"year": YEAR}, content_type="application/json")
    assert again.status_code == 400
    assert client.post(url, {"year": "abc"}, content_type="application/json").status_code == 400

    client.force_login(cast.regional)
    overview = client.get(f"/api/v1/o/region/indicators/submissions/?year={YEAR}").json()
    assert overview["submitted"] == 1
    assert {m["slug"] for m in overview["municipalities"]} == {"muni", "muni-b"}
    detail = client.get(f"{url}?year={YEAR}").json()
    assert {i["code"] for i in detail["indicators"]} >= {MENTEES}
    back = client.post(
        f"{url}return/", {"year": YEAR, "comment": "Доработайте"}, content_type="application/json"
    )
    assert back.status_code == 200 and back.json()["status"] == "returned"
    # A region never reaches another region's municipality.
    assert client.get("/api/v1/o/far-muni/indicators/submission/").status_code == 404

    client.force_login(cast.methodist)
    assert client.get("/api/v1/o/region/indicators/submissions/").status_code == 404
    assert (
        client.post(
            f"{url}return/", {"year": YEAR, "comment": "x"}, content_type="application/json"
        ).status_code
        == 403
    )


def test_api_region_writes_and_cascades_its_roadmap(client, cast):
    client.force_login(cast.regional)
    made = client.post(
        "/api/v1/o/region/roadmaps/",
        {"title": "План региона", "period_start": "2026-01-01", "period_end": "2026-12-31"},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    roadmap_id = made.json()["id"]
    cascaded = client.post(f"/api/v1/o/region/roadmaps/{roadmap_id}/cascade/")
    assert cascaded.status_code == 200
    assert cascaded.json()["schools"] == 2  # the region's two municipalities
    client.force_login(cast.methodist)
    assert client.get(f"/api/v1/o/region/roadmaps/{roadmap_id}/").status_code == 404


def test_comments_notify_the_other_side(cast, django_capture_on_commit_callbacks):
    from mentorship.notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True), tenant_scope(cast.muni):
        thread = oversight.review_open(
            actor=cast.regional, municipality=cast.muni, text="Проверьте сроки.", year=YEAR
        )
    assert set(Notification.objects.values_list("user_id", flat=True)) == {
        cast.methodist.pk,
        cast.department.pk,
    }
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True), tenant_scope(cast.muni):
        oversight.review_comment(
            actor=cast.methodist, review=thread, text="Проверили.", from_region=False
        )
    assert list(Notification.objects.values_list("user_id", flat=True)) == [cast.regional.pk]
