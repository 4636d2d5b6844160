"""Partner organisations and the municipal mentor base: who sees whom, and only counts of pupils."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentorship.models import AuditEntry
from mentorship.tenancy.scoping import tenant_scope
from registry.models import Participant, PartnerOrganization
from registry.selectors.municipal import (
    Cell,
    suppress,
    unscoped_mentor_base,
    unscoped_school_counts,
)
from registry.services.consent import consent_record
from registry.services.participants import mentor_profile_save
from registry.services.partners import inn_error
from tests.factories import make_consented, make_participant, make_partner

TEACHER = {
    "category": "teacher",
    "birth_date": date(1985, 5, 2),
    "grade": None,
    "class_letter": "",
    "position": "Учитель физики",
    "subject": "Физика",
    "experience_years": 12,
    "is_mentor": True,
    "is_mentee": False,
    "phone": "+7 917 000-00-01",
}


def teacher(org, last_name: str, **extra) -> Participant:
    return make_consented(org, **{**TEACHER, "last_name": last_name, **extra})


def mentor_base_url(org) -> str:
    return reverse("registry:mentor_base", kwargs={"org_slug": org.slug})


def partners_url(org) -> str:
    return reverse("registry:partner_list", kwargs={"org_slug": org.slug})


# --- Who is in the base ---------------------------------------------------------------


@pytest.fixture
def population(cast):
    """Adults and children of both municipalities, with and without the base's consent."""
    people = {
        "physicist": teacher(cast.school, "Физикова"),
        "chemist": teacher(cast.school2, "Химикова"),
        "stranger": teacher(cast.other_school, "Чужакова"),
        "student": make_consented(
            cast.school2,
            last_name="Студентов",
            category="college_student",
            birth_date=date(2005, 1, 10),
            grade=None,
            class_letter="",
            study_place="КамПИ",
            is_mentor=True,
            is_mentee=False,
        ),
        "young_student": make_consented(
            cast.school2,
            last_name="Юнцов",
            category="college_student",
            birth_date=date.today().replace(year=date.today().year - 17),
            grade=None,
            class_letter="",
            is_mentor=True,
            is_mentee=False,
        ),
        "pupil_mentor": make_consented(
            cast.school,
            last_name="Школьников",
            birth_date=date(2010, 4, 1),
            grade=10,
            is_mentor=True,
            is_mentee=False,
        ),
        "mentee_teacher": teacher(cast.school, "Молодова", is_mentor=False, is_mentee=True),
    }
    # A mentor who consented to the programme but not to the municipal base.
    shy = make_participant(cast.school, **{**TEACHER, "last_name": "Скромнова"})
    with tenant_scope(cast.school):
        consent_record(
            actor=None,
            participant=shy,
            given_by="self",
            given_on=date(2026, 9, 1),
            purposes=["programme"],
        )
        mentor_profile_save(
            actor=None,
            participant=people["physicist"],
            competencies="Олимпиадная физика, робототехника",
            max_mentees=3,
        )
    people["shy"] = shy
    return people


def test_methodist_sees_adult_consented_mentors_of_her_schools_only(cast, client, population):
    client.force_login(cast.methodist)
    response = client.get(mentor_base_url(cast.muni))
    assert response.status_code == 200
    names = {e.full_name.split()[0] for e in response.context["page"]}
    assert names == {"Физикова", "Химикова", "Студентов"}
    html = response.content.decode()
    assert "Олимпиадная физика, робототехника" in html
    assert "+7 917 000-00-01" in html
    # Not another municipality's, not children, not those who kept out of the base.
    for absent in ("Чужакова", "Школьников", "Юнцов", "Скромнова", "Молодова"):
        assert absent not in html


def test_the_base_keeps_children_out_even_if_the_flag_is_wrong(cast, population):
    # A bug elsewhere that set the flag on a pupil must not put the pupil in the base.
    with tenant_scope(cast.school):
        Participant.objects.filter(pk=population["pupil_mentor"].pk).update(in_mentor_base=True)
    names = [e.full_name for e in unscoped_mentor_base(cast.muni)]
    assert not any("Школьников" in n for n in names)


def test_the_base_filters_by_school_category_and_words(cast, population):
    by_school = unscoped_mentor_base(cast.muni, school_id=cast.school2.pk)
    assert {e.full_name.split()[0] for e in by_school} == {"Химикова", "Студентов"}
    students = unscoped_mentor_base(cast.muni, category="college_student")
    assert [e.full_name.split()[0] for e in students] == ["Студентов"]
    found = unscoped_mentor_base(cast.muni, search="робототехника")
    assert [e.full_name.split()[0] for e in found] == ["Физикова"]
    # Another municipality's school id finds nobody.
    assert unscoped_mentor_base(cast.muni, school_id=cast.other_school.pk) == []


def test_a_withdrawn_consent_takes_the_mentor_out(cast, population):
    from registry.services.consent import consent_withdraw

    with tenant_scope(cast.school):
        consent = population["physicist"].consents.first()
        consent_withdraw(actor=cast.curator, consent=consent, reason="Передумал")
    names = {e.full_name.split()[0] for e in unscoped_mentor_base(cast.muni)}
    assert "Физикова" not in names


def test_seeing_the_base_is_logged_for_each_person_shown(cast, client, population):
    client.force_login(cast.methodist)
    client.get(mentor_base_url(cast.muni))
    entry = AuditEntry.objects.get(
        action="mentor_base.view", object_id=str(population["physicist"].pk)
    )
    assert entry.actor == cast.methodist
    # Logged in the person's school, so its curator sees who looked.
    assert entry.organization == cast.school
    assert entry.details == {"municipality": cast.muni.short_name}


def test_the_page_has_a_fixed_number_of_queries(cast, client, django_assert_max_num_queries):
    teacher(cast.school, "Первая")
    client.force_login(cast.methodist)
    with CaptureQueriesContext(connection) as baseline:
        client.get(mentor_base_url(cast.muni))
    for i in range(10):
        teacher(cast.school2 if i % 2 else cast.school, f"Наставникова{i}")
    with django_assert_max_num_queries(len(baseline)):
        response = client.get(mentor_base_url(cast.muni))
    assert response.context["page"].paginator.count == 11


# --- Counts ---------------------------------------------------------------------------


def test_counts_under_five_are_suppressed_and_totals_use_shown_cells_only(cast, client):
    for i in range(5):
        make_consented(cast.school, last_name=f"Ученикова{i}")
    for i in range(3):
        make_consented(cast.school2, last_name=f"Ученикова{i}")
    make_participant(cast.school2, last_name="Безсогласия")
    table = unscoped_school_counts(cast.muni)
    key = [c.key for c in table.columns].index("pupil_mentees_consented")
    rows = {r.school_name: r.cells[key] for r in table.rows}
    assert rows == {"Школа А1": Cell(5), "Школа А2": Cell(None)}
    # The total is 5 (shown) and marked partial, not 8: 8 − 5 would give back the 3.
    assert table.totals[key].value == 5 and table.totals[key].partial
    not_consented = [c.key for c in table.columns].index("pupil_mentees_not_consented")
    assert table.totals[not_consented].value == 0

    client.force_login(cast.methodist)
    html = client.get(mentor_base_url(cast.muni)).content.decode()
    assert "&lt;5" in html
    # Pupils' names never reach the municipal page.
    assert "Ученикова" not in html and "Безсогласия" not in html


def test_suppression_hides_zero_to_four():
    assert suppress(0) == Cell(None)
    assert suppress(4).display == "<5"
    assert suppress(5).display == "5"


def test_counts_are_per_school_of_this_municipality(cast):
    for i in range(6):
        make_consented(cast.other_school, last_name=f"Чужой{i}")
    table = unscoped_school_counts(cast.muni)
    assert [r.school_name for r in table.rows] == ["Школа А1", "Школа А2"]
    assert all(c.suppressed for r in table.rows for c in r.cells)


# --- Roles ----------------------------------------------------------------------------


def test_department_reads_the_base(cast, client, population):
    client.force_login(cast.department)
    assert client.get(mentor_base_url(cast.muni)).status_code == 200


def test_regional_reads_its_municipalities_bases_only(cast, client, population):
    # Issue 17: the regional centre reads the municipal bases (consenting adults).
    client.force_login(cast.regional)
    assert client.get(mentor_base_url(cast.muni)).status_code == 200
    assert client.get(mentor_base_url(cast.far_muni)).status_code == 404


def test_a_curator_has_no_base_anywhere(cast, client):
    client.force_login(cast.curator)
    # The municipality is not the curator's organisation: it does not exist for her.
    assert client.get(mentor_base_url(cast.muni)).status_code == 404
    # At her school the page does not exist (a municipal page): the level comes first.
    assert client.get(mentor_base_url(cast.school)).status_code == 404
    # And a municipal role finds no mentor base at a school's address.
    client.force_login(cast.methodist)
    assert client.get(mentor_base_url(cast.school)).status_code == 404


def test_methodist_of_another_municipality_is_404(cast, client):
    client.force_login(cast.other_methodist)
    assert client.get(mentor_base_url(cast.muni)).status_code == 404


def test_the_base_is_get_only(cast, client):
    client.force_login(cast.methodist)
    assert client.post(mentor_base_url(cast.muni)).status_code == 405


# --- Partner organisations ------------------------------------------------------------

PARTNER_FORM = {
    "kind": "enterprise",
    "name": "ПАО «КАМАЗ»",
    "inn": "1650032058",
    "contact_person": "Сидоров Олег Павлович",
    "phone": "+7 8552 45-00-00",
    "email": "mentor@kamaz.example",
    "agreement_number": "15/2026",
    "agreement_date": "2026-09-01",
}


@pytest.mark.parametrize(
    ("inn", "ok"),
    [
        ("", True),
        ("1650032058", True),  # a legal entity
        ("7707083893", True),
        ("500100732259", True),  # a sole trader
        ("1650032059", False),  # one digit off
        ("16500320", False),
        ("16500320ab", False),
    ],
)
def test_inn_is_checked(inn, ok):
    assert (inn_error(inn) is None) is ok


def test_methodist_adds_a_municipal_partner(cast, client):
    client.force_login(cast.methodist)
    url = reverse("registry:partner_create", kwargs={"org_slug": cast.muni.slug})
    response = client.post(url, PARTNER_FORM)
    assert response.status_code == 302
    with tenant_scope(cast.muni):
        partner = PartnerOrganization.objects.get()
    assert partner.organization == cast.muni and partner.agreement_date == date(2026, 9, 1)
    assert AuditEntry.objects.filter(action="partner.create", object_id=str(partner.pk)).exists()
    listed = client.get(partners_url(cast.muni)).content.decode()
    assert "ПАО «КАМАЗ»" in listed and "15/2026" in listed


def test_bad_inn_and_duplicates_get_russian_messages(cast, client):
    client.force_login(cast.methodist)
    url = reverse("registry:partner_create", kwargs={"org_slug": cast.muni.slug})
    response = client.post(url, {**PARTNER_FORM, "inn": "12345"})
    assert response.status_code == 200
    assert "ИНН состоит из 10 цифр" in response.content.decode()
    client.post(url, PARTNER_FORM)
    again = client.post(url, {**PARTNER_FORM, "name": "КАМАЗ"})
    assert "Партнёр с таким ИНН уже есть" in again.content.decode()


def test_the_form_shows_every_error_at_once(cast, client):
    client.force_login(cast.curator)
    url = reverse("registry:partner_create", kwargs={"org_slug": cast.school.slug})
    response = client.post(url, {**PARTNER_FORM, "inn": "1650032059", "email": "нет"})
    html = response.content.decode()
    assert "не сходятся контрольные цифры" in html
    assert "Введите правильный адрес электронной почты" in html


def test_curator_keeps_school_partners_and_reads_the_municipalitys(cast, client):
    muni_partner = make_partner(cast.muni, name="КФУ")
    make_partner(cast.other_muni, name="Чужой завод")
    client.force_login(cast.curator)
    url = reverse("registry:partner_create", kwargs={"org_slug": cast.school.slug})
    created = client.post(url, {**PARTNER_FORM, "name": "ООО «Школьный партнёр»", "inn": ""})
    assert created.status_code == 302
    response = client.get(partners_url(cast.school))
    assert [p.name for p in response.context["partners"]] == ["ООО «Школьный партнёр»"]
    assert [p.name for p in response.context["municipal_partners"]] == ["КФУ"]
    assert "Чужой завод" not in response.content.decode()
    # Read-only: the municipality's partner has no edit page at the school.
    edit = reverse(
        "registry:partner_edit",
        kwargs={"org_slug": cast.school.slug, "partner_id": muni_partner.pk},
    )
    assert client.get(edit).status_code == 404


def test_editing_a_partner_is_audited_with_the_fields(cast, client):
    partner = make_partner(cast.school)
    client.force_login(cast.curator)
    url = reverse(
        "registry:partner_edit", kwargs={"org_slug": cast.school.slug, "partner_id": partner.pk}
    )
    assert client.get(url).status_code == 200
    response = client.post(url, {**PARTNER_FORM, "phone": "+7 8552 11-11-11"})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="partner.update")
    assert set(entry.details["fields"]) >= {"phone", "inn", "contact_person"}


def test_a_refused_edit_shows_the_stored_name(cast, client):
    partner = make_partner(cast.school)
    client.force_login(cast.curator)
    url = reverse(
        "registry:partner_edit", kwargs={"org_slug": cast.school.slug, "partner_id": partner.pk}
    )
    response = client.post(url, {**PARTNER_FORM, "name": "Новое имя", "inn": "1"})
    assert response.status_code == 200
    assert response.context["partner"].name == "ПАО «КАМАЗ»"
    with tenant_scope(cast.school):
        assert PartnerOrganization.objects.get().name == "ПАО «КАМАЗ»"


def test_a_partner_with_representatives_is_not_deleted(cast, client):
    partner = make_partner(cast.muni)
    make_participant(cast.school, **{**TEACHER, "category": "partner", "partner": partner})
    client.force_login(cast.methodist)
    url = reverse(
        "registry:partner_delete", kwargs={"org_slug": cast.muni.slug, "partner_id": partner.pk}
    )
    response = client.post(url, follow=True)
    assert "сначала укажите им другую организацию" in response.content.decode()
    with tenant_scope(cast.muni):
        assert PartnerOrganization.objects.filter(pk=partner.pk).exists()


def test_an_unused_partner_is_deleted_and_audited(cast, client):
    partner = make_partner(cast.muni)
    client.force_login(cast.methodist)
    url = reverse(
        "registry:partner_delete", kwargs={"org_slug": cast.muni.slug, "partner_id": partner.pk}
    )
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    with tenant_scope(cast.muni):
        assert not PartnerOrganization.objects.exists()
    assert AuditEntry.objects.filter(action="partner.delete").exists()


def test_partner_roles(cast, client):
    create_muni = reverse("registry:partner_create", kwargs={"org_slug": cast.muni.slug})
    create_school = reverse("registry:partner_create", kwargs={"org_slug": cast.school.slug})
    client.force_login(cast.viewer)
    assert client.get(partners_url(cast.school)).status_code == 200
    assert client.get(create_school).status_code == 403
    client.force_login(cast.department)
    assert client.get(partners_url(cast.muni)).status_code == 200
    assert client.get(create_muni).status_code == 403
    # The methodist reads a school's partners but writes the municipality's only.
    client.force_login(cast.methodist)
    assert client.get(partners_url(cast.school)).status_code == 200
    assert client.get(create_school).status_code == 403
    client.force_login(cast.regional)
    assert client.get(partners_url(cast.muni)).status_code == 403
    # A region has no partners page: the level is checked before the role.
    assert client.get(partners_url(cast.region)).status_code == 404
    client.force_login(cast.curator)
    assert client.get(partners_url(cast.school2)).status_code == 404


def test_navigation_shows_partners_and_the_base(cast, client):
    client.force_login(cast.methodist)
    html = client.get(reverse("org_home", kwargs={"org_slug": cast.muni.slug})).content.decode()
    assert mentor_base_url(cast.muni) in html and partners_url(cast.muni) in html
    client.force_login(cast.curator)
    html = client.get(reverse("org_home", kwargs={"org_slug": cast.school.slug})).content.decode()
    assert partners_url(cast.school) in html and "mentor-base" not in html
