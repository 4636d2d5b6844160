"""The regional roadmap (issue 17, item 1): written, approved and cascaded by the region
into every municipality; its matrix municipalities × activities; the region reads a
municipality's matrix of schools. Tenancy: a region never reaches another region."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentorship.models import Organization, OrganizationKind
from mentorship.tenancy.scoping import tenant_scope, unscoped_reads
from roadmaps.importing.columns import normalize
from roadmaps.importing.reader import EVERY_SCHOOL
from roadmaps.models import Activity, ActivityStatus, Roadmap
from roadmaps.selectors import unscoped_progress_matrix
from roadmaps.services import authoring, cascade, progress
from tests.factories import OrganizationFactory

PERIOD = {"period_start": date(2026, 1, 1), "period_end": date(2026, 12, 31)}


@pytest.fixture
def regional_roadmap(cast):
    """A regional plan with a section of the region's own and one for every municipality."""
    with tenant_scope(cast.region):
        roadmap = authoring.roadmap_create(
            actor=cast.regional,
            organization=cast.region,
            title="План мероприятий региона 2026",
            **PERIOD,
        )
        own = authoring.section_create(
            actor=cast.regional, roadmap=roadmap, title="Региональный уровень"
        )
        below = authoring.section_create(
            actor=cast.regional,
            roadmap=roadmap,
            title="На уровне муниципалитетов",
            for_every_school=True,
        )
        authoring.activity_create(
            actor=cast.regional, section=own, title="Вебинар для ИМЦ", deadline_text="март 2026"
        )
        for title, deadline in (
            ("Назначить координатора ИМЦ", "до 15 октября 2026"),
            ("Мониторинг реализации дорожных карт", "декабрь 2026"),
        ):
            authoring.activity_create(
                actor=cast.regional, section=below, title=title, deadline_text=deadline
            )
    return roadmap


def test_cascade_reaches_every_municipality_of_the_region_only(cast, regional_roadmap):
    with tenant_scope(cast.region):
        created = cascade.roadmap_cascade(actor=cast.regional, roadmap=regional_roadmap)
    assert created == 4  # two duties × two municipalities
    with unscoped_reads():
        copies = {r.organization_id: r for r in Roadmap.objects.filter(origin=regional_roadmap)}
        assert set(copies) == {cast.muni.pk, cast.other_muni.pk}
        # Nothing reaches another region, nor a school directly.
        assert not Roadmap.objects.filter(organization=cast.far_muni).exists()
        assert not Roadmap.objects.filter(organization=cast.school).exists()
        titles = list(
            Activity.objects.filter(roadmap=copies[cast.muni.pk])
            .order_by("position")
            .values_list("title", flat=True)
        )
    assert titles == ["Назначить координатора ИМЦ", "Мониторинг реализации дорожных карт"]
    # Again: nothing doubled.
    with tenant_scope(cast.region):
        assert cascade.roadmap_cascade(actor=cast.regional, roadmap=regional_roadmap) == 0


def test_matrix_municipalities_by_activities(cast, regional_roadmap):
    with tenant_scope(cast.region):
        cascade.roadmap_cascade(actor=cast.regional, roadmap=regional_roadmap)
    with tenant_scope(cast.muni):
        duty = Activity.objects.filter(roadmap__origin=regional_roadmap).order_by("position")[0]
        progress.activity_set_progress(actor=cast.methodist, activity=duty, status="done")
    with tenant_scope(cast.region):
        matrix = unscoped_progress_matrix(regional_roadmap, today=date(2026, 11, 1))
    assert [row.school for row in matrix.rows] == [cast.muni, cast.other_muni]
    assert matrix.rows[0].cells == [ActivityStatus.DONE, ActivityStatus.NOT_STARTED]
    assert matrix.rows[0].percent == 50
    assert matrix.rows[1].percent == 0
    assert [c.percent for c in matrix.columns] == [50, 0]
    with tenant_scope(cast.region):
        late = unscoped_progress_matrix(regional_roadmap, today=date(2027, 1, 10))
    assert late.rows[1].cells == [ActivityStatus.OVERDUE, ActivityStatus.OVERDUE]


def test_importer_reads_municipal_sections_of_a_regional_roadmap():
    assert EVERY_SCHOOL.search(normalize("На уровне муниципалитетов"))
    assert EVERY_SCHOOL.search(normalize("На уровне районов (ИМЦ)"))
    assert EVERY_SCHOOL.search(normalize("На уровне ОО"))
    # A municipal roadmap's own level is not a section of every organisation below.
    assert not EVERY_SCHOOL.search(normalize("На уровне муниципалитета"))


# --- pages ---------------------------------------------------------------------------


def test_regional_user_opens_own_roadmaps_page(client, cast, regional_roadmap):
    client.force_login(cast.regional)
    response = client.get("/o/region/roadmaps/")
    assert response.status_code == 200
    assert "План мероприятий региона 2026" in response.content.decode()


def test_regional_cascade_page_and_matrix(client, cast, regional_roadmap):
    client.force_login(cast.regional)
    url = f"/o/region/roadmaps/{regional_roadmap.pk}/"
    page = client.get(url).content.decode()
    assert "Передать обязанности муниципалитетам" in page
    response = client.post(f"{url}cascade/")
    assert response.status_code == 302
    matrix = client.get(f"{url}matrix/").content.decode()
    assert "Выполнение обязанностей по муниципалитетам" in matrix
    assert "Город А" in matrix and "Район Б" in matrix
    assert "Город В" not in matrix  # another region's municipality


def test_municipality_sees_regional_duties_as_its_own_roadmap(client, cast, regional_roadmap):
    with tenant_scope(cast.region):
        cascade.roadmap_cascade(actor=cast.regional, roadmap=regional_roadmap)
    client.force_login(cast.methodist)
    page = client.get("/o/muni/roadmaps/").content.decode()
    assert "обязанности муниципалитета из региональной дорожной карты" in page


@pytest.mark.parametrize("role", ["methodist", "department"])
def test_municipal_roles_cannot_open_the_regional_roadmap(client, cast, regional_roadmap, role):
    client.force_login(getattr(cast, role))
    assert client.get(f"/o/region/roadmaps/{regional_roadmap.pk}/").status_code == 404


def test_far_region_roadmap_is_not_found(client, cast):
    with tenant_scope(cast.far_region):
        far = authoring.roadmap_create(
            actor=None, organization=cast.far_region, title="Чужой план", **PERIOD
        )
    client.force_login(cast.regional)
    assert client.get(f"/o/far-region/roadmaps/{far.pk}/").status_code == 404
    assert client.get(f"/o/region/roadmaps/{far.pk}/").status_code == 404


def test_region_reads_a_municipal_school_matrix(client, cast):
    with tenant_scope(cast.muni):
        roadmap = authoring.roadmap_create(
            actor=cast.methodist,
            organization=cast.muni,
            title="Муниципальная карта",
            from_standard=True,
            **PERIOD,
        )
    cascade.roadmap_cascade(actor=cast.methodist, roadmap=roadmap)
    client.force_login(cast.regional)
    response = client.get(f"/o/muni/roadmaps/{roadmap.pk}/matrix/")
    assert response.status_code == 200
    assert "Школа А1" in response.content.decode()
    # Writing stays with the municipality.
    assert client.post(f"/o/muni/roadmaps/{roadmap.pk}/cascade/").status_code == 403


def test_regional_matrix_rows_open_each_municipality_s_own_copy(client, cast, regional_roadmap):
    with tenant_scope(cast.region):
        cascade.roadmap_cascade(actor=cast.regional, roadmap=regional_roadmap)
    # A municipality that has no copy yet (created outside the service, so nothing
    # cascaded into it) keeps the link to its list of roadmaps.
    OrganizationFactory(
        kind=OrganizationKind.MUNICIPALITY, parent=cast.region, slug="late", short_name="Район Я"
    )
    with unscoped_reads():
        copies = {r.organization_id: r.pk for r in Roadmap.objects.filter(origin=regional_roadmap)}
        # Another roadmap of the municipality, not a copy of this one: never linked.
        unrelated = Roadmap.objects.create(organization=cast.muni, title="Своя карта", **PERIOD)
    client.force_login(cast.regional)
    page = client.get(f"/o/region/roadmaps/{regional_roadmap.pk}/matrix/").content.decode()
    assert f'href="/o/muni/roadmaps/{copies[cast.muni.pk]}/"' in page
    assert f'href="/o/muni-b/roadmaps/{copies[cast.other_muni.pk]}/"' in page
    assert f"/roadmaps/{unrelated.pk}/" not in page
    assert 'href="/o/late/roadmaps/"' in page
    assert 'href="/o/muni/roadmaps/"' not in page
    # The link opens: the region reads the municipality's copy.
    response = client.get(f"/o/muni/roadmaps/{copies[cast.muni.pk]}/")
    assert response.status_code == 200
    assert "Назначить координатора ИМЦ" in response.content.decode()
    # Only the overdue rows: the links stay the copies'.
    with tenant_scope(cast.muni):
        Activity.objects.filter(roadmap_id=copies[cast.muni.pk]).update(due_date=date(2020, 1, 1))
    page = client.get(f"/o/region/roadmaps/{regional_roadmap.pk}/matrix/?overdue=1").content
    assert f'href="/o/muni/roadmaps/{copies[cast.muni.pk]}/"' in page.decode()
    assert 'href="/o/late/roadmaps/"' not in page.decode()  # no overdue duty there


def test_municipal_matrix_keeps_school_links_to_the_school(client, cast):
    with tenant_scope(cast.muni):
        roadmap = authoring.roadmap_create(
            actor=cast.methodist,
            organization=cast.muni,
            title="Муниципальная карта",
            from_standard=True,
            **PERIOD,
        )
    cascade.roadmap_cascade(actor=cast.methodist, roadmap=roadmap)
    client.force_login(cast.methodist)
    page = client.get(f"/o/muni/roadmaps/{roadmap.pk}/matrix/").content.decode()
    assert 'href="/o/school-a1/"' in page
    assert 'data-testid="municipal-copy"' not in page


def _count_matrix_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_regional_matrix_queries_do_not_grow_with_municipalities(client, cast, regional_roadmap):
    with tenant_scope(cast.region):
        cascade.roadmap_cascade(actor=cast.regional, roadmap=regional_roadmap)
    client.force_login(cast.regional)
    url = f"/o/region/roadmaps/{regional_roadmap.pk}/matrix/"
    client.get(url)  # warm caches (translations, sessions)
    before = _count_matrix_queries(client, url)
    for i in range(4):
        muni = OrganizationFactory(
            kind=OrganizationKind.MUNICIPALITY,
            parent=cast.region,
            slug=f"extra-{i}",
            short_name=f"Район {i}",
        )
        OrganizationFactory(parent=muni, slug=f"extra-school-{i}")
    with tenant_scope(cast.region):
        cascade.roadmap_cascade(actor=cast.regional, roadmap=regional_roadmap)
    assert Organization.objects.filter(parent=cast.region).count() == 6
    after = _count_matrix_queries(client, url)
    assert after == before == 13  # + each municipality's own copy, in one query


def test_a_municipality_added_later_receives_the_regional_duties(
    cast, regional_roadmap, django_capture_on_commit_callbacks
):
    from mentorship.services import organization_create

    with tenant_scope(cast.region):
        cascade.roadmap_cascade(actor=cast.regional, roadmap=regional_roadmap)
    with django_capture_on_commit_callbacks(execute=True):
        new_muni = organization_create(
            actor=cast.regional,
            kind=OrganizationKind.MUNICIPALITY,
            full_name="Управление образования района В",
            short_name="Район В",
            slug="new-muni",
            parent=cast.region,
        )
    with tenant_scope(new_muni):
        assert Activity.objects.filter(roadmap__origin=regional_roadmap).count() == 2


def test_region_prints_its_roadmap(client, cast, regional_roadmap):
    client.force_login(cast.regional)
    response = client.post(f"/o/region/roadmaps/{regional_roadmap.pk}/pdf/")
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
