"""The web form of local acts: a kind's parameters with the organisation's defaults, the
same service as the command and the API, the render in Celery; roles, bad input."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentorship.models import Document, DocumentStatus
from mentorship.tenancy.scoping import tenant_scope
from registry.documents.acts.letters import addressee_organization
from tests.registry.test_local_acts import (
    _teacher,
    acts,  # noqa: F401 - the fixture, used by `people`
    pdf_text,
    squeeze,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(acts):  # noqa: F811 - the imported fixture
    """School A1 with a head, a curator, three adult mentors, a mentoring pupil, a partner."""
    return acts


def page(org, query: str = "") -> str:
    return f"/o/{org.slug}/acts/{query}"


def documents(org) -> int:
    with tenant_scope(org):
        return Document.objects.count()


def test_the_kinds_offered_follow_the_level(cast, client, people):
    client.force_login(cast.curator)
    school = client.get(page(cast.school)).content.decode()
    assert "?kind=curator_order" in school and "?kind=reward_order" in school
    client.force_login(cast.methodist)
    muni = client.get(page(cast.muni)).content.decode()
    assert "?kind=reward_order" in muni and "?kind=curator_order" not in muni
    assert client.get(page(cast.muni, "?kind=curator_order")).status_code == 404
    assert client.get(page(cast.muni, "?kind=nonsense")).status_code == 400


def test_the_form_comes_filled_with_the_schools_curator_and_adult_mentors(cast, client, people):
    client.force_login(cast.curator)
    form = client.get(page(cast.school, "?kind=mentor_school_order")).context["form"]
    assert form.initial["curator"] == "Иванова Мария Петровна"
    assert form.initial["position"] == "Заместитель директора по УР"
    assert form.initial["course"] == "Школа наставника" and form.initial["hours"] == 36
    adults = {people["petrov"].pk, people["double"].pk, people["shevchuk"].pk}
    assert set(form.initial["participant_ids"]) == adults
    # A pupil who mentors is never offered: an act goes up to the department.
    assert people["pupil"].pk not in dict(form.fields["participant_ids"].choices)


def test_the_chosen_people_are_rewarded_in_the_accusative(
    cast, client, people, django_capture_on_commit_callbacks
):
    client.force_login(cast.curator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            page(cast.school),
            {
                "kind": "reward_order",
                "date": "2026-05-25",
                "number": "45-о",
                "participant_ids": [people["petrov"].pk, people["double"].pk],
            },
        )
    assert response.status_code == 302
    with tenant_scope(cast.school):
        document = Document.objects.get()
    assert response["Location"].endswith(f"/documents/{document.pk}/")
    assert document.status == DocumentStatus.READY and document.number == "45-о"
    assert document.word_file  # the editable .docx comes with the PDF
    text = squeeze(pdf_text(document))
    assert squeeze("Петрова Ивана Сергеевича") in text
    assert squeeze("Римскую-Корсакову Анну Павловну") in text
    assert "Шевчук" not in text
    detail = client.get(response["Location"]).content.decode()
    assert "format=docx" in detail


def test_a_typed_curator_is_appointed_in_the_right_case(
    cast, client, people, django_capture_on_commit_callbacks
):
    client.force_login(cast.curator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            page(cast.school),
            {
                "kind": "curator_order",
                "date": "2026-09-01",
                "curator": "Сидорова Ольга Ивановна",
                "position": "Учитель",
            },
        )
    with tenant_scope(cast.school):
        document = Document.objects.get()
    assert squeeze("Назначить Сидорову Ольгу Ивановну (учитель)") in squeeze(pdf_text(document))


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "reward_order", "date": "2026-05-25"},  # nobody chosen
        {"kind": "reward_order", "date": "2026-05-25", "participant_ids": ["pupil"]},
        {"kind": "mentor_certificate", "date": "2026-05-25", "hours": 0},
        {"kind": "model_order", "date": "not a date"},
        {"kind": "thank_you_letter", "date": "2026-05-25", "partner_ids": [987654]},
    ],
)
def test_bad_input_is_a_400_and_nothing_is_queued(cast, client, people, data):
    if data.get("participant_ids") == ["pupil"]:
        data = {**data, "participant_ids": [people["pupil"].pk]}
    client.force_login(cast.curator)
    response = client.post(page(cast.school), data)
    assert response.status_code == 400
    assert documents(cast.school) == 0


def test_roles_and_tenants(cast, client, people):
    client.force_login(cast.viewer)
    assert client.get(page(cast.school)).status_code == 403
    client.force_login(cast.department)
    assert client.get(page(cast.school, "?kind=reward_order")).status_code == 403
    assert client.get(page(cast.muni, "?kind=reward_order")).status_code == 200
    client.force_login(cast.curator2)
    assert client.get(page(cast.school)).status_code == 404
    client.force_login(cast.regional)
    assert client.get(page(cast.region)).status_code == 404


def test_the_form_makes_a_fixed_number_of_queries(cast, client, people):
    client.force_login(cast.curator)
    path = page(cast.school, "?kind=council_order")
    client.get(path)
    with CaptureQueriesContext(connection) as few:
        assert client.get(path).status_code == 200
    for n in range(4):
        _teacher(cast.school, "Кузнецова", f"Анна{n}", "Викторовна")
    with CaptureQueriesContext(connection) as many:
        assert client.get(path).status_code == 200
    assert len(many) == len(few)


def test_a_partners_plain_name_is_quoted_after_organisation():
    assert addressee_organization("ООО «Ромашка»") == "ООО «Ромашка»"
    assert addressee_organization("КФУ") == "КФУ"
    assert (
        addressee_organization("Набережночелнинский институт КФУ")
        == "организации «Набережночелнинский институт КФУ»"
    )
