"""Candidates of the intake tests and how they answer their link (issue 15)."""

from __future__ import annotations

from datetime import date

from django.test import Client

from mentorship.tenancy.scoping import tenant_scope
from monitoring.models import Invitation, QuestionKind
from monitoring.services.answering import form_spec
from monitoring.services.links import find_link
from registry.services.consent import consent_record
from tests.factories import make_consented, make_participant
from tests.monitoring.conftest import PHONE


def mentor_candidate(school, **overrides):
    data = {
        "last_name": "Петров",
        "first_name": "Иван",
        "patronymic": "Сергеевич",
        "category": "teacher",
        "grade": None,
        "class_letter": "",
        "birth_date": date(1985, 4, 2),
        "is_mentor": True,
        "is_mentee": False,
        "email": "petrov@school.test",
    }
    data.update(overrides)
    return make_consented(school, **data)


def mentee_candidate(school, **overrides):
    """A pupil of 16: a parent consented, the letters go to the pupil."""
    data = {
        "last_name": "Сидорова",
        "first_name": "Анна",
        "birth_date": date(2010, 2, 3),
        "grade": 10,
        "email": "anna@school.test",
    }
    data.update(overrides)
    return make_consented(school, **data)


def young_candidate(school, parent_email="mama@family.test"):
    """A pupil of 12 without e-mail: the parent consented and gave an address."""
    person = make_participant(
        school, last_name="Кузнецов", first_name="Петя", birth_date=date(2014, 6, 1), grade=6
    )
    with tenant_scope(school):
        consent_record(
            actor=None,
            participant=person,
            given_by="parent",
            giver_name="Кузнецова Ольга Ивановна",
            giver_relation="мать",
            giver_contact=parent_email,
            given_on=date(2026, 9, 1),
            purposes=["programme"],
        )
        person.refresh_from_db()
    return person


def link_of(school, participant, role=None) -> Invitation:
    with tenant_scope(school):
        rows = Invitation.objects.filter(participant=participant).select_related(
            "questionnaire", "campaign"
        )
        if role:
            rows = rows.filter(role=role)
        return rows.order_by("-pk").first()


def form_data(token: str, answers: dict) -> dict:
    """POST data for a questionnaire from answers by question code: text as is, options
    by their wording, yes/no as a bool."""
    data: dict = {}
    for section in form_spec(find_link(token).questionnaire):
        for q in section.questions:
            if q.code not in answers:
                continue
            value = answers[q.code]
            if q.kind == QuestionKind.MULTIPLE:
                data[q.field] = [str(q.options.index(v)) for v in value]
            elif q.kind == QuestionKind.SINGLE:
                data[q.field] = str(q.options.index(value))
            elif q.kind == QuestionKind.YES_NO:
                data[q.field] = "1" if value else "0"
            else:
                data[q.field] = value
    return data


def answer_on_phone(token: str, answers: dict):
    """Open the link on a phone and submit; returns the POST's response."""
    client = Client(enforce_csrf_checks=True, **PHONE)
    url = f"/q/{token}/"
    assert client.get(url).status_code == 200
    csrf = client.cookies["csrftoken"].value
    return client.post(url, {**form_data(token, answers), "csrfmiddlewaretoken": csrf})


MENTOR_ANSWERS = {
    "useful": "Помогу подготовиться к олимпиаде по физике",
    "competencies": "олимпиадная физика, робототехника",
    "subjects": "физика",
    "interests": "робототехника, шахматы",
    "experience_years": "12 лет",
    "sen_experience": True,
    "capacity": "3",
    "preferred_form": ["учитель – ученик"],
    "availability": "вторник после 15:00",
}
MENTEE_ANSWERS = {
    "needs": "Хочу подготовиться к олимпиаде по физике",
    "interests": "робототехника",
    "preferred_form": ["учитель – ученик"],
    "availability": "вторник, четверг после уроков",
}
