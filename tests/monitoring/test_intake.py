"""Candidates' intake questionnaires on personal links, their review and acceptance into the
registry, and the whole stage-5 flow through a group meeting to matching (issue 15)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from mentorship.tenancy.scoping import tenant_scope
from monitoring.models import Campaign, Invitation, Purpose, Response
from monitoring.services.intake import intake_accept, intake_accept_all, intake_send
from monitoring.services.partner_choice import choice_links_send
from registry.models import MenteeNeed, MentorProfile, Participant
from registry.services.consent import consent_withdraw
from registry.services.group_meetings import (
    group_meeting_attendance,
    group_meeting_create,
    group_meeting_invite,
)
from registry.services.matching import programme_match
from tests.factories import ProgrammeFactory, make_consented, make_participant
from tests.monitoring.conftest import PHONE
from tests.monitoring.intake_people import (
    MENTEE_ANSWERS,
    MENTOR_ANSWERS,
    answer_on_phone,
    link_of,
    mentee_candidate,
    mentor_candidate,
    young_candidate,
)

pytestmark = pytest.mark.django_db


def _send(cast, *people, capture=None):
    with tenant_scope(cast.school):
        if capture is None:
            return intake_send(
                actor=cast.curator, school=cast.school, participant_ids=[p.pk for p in people]
            )
        with capture(execute=True):
            return intake_send(
                actor=cast.curator, school=cast.school, participant_ids=[p.pk for p in people]
            )


def _response(cast, participant) -> Response:
    with tenant_scope(cast.school):
        return Response.objects.select_related("campaign", "participant").get(
            participant=participant
        )


# ---- sending --------------------------------------------------------------------------


def test_links_go_by_mail_to_adults_and_to_the_parent_of_a_child(
    cast, django_capture_on_commit_callbacks
):
    mentor, mentee, child = (
        mentor_candidate(cast.school),
        mentee_candidate(cast.school),
        young_candidate(cast.school),
    )
    result = _send(cast, mentor, mentee, child, capture=django_capture_on_commit_callbacks)
    assert (result.created, result.by_email, result.refused) == (3, 3, [])
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["anna@school.test", "mama@family.test", "petrov@school.test"]
    mentor_link = link_of(cast.school, mentor)
    assert mentor_link.questionnaire.standard_code == "mentor_intake"
    assert link_of(cast.school, mentee).questionnaire.standard_code == "mentee_intake"
    assert mentor_link.campaign.purpose == Purpose.INTAKE
    letter = next(m for m in mail.outbox if m.to == ["petrov@school.test"])
    assert f"/q/{mentor_link.token}/" in letter.body

    # Sending again makes no second link and no second letter.
    again = _send(cast, mentor, capture=django_capture_on_commit_callbacks)
    assert (again.created, again.already, len(mail.outbox)) == (0, 1, 3)


def test_a_child_whose_parent_left_no_address_goes_on_the_qr_sheet(cast):
    child = young_candidate(cast.school, parent_email="+7 900 000-00-00")
    result = _send(cast, child)
    assert (result.by_email, result.by_sheet) == (0, 1)


def test_consent_first_nobody_without_a_valid_consent_gets_a_link(cast):
    without = make_participant(cast.school, last_name="Безсогласия")
    result = _send(cast, without)
    assert result.created == 0
    assert result.refused == ["Безсогласия М.П.: нет действующего согласия на обработку данных"]


def test_bad_input_is_refused_and_nothing_is_created(cast):
    from django.core.exceptions import ValidationError

    stranger = make_consented(cast.other_school, last_name="Чужой")
    with tenant_scope(cast.school), pytest.raises(ValidationError):
        intake_send(actor=cast.curator, school=cast.school, participant_ids=[stranger.pk])
    with tenant_scope(cast.school), pytest.raises(ValidationError):
        intake_send(actor=cast.curator, school=cast.school, participant_ids=[])
    with tenant_scope(cast.school):
        assert not Invitation.objects.exists()


# ---- answering and review ---------------------------------------------------------------


def test_answers_wait_for_review_and_accepting_fills_the_registry(cast):
    mentor, mentee = mentor_candidate(cast.school), mentee_candidate(cast.school)
    _send(cast, mentor, mentee)
    mentor_token = link_of(cast.school, mentor).token
    page = Client(**PHONE).get(f"/q/{mentor_token}/").content.decode()
    assert "Чем я могу быть полезен в качестве наставника?" in page
    assert "только куратор" in page
    assert answer_on_phone(mentor_token, MENTOR_ANSWERS).status_code == 302
    assert answer_on_phone(link_of(cast.school, mentee).token, MENTEE_ANSWERS).status_code == 302

    # Nothing reaches the registry before the curator's review.
    with tenant_scope(cast.school):
        assert not MentorProfile.objects.filter(participant=mentor).exists()
        assert not MenteeNeed.objects.filter(participant=mentee).exists()

    with tenant_scope(cast.school):
        intake_accept(actor=cast.curator, response=_response(cast, mentor))
        profile = MentorProfile.objects.get(participant=mentor)
        person = Participant.objects.get(pk=mentor.pk)
        assert profile.max_mentees == 3 and profile.has_sen_experience
        assert "олимпиаде по физике" in profile.competencies
        assert "робототехника" in profile.competencies and profile.subjects == "физика"
        assert profile.filled_on == timezone.localdate()
        assert person.experience_years == 12 and person.availability == "вторник после 15:00"
        assert [f.code for f in person.mentor_forms.all()] == ["teacher-student"]

        accepted, refused = intake_accept_all(actor=cast.curator)
        assert (accepted, refused) == (1, [])
        need = MenteeNeed.objects.get(participant=mentee)
        assert need.source == "self" and "олимпиаде" in need.text and "робототехника" in need.text
        assert [f.code for f in Participant.objects.get(pk=mentee.pk).mentee_forms.all()] == [
            "teacher-student"
        ]


def test_an_answer_changed_after_acceptance_comes_back_for_review(cast):
    from mentorship.conflicts import Conflict

    mentor = mentor_candidate(cast.school)
    _send(cast, mentor)
    token = link_of(cast.school, mentor).token
    answer_on_phone(token, MENTOR_ANSWERS)
    with tenant_scope(cast.school):
        intake_accept(actor=cast.curator, response=_response(cast, mentor))
        with pytest.raises(Conflict):
            intake_accept(actor=cast.curator, response=_response(cast, mentor))
    answer_on_phone(token, {**MENTOR_ANSWERS, "capacity": "1"})
    with tenant_scope(cast.school):
        assert MentorProfile.objects.get(participant=mentor).max_mentees == 3  # not yet
        assert intake_accept_all(actor=cast.curator) == (1, [])
        assert MentorProfile.objects.get(participant=mentor).max_mentees == 1


def test_withdrawn_consent_stops_the_link_the_mail_and_the_acceptance(
    cast, django_capture_on_commit_callbacks
):
    mentor, mentee = mentor_candidate(cast.school), mentee_candidate(cast.school)
    _send(cast, mentor)
    answer_on_phone(link_of(cast.school, mentor).token, MENTOR_ANSWERS)
    with tenant_scope(cast.school):
        consent_withdraw(actor=cast.curator, consent=mentor.consents.first(), reason="Отзыв")
    # The link is dead…
    assert Client(**PHONE).get(f"/q/{link_of(cast.school, mentor).token}/").status_code == 410
    # …the answer is not taken into the registry…
    with tenant_scope(cast.school):
        assert intake_accept_all(actor=cast.curator)[0] == 0
        assert not MentorProfile.objects.filter(participant=mentor).exists()
    # …and no new link or letter goes to the person, while others still get theirs.
    result = _send(cast, mentor, mentee, capture=django_capture_on_commit_callbacks)
    assert result.created == 1 and [m.to for m in mail.outbox] == [["anna@school.test"]]


def test_a_withdrawn_consent_stops_the_letter_already_queued(cast):
    from monitoring.services.mailing import invitations_send

    mentor = mentor_candidate(cast.school)
    result = _send(cast, mentor)  # on_commit not run: the letter is still queued
    with tenant_scope(cast.school):
        consent_withdraw(actor=cast.curator, consent=mentor.consents.first(), reason="Отзыв")
    assert invitations_send(result.campaign_id, cast.school.pk) == 0
    assert mail.outbox == []


def test_monitoring_pages_leave_the_intake_campaign_out(client, cast):
    _send(cast, mentor_candidate(cast.school))
    client.force_login(cast.curator)
    page = client.get(f"/o/{cast.school.slug}/monitoring/").content.decode()
    assert "Анкеты кандидатов от" not in page
    with tenant_scope(cast.school):
        assert Campaign.objects.filter(purpose=Purpose.INTAKE).count() == 1


# ---- the whole flow ---------------------------------------------------------------------


def test_whole_flow_from_intake_links_to_the_mutual_choice_in_matching(
    cast, django_capture_on_commit_callbacks
):
    """Send links → both answer → accept → group meeting → both rank → matching says so."""
    school = cast.school
    programme = ProgrammeFactory(organization=school)  # «учитель – ученик»
    mentor, mentee = mentor_candidate(school), mentee_candidate(school)
    rival = mentor_candidate(
        school, last_name="Смирнова", first_name="Ольга", email="", experience_years=20
    )
    _send(cast, mentor, mentee, capture=django_capture_on_commit_callbacks)
    answer_on_phone(link_of(school, mentor).token, MENTOR_ANSWERS)
    answer_on_phone(link_of(school, mentee).token, MENTEE_ANSWERS)
    with tenant_scope(school):
        assert intake_accept_all(actor=cast.curator) == (2, [])
        meeting = group_meeting_create(
            actor=cast.curator, programme=programme, held_on=timezone.localdate()
        )
        group_meeting_invite(
            actor=cast.curator,
            meeting=meeting,
            mentor_ids=[mentor.pk, rival.pk],
            mentee_ids=[mentee.pk],
        )
        rows = {r.participant_id: r.pk for r in meeting.invited.all()}
        group_meeting_attendance(actor=cast.curator, meeting=meeting, attended_ids=rows.values())
        with django_capture_on_commit_callbacks(execute=True):
            sent = choice_links_send(actor=cast.curator, meeting=meeting)
    assert (sent.created, sent.by_sheet) == (3, 1)  # the rival has no e-mail: QR sheet

    # Both rank on their phones: the mentee picks the mentor first, the mentor the mentee.
    mentee_link = link_of(school, mentee, role="mentee")
    mentor_link = link_of(school, mentor, role="mentor")
    assert mentee_link.campaign.purpose == Purpose.PARTNER_CHOICE
    client = Client(enforce_csrf_checks=True, **PHONE)
    page = client.get(f"/q/{mentee_link.token}/").content.decode()
    assert "Петров Иван" in page and "Смирнова Ольга" in page and "Сидорова" not in page
    csrf = client.cookies["csrftoken"].value
    done = client.post(
        f"/q/{mentee_link.token}/",
        {"choice_1": mentor.pk, "choice_2": rival.pk, "csrfmiddlewaretoken": csrf},
    )
    assert done.status_code == 302
    assert "Ваш выбор сохранён" in client.get(done.url).content.decode()
    client.post(f"/q/{mentor_link.token}/", {"choice_1": mentee.pk, "csrfmiddlewaretoken": csrf})

    with tenant_scope(school):
        run = programme_match(programme)
    [suggestion] = run.result.suggestions
    assert (suggestion.mentor_id, suggestion.mentee_id) == (mentor.pk, mentee.pk)
    codes = {r.code: r for r in suggestion.score.reasons}
    assert codes["mutual_choice"].text == (
        "Взаимный выбор: после групповой встречи оба назвали друг друга первыми"
    )
    assert codes["preference"].points == 30 and codes["mentor_preference"].points == 30
    assert "needs" in codes  # the accepted intake answers matched too


def test_ranking_page_refuses_bad_choices_and_keeps_the_form(cast):
    school = cast.school
    programme = ProgrammeFactory(organization=school)
    mentor, mentee = mentor_candidate(school), mentee_candidate(school)
    outsider = mentor_candidate(school, last_name="Невстречавшийся", email="")
    with tenant_scope(school):
        meeting = group_meeting_create(
            actor=cast.curator, programme=programme, held_on=timezone.localdate()
        )
        group_meeting_invite(
            actor=cast.curator,
            meeting=meeting,
            mentor_ids=[mentor.pk, outsider.pk],
            mentee_ids=[mentee.pk],
        )
        came = [r.pk for r in meeting.invited.exclude(participant=outsider)]
        group_meeting_attendance(actor=cast.curator, meeting=meeting, attended_ids=came)
        choice_links_send(actor=cast.curator, meeting=meeting)
    url = f"/q/{link_of(school, mentee).token}/"
    client = Client(**PHONE)
    page = client.get(url).content.decode()
    assert "Невстречавшийся" not in page  # only those who came are offered
    for data in (
        {"choice_1": outsider.pk},
        {"choice_1": mentor.pk, "choice_2": mentor.pk},
        {"choice_1": "x"},
        {},
    ):
        response = client.post(url, data)
        assert response.status_code == 400, data
    with tenant_scope(school):
        from registry.models import MentorPreference

        assert not MentorPreference.objects.exists()


def test_choice_links_wait_for_the_meeting_and_its_attendance(cast):
    from django.core.exceptions import ValidationError

    programme = ProgrammeFactory(organization=cast.school)
    with tenant_scope(cast.school):
        later = group_meeting_create(
            actor=cast.curator,
            programme=programme,
            held_on=timezone.localdate() + timedelta(days=3),
        )
        today = group_meeting_create(
            actor=cast.curator, programme=programme, held_on=timezone.localdate()
        )
        for meeting in (later, today):
            with pytest.raises(ValidationError):
                choice_links_send(actor=cast.curator, meeting=meeting)


def test_an_adapted_questionnaire_is_sent_and_accepted_by_its_codes(cast):
    from monitoring.models import Question, Questionnaire
    from monitoring.services.questionnaires import questionnaire_copy

    standard = Questionnaire.objects.get(standard_code="mentor_intake", organization__isnull=True)
    with tenant_scope(cast.school):
        own = questionnaire_copy(actor=cast.curator, source=standard, organization=cast.school)
    Question.objects.filter(questionnaire=own, code="useful").update(
        text="Чем вы поможете ученикам нашей школы?"
    )
    mentor = mentor_candidate(cast.school)
    _send(cast, mentor)
    link = link_of(cast.school, mentor)
    assert link.questionnaire_id == own.pk
    page = Client(**PHONE).get(f"/q/{link.token}/").content.decode()
    assert "Чем вы поможете ученикам нашей школы?" in page
    answer_on_phone(link.token, MENTOR_ANSWERS)
    with tenant_scope(cast.school):
        intake_accept(actor=cast.curator, response=_response(cast, mentor))
        assert MentorProfile.objects.get(participant=mentor).max_mentees == 3
