"""The per-school, per-year counts stored in the database (SchoolYearCounts): the same
figures as the live reads, recomputed for the school that changed and for no other,
whichever path wrote the change (a model save, a bulk UPDATE, an import, the public
page's raw SQL), and never readable across schools through the scoped manager."""

from __future__ import annotations

import datetime
from datetime import date

import pytest
from django.contrib import admin
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes.exceptions import ScopeError

from mentorship.tenancy.scoping import tenant_scope, unscoped_reads
from monitoring.indicators.models import SchoolYearCounts
from monitoring.indicators.selectors import queries, survey
from monitoring.indicators.selectors.counts import (
    unscoped_contingents,
    unscoped_schools_of_region,
)
from monitoring.indicators.selectors.dashboards import (
    school_dashboard,
    trend_years,
    unscoped_municipal_dashboard,
    unscoped_regional_dashboard,
)
from monitoring.indicators.selectors.values import Data, load
from monitoring.indicators.services import stored
from monitoring.services.answering import form_spec, parse, response_save
from monitoring.services.links import find_link
from registry.models import Pair, PairStatus, Participant
from registry.services.pairs import pair_transition, pairs_approve_by_order
from registry.services.participants import participant_update
from tests.factories import make_partner
from tests.indicators.conftest import (
    YEAR,
    campaign,
    contingent,
    invite_only,
    mentor,
    pair,
    person,
    pupils,
    respond,
    standard,
)
from tests.indicators.test_computation import SCALE_CODES
from tests.registry.test_import_export import TEACHER, workbook
from tests.registry.test_import_export import run as import_file

pytestmark = pytest.mark.django_db

YEARS = trend_years(YEAR)


def _world(cast):
    """People, pairs over several years, a partner, satisfaction answers and
    contingents in three schools of two municipalities."""
    partner = make_partner(cast.muni)
    for school, n in ((cast.school, 7), (cast.school2, 5), (cast.other_school, 6)):
        pair(school, [mentor(school)], pupils(school, n), starts_on=date(YEAR - 2, 9, 1))
        rep = person(school, "partner", partner=partner, birth_date=date(1985, 1, 1))
        young = [person(school, "teacher", experience_years=1) for _ in range(2)]
        pair(school, [rep], young, starts_on=date(YEAR, 2, 1), form="teacher-teacher")
        contingent(school, pupils_10_19=100, pupils_15_19=40)
    # A pupil without a birth date: the reporting year's data-quality hint.
    pair(cast.school, [mentor(cast.school)], pupils(cast.school, 1, birth_date=None))
    questionnaire = standard("mentee_satisfaction")
    for school in (cast.school, cast.other_school):
        run = campaign(school)
        for value in (5, 5, 4, 3, 2, 5):
            respond(school, run, questionnaire, dict.fromkeys(SCALE_CODES, value))


def _live(school_ids: list[int], other_ids: list[int], years: list[int]) -> Data:
    """The figures straight from the three aggregate reads, as before anything was
    stored: the reference the stored rows must equal."""
    answers = survey.unscoped_satisfaction(school_ids, years)
    partners = queries.partner_mentoring(school_ids, years)
    partners_at: dict = {}
    for year, found in partners.items():
        for school_id, partner_id in found:
            partners_at.setdefault((school_id, year), set()).add(partner_id)
    return Data(
        people=queries.people_counts(school_ids, years),
        partners={y: partners.get(y, set()) for y in years},
        partners_at=partners_at,
        contingents=unscoped_contingents(school_ids + other_ids, years),
        satisfaction=answers.counts,
        survey_available=bool(answers.counts),
    )


def with_stored_cleared() -> None:
    with unscoped_reads():
        SchoolYearCounts.objects.all().delete()


def rows(*schools) -> dict[tuple[int, int], SchoolYearCounts]:
    with unscoped_reads():
        found = SchoolYearCounts.objects.filter(organization__in=schools)
        return {(r.organization_id, r.year): r for r in found}


def computed(*schools) -> dict[tuple[int, int], datetime.datetime]:
    return {key: row.computed_at for key, row in rows(*schools).items()}


def _region_ids(cast) -> list[int]:
    return [s.pk for s in unscoped_schools_of_region(cast.region)]


# --- Stored figures are the live ones -----------------------------------------------------


def test_stored_figures_equal_the_live_ones_cold_and_warm(cast):
    _world(cast)
    ids = _region_ids(cast)
    others = [cast.muni.pk, cast.other_muni.pk]
    live = _live(ids, others, YEARS)
    assert live.people and live.satisfaction and any(live.partners.values())
    with_stored_cleared()
    cold = load(ids, others, YEARS)
    assert set(rows(*unscoped_schools_of_region(cast.region))) == {
        (s, y) for s in ids for y in YEARS
    }
    with CaptureQueriesContext(connection) as warm_queries:
        warm = load(ids, others, YEARS)
    assert cold == live
    assert warm == live
    # Warm: the stored rows and the contingents, no aggregate over the registry.
    assert len(warm_queries) == 2, [q["sql"] for q in warm_queries.captured_queries]
    assert not any("registry_pair" in q["sql"] for q in warm_queries.captured_queries)
    # The reporting year's hint is there, and 0 for the trend years, as live.
    assert warm.people[(cast.school.pk, YEAR)]["pupils_without_birth_date"] == 1


def test_a_municipality_via_its_region_equals_the_municipality_alone(cast):
    _world(cast)
    # Rows stored by the region's page ...
    unscoped_regional_dashboard(cast.region, YEAR)
    via_region = unscoped_municipal_dashboard(cast.muni, YEAR)
    region_rows = computed(cast.school, cast.school2)
    # ... serve the municipality's page unchanged: nothing recomputed.
    assert computed(cast.school, cast.school2) == region_rows
    with_stored_cleared()
    alone = unscoped_municipal_dashboard(cast.muni, YEAR)
    assert via_region.summaries == alone.summaries
    assert [r.figures for r in via_region.rows] == [r.figures for r in alone.rows]
    muni_ids = [cast.school.pk, cast.school2.pk]
    with_stored_cleared()
    load(_region_ids(cast), [], YEARS)
    from_region_rows = load(muni_ids, [cast.muni.pk], YEARS)
    assert from_region_rows == _live(muni_ids, [cast.muni.pk], YEARS)


def test_a_school_page_gets_its_hint_even_from_rows_stored_for_a_later_year(cast):
    _world(cast)
    # The next year's trend stores YEAR as an earlier year of its read: no hint kept.
    load([cast.school.pk], [], trend_years(YEAR + 1))
    assert "pupils_without_birth_date" not in rows(cast.school)[(cast.school.pk, YEAR)].people
    board = school_dashboard(cast.school, YEAR, exact=True)
    assert board.pupils_without_birth_date == 1
    assert rows(cast.school)[(cast.school.pk, YEAR)].people["pupils_without_birth_date"] == 1


def test_nothing_asked_nothing_read_and_a_far_year_is_not_stored(cast):
    with CaptureQueriesContext(connection) as captured:
        data = load([], [], YEARS)
    assert data.people == {} and data.partners == {y: set() for y in YEARS}
    assert len(captured) == 0
    far = timezone.localdate().year + 5
    pair(cast.school, [mentor(cast.school)], pupils(cast.school, 2), starts_on=date(YEAR, 2, 1))
    load([cast.school.pk], [], [far])
    assert (cast.school.pk, far) not in rows(cast.school)


# --- Invalidation per school ----------------------------------------------------------


def _stored_everywhere(cast):
    _world(cast)
    unscoped_regional_dashboard(cast.region, YEAR)
    return computed(cast.school, cast.school2, cast.other_school)


def _recomputed(before, after) -> set[tuple[int, int]]:
    return {key for key in before if after[key] != before[key]}


def test_editing_a_participant_recomputes_that_school_only(cast):
    before = _stored_everywhere(cast)
    key = (cast.school.pk, YEAR)
    young = school_dashboard(cast.school, YEAR, exact=True).summary_by_code["young_specialists"]
    assert young.figure.numerator == 2
    with tenant_scope(cast.school):
        teacher = Participant.objects.filter(category="teacher", experience_years=1).first()
        participant_update(actor=None, participant=teacher, experience_years=10, is_mentee=True)
    # Marked stale at once, the other schools' rows untouched.
    stale = {k for k, r in rows(cast.school).items() if r.invalidated_at}
    assert stale == {(cast.school.pk, y) for y in YEARS}
    assert not any(r.invalidated_at for r in rows(cast.school2, cast.other_school).values())
    assert load([cast.school.pk], [], YEARS).people[key]["young_specialists"] == 1
    unscoped_regional_dashboard(cast.region, YEAR)
    after = computed(cast.school, cast.school2, cast.other_school)
    assert _recomputed(before, after) == {(cast.school.pk, y) for y in YEARS}


def test_a_pair_recomputes_its_school_from_its_start_on(cast):
    _world(cast)
    mentors, mentees = [mentor(cast.school2)], pupils(cast.school2, 4)
    unscoped_regional_dashboard(cast.region, YEAR)
    before = computed(cast.school, cast.school2, cast.other_school)
    group = pair(cast.school2, mentors, mentees, status="approved")  # from 1 February
    with tenant_scope(cast.school2):
        pair_transition(actor=None, pair=group, to=PairStatus.ACTIVE)
    unscoped_regional_dashboard(cast.region, YEAR)
    after = computed(cast.school, cast.school2, cast.other_school)
    # The pair starts in YEAR: the earlier years of its school stay as they were.
    assert _recomputed(before, after) == {(cast.school2.pk, YEAR)}
    board = unscoped_municipal_dashboard(cast.muni, YEAR)
    assert board.summary_by_code["pupil_mentees"].figure.numerator == 7 + 5 + 4


def test_a_response_recomputes_its_school_and_campaign_year_only(cast):
    _world(cast)
    respondents = pupils(cast.school2, 5)  # new people: every year of their school
    run = campaign(cast.school2)
    load(_region_ids(cast), [], YEARS)
    before = computed(cast.school, cast.school2, cast.other_school)
    for participant in respondents:
        scale = dict.fromkeys(SCALE_CODES, 5)
        respond(cast.school2, run, standard("mentee_satisfaction"), scale, participant=participant)
    load(_region_ids(cast), [], YEARS)
    after = computed(cast.school, cast.school2, cast.other_school)
    assert _recomputed(before, after) == {(cast.school2.pk, YEAR)}
    answers = load([cast.school2.pk], [], YEARS).satisfaction[(cast.school2.pk, YEAR)]
    assert answers["mentee_satisfaction"] == (5 * 6, 5 * 6, 5)


def test_a_stale_row_is_recomputed_after_the_safety_net_age(cast, settings):
    before = _stored_everywhere(cast)
    school = cast.other_school.pk
    # A write that told nobody: served as stored until the row is too old.
    with unscoped_reads():
        Participant.objects.filter(organization=cast.other_school, category="pupil").update(
            birth_date=date(2000, 1, 1)
        )
    assert load([school], [], YEARS).people[(school, YEAR)]["pupil_mentees"] == 6
    settings.INDICATORS_STORED_MAX_AGE_CURRENT = 0
    load([school], [], YEARS)
    current = timezone.localdate().year
    after = computed(cast.school, cast.school2, cast.other_school)
    # The current year's rows only; closed years wait for their own (longer) age.
    assert _recomputed(before, after) == {(school, y) for y in YEARS if y >= current}
    settings.INDICATORS_STORED_MAX_AGE = 0
    assert load([school], [], YEARS).people[(school, YEAR)]["pupil_mentees"] == 0
    after = computed(cast.school, cast.school2, cast.other_school)
    assert _recomputed(before, after) == {(school, y) for y in YEARS}


def test_a_row_computed_before_a_stamp_is_stale_even_if_written_after(cast):
    """A reader that began before a write committed writes its row after the commit's
    stamp: its `computed_at` (when its reads began) is older, so the row is stale."""
    _world(cast)
    load([cast.school.pk], [], [YEAR])
    began = timezone.now()
    stored.counts_changed([cast.school.pk], [YEAR])
    with unscoped_reads():
        SchoolYearCounts.objects.filter(organization=cast.school).update(computed_at=began)
    with CaptureQueriesContext(connection) as captured:
        load([cast.school.pk], [], [YEAR])
    assert any("registry_pairmember" in q["sql"] for q in captured.captured_queries)


def _stamp_batches() -> list:
    return [
        func
        for _sids, func, _robust in connection.run_on_commit
        if type(getattr(func, "__self__", None)).__name__ == "_Batch"
    ]


def test_a_transaction_stamps_again_on_commit_once_for_a_storm(cast):
    _stored_everywhere(cast)
    with CaptureQueriesContext(connection) as captured, tenant_scope(cast.school):
        deleted = Pair.objects.filter(organization=cast.school).delete()[1]
    assert deleted["registry.PairMember"] > 10
    stamps = [q for q in captured.captured_queries if "indicators_schoolyearcounts" in q["sql"]]
    # A cascade of the pairs (three start years) and their members (every year): one
    # stamp now, one batch to stamp again when the transaction commits.
    assert len(stamps) == 1, stamps
    assert len(_stamp_batches()) == 1
    first = rows(cast.school)[(cast.school.pk, YEAR)].invalidated_at
    _stamp_batches()[0]()
    assert rows(cast.school)[(cast.school.pk, YEAR)].invalidated_at > first


# --- Writes that bypass the model signals -----------------------------------------------


def test_approval_by_order_a_bulk_update_recomputes_the_school(cast):
    _world(cast)
    proposed = pair(
        cast.school2, [mentor(cast.school2)], pupils(cast.school2, 3), status="proposed"
    )
    board = unscoped_municipal_dashboard(cast.muni, YEAR)
    mentees = board.summary_by_code["pupil_mentees"].figure.numerator
    unscoped_regional_dashboard(cast.region, YEAR)
    before = computed(cast.school, cast.school2, cast.other_school)
    with tenant_scope(cast.school2):
        assert pairs_approve_by_order(actor=None, pairs=[proposed], order=None) == 1
    board = unscoped_municipal_dashboard(cast.muni, YEAR)
    assert board.summary_by_code["pupil_mentees"].figure.numerator == mentees + 3
    unscoped_regional_dashboard(cast.region, YEAR)
    after = computed(cast.school, cast.school2, cast.other_school)
    assert _recomputed(before, after) == {(cast.school2.pk, y) for y in YEARS}


def test_the_participants_import_recomputes_the_school(cast, settings, tmp_path):
    settings.REGISTRY_IMPORT_DIR = tmp_path
    # The file's teacher, already in a pair as a mentee with 12 years of experience;
    # the file says 2: a young specialist now.
    teacher = person(
        cast.school,
        "teacher",
        last_name="Пробный",
        first_name="Олег",
        patronymic="Саввич",
        birth_date=date(1999, 5, 2),
        experience_years=12,
    )
    pair(cast.school, [mentor(cast.school)], [teacher], form="teacher-teacher")
    before_board = school_dashboard(cast.school, YEAR, exact=True)
    young = before_board.summary_by_code["young_specialists"].figure.numerator
    load(_region_ids(cast), [], YEARS)
    before = computed(cast.school, cast.school2)
    report = import_file(cast.school, workbook([TEACHER]), actor=cast.curator)
    assert report.committed and [r.status for r in report.rows] == ["matched"]
    board = school_dashboard(cast.school, YEAR, exact=True)
    assert board.summary_by_code["young_specialists"].figure.numerator == young + 1
    after = computed(cast.school, cast.school2)
    assert {k for k in before if after.get(k) != before[k]} == {(cast.school.pk, y) for y in YEARS}


def test_the_public_pages_raw_sql_submission_recomputes_its_year(cast):
    _world(cast)
    run = campaign(cast.school2)
    questionnaire = standard("mentee_satisfaction")
    invite_only(cast.school2, run, questionnaire, 1)
    load(_region_ids(cast), [], YEARS)
    before = computed(cast.school, cast.school2, cast.other_school)
    with tenant_scope(cast.school2):
        invitation = run.invitations.get()
    data = QueryDict(mutable=True)
    spec = form_spec(questionnaire)
    for section in spec:
        for q in section.questions:
            if q.kind == "scale_5":
                data[q.field] = "5"
            elif q.kind in ("yes_no", "single"):
                data[q.field] = "1" if q.kind == "yes_no" else "0"
            elif q.kind == "multiple":
                data.setlist(q.field, ["0"])
    parsed = parse(spec, data)
    assert not parsed.errors, parsed.errors
    response_save(find_link(invitation.token), parsed)
    load(_region_ids(cast), [], YEARS)
    after = computed(cast.school, cast.school2, cast.other_school)
    assert _recomputed(before, after) == {(cast.school2.pk, YEAR)}


def test_seeding_deletes_the_rows_stored_while_the_schools_were_empty(cast):
    from monitoring.indicators.bench import seed_indicators

    load([cast.school.pk, cast.school2.pk], [], YEARS)
    assert rows(cast.school, cast.school2)
    seed_indicators(cast.muni, [cast.school, cast.school2], participants=60, answers=0)
    assert not rows(cast.school, cast.school2)
    people = load([cast.school.pk, cast.school2.pk], [], YEARS).people
    assert sum(c["participants"] for c in people.values()) > 0


# --- Tenancy ------------------------------------------------------------------------------


def test_a_school_never_reads_another_schools_stored_rows(cast):
    _stored_everywhere(cast)
    with pytest.raises(ScopeError):
        list(SchoolYearCounts.objects.all())
    with tenant_scope(cast.school):
        assert {r.organization_id for r in SchoolYearCounts.objects.all()} == {cast.school.pk}
        assert not SchoolYearCounts.objects.filter(organization=cast.school2).exists()
        assert not SchoolYearCounts.objects.filter(
            pk__in=[r.pk for r in rows(cast.school2).values()]
        )
    # Every manager the model has refuses a query without a scope; no organisation
    # reaches the rows through a reverse accessor; the admin does not list them.
    for manager in SchoolYearCounts._meta.managers:
        with pytest.raises(ScopeError):
            list(manager.all())
    assert SchoolYearCounts._meta.get_field("organization").remote_field.related_name == "+"
    assert SchoolYearCounts not in admin.site._registry


def test_the_warm_municipal_dashboard_keeps_its_queries_whatever_the_schools(cast):
    from tests.factories import OrganizationFactory

    def warm_queries() -> int:
        unscoped_municipal_dashboard(cast.muni, YEAR)
        with CaptureQueriesContext(connection) as captured:
            unscoped_municipal_dashboard(cast.muni, YEAR)
        return len(captured)

    few = warm_queries()
    for i in range(6):
        school = OrganizationFactory(parent=cast.muni, slug=f"more-{i}")
        pair(school, [mentor(school)], pupils(school, 3))
    assert warm_queries() == few
