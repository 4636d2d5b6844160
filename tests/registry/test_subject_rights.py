"""The data subject's rights (152-ФЗ art. 14, 20): the access log and the full export."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.urls import reverse

from mentorship.models import AuditEntry
from mentorship.tenancy.scoping import tenant_scope
from registry.models import Participant
from registry.services.consent import consent_withdraw, participant_depersonalize
from registry.services.participants import (
    entry_assessment_save,
    mentee_need_add,
    participant_update,
    record_view,
)
from registry.services.subject_rights import response_due
from tests.factories import make_consented


def log_url(participant) -> str:
    return reverse(
        "registry:participant_access_log",
        kwargs={"org_slug": participant.organization.slug, "participant_id": participant.pk},
    )


def export_url(participant, org=None) -> str:
    return reverse(
        "registry:participant_subject_export",
        kwargs={
            "org_slug": (org or participant.organization).slug,
            "participant_id": participant.pk,
        },
    )


@pytest.fixture
def pupil(cast) -> Participant:
    """A pupil with a parent's consent, a need, an assessment, an edit and two views."""
    pupil = make_consented(cast.school, phone="+7 900 000-00-00")
    with tenant_scope(cast.school):
        mentee_need_add(
            actor=cast.curator,
            participant=pupil,
            source="class_teacher",
            text="Трудности с математикой",
        )
        entry_assessment_save(
            actor=cast.curator, participant=pupil, scores={"motivation": 3, "results": 4}
        )
        participant_update(actor=cast.curator, participant=pupil, class_letter="Б")
        record_view(actor=cast.curator, participant=pupil)
        record_view(actor=cast.viewer, participant=pupil)
    return pupil


# --- The access log -------------------------------------------------------------------


def test_curator_sees_who_saw_and_changed_the_data(cast, client, pupil):
    client.force_login(cast.curator)
    response = client.get(log_url(pupil))
    assert response.status_code == 200
    rows = response.context["rows"]
    viewers = [r.actor for r in rows if r.action == "participant.view"]
    assert len(viewers) == 2
    assert any(cast.curator.email in v for v in viewers)
    assert any(cast.viewer.email in v for v in viewers)
    html = response.content.decode()
    assert "Просмотр карточки" in html and "Изменение данных" in html
    # Which fields changed, named for people.
    assert "Литера класса" in html
    assert "Внесено согласие" in html


def test_opening_the_log_is_itself_logged(cast, client, pupil):
    client.force_login(cast.curator)
    client.get(log_url(pupil))
    entry = AuditEntry.objects.get(action="subject.access_log")
    assert entry.actor == cast.curator and entry.object_id == str(pupil.pk)
    # It shows on the next opening, not on the one that wrote it.
    rows = client.get(log_url(pupil)).context["rows"]
    assert [r.action for r in rows].count("subject.access_log") == 1


def test_another_schools_person_is_404(cast, client, pupil):
    client.force_login(cast.curator2)
    # Own school's address, another school's person.
    own = reverse(
        "registry:participant_access_log",
        kwargs={"org_slug": cast.school2.slug, "participant_id": pupil.pk},
    )
    assert client.get(own).status_code == 404
    assert client.get(export_url(pupil, org=cast.school2)).status_code == 404
    # Another school's address.
    assert client.get(log_url(pupil)).status_code == 404


def test_viewer_and_municipal_roles_are_refused(cast, client, pupil):
    for user in (cast.viewer, cast.methodist, cast.department, cast.regional):
        client.force_login(user)
        assert client.get(log_url(pupil)).status_code == 403, user
        assert client.get(export_url(pupil)).status_code == 403, user
    assert not AuditEntry.objects.filter(action__startswith="subject.").exists()


def test_the_pages_are_get_only(cast, client, pupil):
    client.force_login(cast.curator)
    assert client.post(log_url(pupil)).status_code == 405
    assert client.post(export_url(pupil)).status_code == 405


# --- The export -----------------------------------------------------------------------


def test_json_export_has_every_section_and_is_audited(cast, client, pupil):
    client.force_login(cast.curator)
    response = client.get(export_url(pupil), {"download": "json", "requested_on": "2026-11-23"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert set(data) == {
        "meta",
        "person",
        "consents",
        "questionnaire",
        "needs",
        "assessments",
        "training",
        "audit",
    }
    assert data["person"]["last_name"] == "Иванова"
    assert data["person"]["birth_date"] == "2012-03-14"
    assert data["person"]["phone"] == "+7 900 000-00-00"
    assert data["consents"][0]["giver_name"] == "Иванов Пётр Сергеевич"
    assert data["consents"][0]["purposes"] == ["programme", "mentor_base"]
    assert data["consents"][0]["state"] == "valid"
    assert data["needs"][0]["text"] == "Трудности с математикой"
    assert data["assessments"][0]["scores"] == {"motivation": 3, "results": 4}
    assert data["questionnaire"] is None
    actions = [e["action"] for e in data["audit"]]
    assert "participant.view" in actions and "consent.record" in actions
    # Staff are named, their e-mail addresses are not handed out.
    assert cast.viewer.email not in response.content.decode()
    assert data["meta"]["requested_on"] == "2026-11-23"
    assert data["meta"]["response_due"] == "2026-12-07"
    assert data["meta"]["operator"]["short_name"] == cast.school.short_name

    entry = AuditEntry.objects.get(action="subject.export")
    assert entry.actor == cast.curator and entry.object_id == str(pupil.pk)
    assert entry.details == {"format": "json", "requested_on": "2026-11-23"}


def test_every_stored_field_of_the_person_is_exported(cast, client, pupil):
    client.force_login(cast.curator)
    data = client.get(export_url(pupil), {"download": "json"}).json()
    concrete = {f.name for f in Participant._meta.concrete_fields} - {"id", "organization"}
    assert concrete <= set(data["person"])
    assert {"mentor_forms", "mentee_forms"} <= set(data["person"])


def test_readable_page_shows_the_sections_and_the_due_date(cast, client, pupil):
    client.force_login(cast.curator)
    response = client.get(export_url(pupil), {"requested_on": "2026-12-28"})
    assert response.status_code == 200
    html = response.content.decode()
    for section in ("person", "consents", "questionnaire", "needs", "assessments", "audit"):
        assert f'data-testid="section-{section}"' in html
    assert "Трудности с математикой" in html
    assert "Иванов Пётр Сергеевич" in html
    # Bookkeeping fields are named in Russian too, not "created at".
    assert "Внесено в систему" in html and "created at" not in html
    # 28 December + 10 working days, over the New Year holidays (1–8 January).
    assert "19.01.2027" in html
    assert AuditEntry.objects.get(action="subject.export").details["format"] == "html"


def test_a_bad_request_date_is_refused_with_a_message(cast, client, pupil):
    client.force_login(cast.curator)
    response = client.get(export_url(pupil), {"requested_on": "вчера"})
    assert response.status_code == 400
    assert "Введите правильную дату" in response.content.decode()


def test_a_depersonalised_person_exports_what_is_left(cast, client, pupil):
    with tenant_scope(cast.school):
        consent_withdraw(actor=cast.curator, consent=pupil.consents.first(), reason="Отзыв")
        participant_depersonalize(actor=None, participant=pupil)
    client.force_login(cast.curator)
    data = client.get(export_url(pupil), {"download": "json"}).json()
    assert data["person"]["birth_date"] is None
    assert data["person"]["depersonalized_at"]
    assert "participant.depersonalize" in [e["action"] for e in data["audit"]]


@pytest.mark.parametrize(
    ("requested", "due"),
    [
        (date(2026, 11, 23), date(2026, 12, 7)),  # Monday → two weeks later
        (date(2026, 11, 27), date(2026, 12, 11)),  # Friday
        (date(2026, 11, 1), date(2026, 11, 16)),  # 4 November is a holiday
        (date(2026, 12, 28), date(2027, 1, 19)),  # the New Year holidays
    ],
)
def test_response_due_counts_working_days(requested, due):
    assert response_due(requested) == due
