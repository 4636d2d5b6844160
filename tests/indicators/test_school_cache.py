"""The counts of a municipality's and a school's pages kept per school and year
(monitoring/indicators/selectors/cache.py, `per_school`): a warm page skips the three
aggregate reads and keeps a fixed number of queries, a write in one school recounts
that school only, every writer of what is counted drops its school's entries (the
model signals, the bulk writes of the registry), the published figures are the same
as live, and one organisation's counts never reach another's page."""

from __future__ import annotations

import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentorship.tenancy.scoping import tenant_scope, unscoped_reads
from monitoring.indicators.selectors import cache
from registry.models import Pair, Participant
from registry.services.importing import read_table, registry_import
from registry.services.pairs import pairs_approve_by_order
from registry.signals import rows_written_in_bulk
from tests.factories import OrganizationFactory
from tests.indicators.conftest import YEAR, campaign, contingent, mentor, pair, pupils
from tests.indicators.test_computation import _satisfied
from tests.registry.test_import_export import PUPIL, workbook

pytestmark = pytest.mark.django_db

# The three aggregate reads: people, partners (registry_pairmember), satisfaction.
COUNT_TABLES = ("registry_pairmember", "monitoring_answer")
# What differs between two requests of the same page.
TOKENS = re.compile(r'(csrfmiddlewaretoken" value=|"X-CSRFToken": |nonce=)"[^"]+"')
SCHOOLS_READ = re.compile(r"organization_id IN \(([^)]*)\)")


@pytest.fixture(autouse=True)
def school_cache(settings):
    """The per-school cache on, in a cache of this test's own."""
    settings.INDICATORS_SCHOOL_CACHE = True
    settings.CACHES = {
        **settings.CACHES,
        "indicators": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"school-cache-{uuid.uuid4().hex}",
        },
    }


def url(org) -> str:
    return f"/o/{org.slug}/indicators/?year={YEAR}"


def view(client, org) -> tuple[str, list[str]]:
    """The page without its per-request tokens, and the SQL it ran."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url(org))
    assert response.status_code == 200
    html = TOKENS.sub("", response.content.decode())
    return html, [q["sql"] for q in queries.captured_queries]


def reads_counts(sql: list[str]) -> bool:
    return any(table in q for q in sql for table in COUNT_TABLES)


def schools_of(muni) -> list[int]:
    with unscoped_reads():
        return list(muni.children.values_list("pk", flat=True))


def municipal_participants(client, muni) -> str:
    html, _sql = view(client, muni)
    return re.search(r"Участников в парах года: ([^.<]+)\.", html).group(1)


def _queries(client, cast, extra: int) -> tuple[int, int]:
    """(cold, warm) queries of the municipal dashboard with `extra` more schools."""
    for i in range(extra):
        school = OrganizationFactory(parent=cast.muni, slug=f"cached-{extra}-{i}")
        pair(school, [mentor(school)], pupils(school, 6))
        contingent(school, pupils_10_19=100)
    client.force_login(cast.methodist)
    client.get(url(cast.muni))  # the session's first touch and per-process reads
    cache.invalidate_schools(schools_of(cast.muni))
    cold_html, cold = view(client, cast.muni)
    warm_html, warm = view(client, cast.muni)
    assert reads_counts(cold) and not reads_counts(warm)
    assert warm_html == cold_html  # the same page, from the cache
    return len(cold), len(warm)


def test_a_warm_municipal_dashboard_skips_the_counts_in_a_fixed_number_of_queries(client, cast):
    cold_few, warm_few = _queries(client, cast, 1)  # 3 schools
    cold_many, warm_many = _queries(client, cast, 17)  # 20 schools
    assert len(schools_of(cast.muni)) == 20
    assert (cold_few, warm_few) == (cold_many, warm_many)
    assert warm_many < cold_many <= 17


def test_the_cached_page_equals_the_live_one(client, cast, settings):
    pair(cast.school, [mentor(cast.school)], pupils(cast.school, 7))
    pair(cast.school2, [mentor(cast.school2)], pupils(cast.school2, 2))  # «<5» upwards
    contingent(cast.school, pupils_10_19=50)
    run = campaign(cast.muni)
    _satisfied(cast.school, run, people=6, value=5)
    _satisfied(cast.school2, run, people=5, value=2)
    client.force_login(cast.methodist)
    view(client, cast.muni)
    cached, sql = view(client, cast.muni)
    assert not reads_counts(sql)
    settings.INDICATORS_SCHOOL_CACHE = False
    live, sql = view(client, cast.muni)
    assert reads_counts(sql)
    assert cached == live
    assert "&lt;5" in cached  # small counts are still hidden after the cache
    # The satisfaction, from the cache: the municipality's card and a school's cell.
    assert "36 из 66 ответов" in cached and "0 из 30 отв." in cached


def test_a_pair_in_one_school_recounts_that_school_only(client, cast):
    pair(cast.school, [mentor(cast.school)], pupils(cast.school, 6))
    teacher, children = mentor(cast.school2), pupils(cast.school2, 5)
    client.force_login(cast.methodist)
    assert municipal_participants(client, cast.muni) == "7"
    pair(cast.school2, [teacher], children)  # the pair alone: a Pair saved, members in bulk
    with CaptureQueriesContext(connection) as queries:
        assert municipal_participants(client, cast.muni) == "13"
    reads = [q["sql"] for q in queries.captured_queries if "registry_pairmember" in q["sql"]]
    # The people's and the partners' reads ran for the changed school alone.
    assert len(reads) == 2
    assert all(SCHOOLS_READ.findall(q)[0] == str(cast.school2.pk) for q in reads)


def test_a_participant_saved_drops_the_school_s_counts(client, cast):
    children = pupils(cast.school, 6)
    pair(cast.school, [mentor(cast.school)], children)
    contingent(cast.school, pupils_10_19=100)
    client.force_login(cast.methodist)
    view(client, cast.muni)
    grown = children[0]
    grown.birth_date = grown.birth_date.replace(year=1990)  # no longer a pupil of 10-19
    with tenant_scope(cast.school):
        grown.save()
    html, sql = view(client, cast.muni)
    assert reads_counts(sql)
    with unscoped_reads():
        assert Participant.objects.get(pk=grown.pk).birth_date.year == 1990


def test_pairs_approved_by_order_in_bulk_are_counted_at_once(client, cast):
    proposed = pair(cast.school, [mentor(cast.school)], pupils(cast.school, 6), status="proposed")
    client.force_login(cast.methodist)
    assert municipal_participants(client, cast.muni) == "&lt;5"  # nobody counted yet
    with tenant_scope(cast.school):
        # One UPDATE for all the pairs: no model signal, the registry's own notice.
        assert pairs_approve_by_order(actor=None, pairs=[proposed], order=None) == 1
        assert Pair.objects.get(pk=proposed.pk).status == "approved"
    assert municipal_participants(client, cast.muni) == "7"


def test_a_committed_import_says_which_school_it_wrote(cast):
    heard = []

    def receiver(sender, organization_ids, **kwargs):
        heard.append(list(organization_ids))

    rows_written_in_bulk.connect(receiver)
    try:
        with tenant_scope(cast.school):
            table = read_table(workbook([PUPIL]), "list.xlsx")
            assert not registry_import(
                actor=None, organization=cast.school, table=table, dry_run=True
            ).committed
            assert heard == []  # a preview writes nothing
            assert registry_import(actor=None, organization=cast.school, table=table).committed
    finally:
        rows_written_in_bulk.disconnect(receiver)
    assert heard == [[cast.school.pk]]


def test_a_bulk_notice_drops_only_the_schools_it_names(cast):
    schools = [cast.school.pk, cast.school2.pk]
    before = cache._school_generations(cache._cache(), schools)
    rows_written_in_bulk.send(sender=Participant, organization_ids=[cast.school2.pk])
    after = cache._school_generations(cache._cache(), schools)
    assert after[cast.school.pk] == before[cast.school.pk]
    assert after[cast.school2.pk] != before[cast.school2.pk]


def test_an_evicted_generation_never_brings_back_old_counts(client, cast):
    made = pair(cast.school, [mentor(cast.school)], pupils(cast.school, 6))
    client.force_login(cast.methodist)
    assert municipal_participants(client, cast.muni) == "7"
    with unscoped_reads():
        # Around every signal and notice: only a fresh generation can see it.
        Pair.objects.filter(pk=made.pk).update(status="rejected")
    cache._cache().delete(cache._school_gen_key(cast.school.pk))  # evicted
    assert municipal_participants(client, cast.muni) == "&lt;5"  # nobody counted now


def test_one_municipality_s_counts_never_reach_another(client, cast):
    pair(cast.school, [mentor(cast.school)], pupils(cast.school, 8))
    pair(cast.other_school, [mentor(cast.other_school)], pupils(cast.other_school, 6))
    client.force_login(cast.methodist)
    assert municipal_participants(client, cast.muni) == "9"
    client.force_login(cast.other_methodist)
    assert municipal_participants(client, cast.other_muni) == "7"
    # Still nobody's page but their own: the cache is below the access rules.
    assert client.get(url(cast.muni)).status_code == 404


def test_the_school_page_keeps_its_exact_counts_from_the_shared_cache(client, cast):
    """One cached count, published twice: exact for the school's staff, «<5» above."""
    pair(cast.school2, [mentor(cast.school2)], pupils(cast.school2, 3))
    contingent(cast.school2, pupils_10_19=40)
    client.force_login(cast.methodist)
    municipal, _sql = view(client, cast.muni)
    assert "&lt;5" in municipal
    client.force_login(cast.curator2)
    school, sql = view(client, cast.school2)
    assert not reads_counts(sql)  # the municipality's view kept school2's counts
    assert "3 из 40" in school


def test_a_cache_outage_shows_the_live_counts(client, cast, monkeypatch):
    pair(cast.school, [mentor(cast.school)], pupils(cast.school, 6))
    client.force_login(cast.methodist)

    def down(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(cache._cache(), "get_many", down)
    assert municipal_participants(client, cast.muni) == "7"
