"""The public answer page /q/<token>/ as a pupil uses it on a phone."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from mentorship.tenancy.scoping import tenant_scope
from monitoring.models import Answer, Response
from monitoring.services.answering import form_spec
from monitoring.services.links import find_link as find_invitation
from tests.monitoring.conftest import PHONE, invitations

pytestmark = pytest.mark.django_db


def _pupil(invited):
    return next(i for i in invited if i.role == "mentee")


def _full_answers(invitation, scale="5"):
    data = {}
    for section in form_spec(invitation.questionnaire):
        for q in section.questions:
            if q.kind.startswith("scale"):
                data[q.field] = scale
            elif q.kind == "yes_no":
                data[q.field] = "1"
            elif q.kind == "single":
                data[q.field] = "0"
            elif q.kind == "multiple":
                data[q.field] = ["0", "2"]
            else:
                data[q.field] = "Больше встреч по проектам"
    return data


def test_pupil_answers_on_a_phone_and_edits_later(cast, invited):
    pupil = _pupil(invited)
    url = f"/q/{pupil.token}/"
    client = Client(enforce_csrf_checks=True, **PHONE)
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="viewport" content="width=device-width' in html
    assert cast.school.short_name in html and pupil.questionnaire.title in html
    assert pupil.participant.last_name not in html  # the page names nobody
    assert page["Cache-Control"].startswith("max-age=0")

    data = _full_answers(find_invitation(pupil.token))
    token = client.cookies["csrftoken"].value
    response = client.post(url, {**data, "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and response.url == url + "?saved=1"
    saved = client.get(response.url).content.decode()
    assert "Спасибо! Ваши ответы сохранены." in saved
    with tenant_scope(cast.school):
        stored = Response.objects.get(invitation_id=pupil.pk)
        answers = {
            a.question.code: a
            for a in Answer.objects.filter(response=stored).select_related("question")
        }
    assert answers["overall"].value == 5 and answers["continue"].value == 1
    assert answers["changes"].choices == [0, 2] and answers["changes"].value is None
    assert answers["improve"].text == "Больше встреч по проектам"
    assert all(
        a.campaign_id == pupil.campaign_id and a.organization_id == cast.school.pk
        for a in answers.values()
    )

    # Reopening shows the saved answers; a second submit replaces them (one response).
    again = client.get(url).content.decode()
    assert "Вы уже ответили" in again and 'value="5" checked' in again
    data[f"q{answers['overall'].question_id}"] = "2"
    client.post(url, {**data, "csrfmiddlewaretoken": token})
    with tenant_scope(cast.school):
        assert Response.objects.filter(invitation_id=pupil.pk).count() == 1
        overall = Answer.objects.get(response__invitation_id=pupil.pk, question__code="overall")
    assert overall.value == 2
    assert invitations(cast.school, pk=pupil.pk)[0].responded_at is not None


def test_post_without_csrf_is_refused(invited):
    client = Client(enforce_csrf_checks=True)
    pupil = _pupil(invited)
    response = client.post(f"/q/{pupil.token}/", _full_answers(find_invitation(pupil.token)))
    assert response.status_code == 403


def test_required_answers_are_asked_for_in_russian(client, cast, invited):
    pupil = _pupil(invited)
    response = client.post(f"/q/{pupil.token}/", {"q999999": "5"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Проверьте ответы" in html and "Ответьте, пожалуйста, на этот вопрос." in html
    assert "Отметьте хотя бы один вариант." in html
    # A value outside the scale is refused, and what was entered is kept.
    data = _full_answers(find_invitation(pupil.token))
    overall = next(
        q for s in form_spec(pupil.questionnaire) for q in s.questions if q.code == "overall"
    )
    data[overall.field] = "7"
    html = client.post(f"/q/{pupil.token}/", data).content.decode()
    assert "Выберите оценку от 1 до 5." in html and "Больше встреч по проектам" in html
    with tenant_scope(cast.school):
        assert not Response.objects.exists()


def test_forged_token_gets_a_russian_404(client, invited):
    for token in ("x" * 32, "nope", "a" * 70):
        response = client.get(f"/q/{token}/")
        html = response.content.decode()
        assert response.status_code == 404
        assert "Ссылка не найдена" in html and "Traceback" not in html
    # A forged token's page is the same whatever the token: it reveals nothing.
    assert client.get("/q/" + "y" * 32 + "/").content == client.get("/q/" + "z" * 32 + "/").content


def test_expired_and_closed_campaigns_get_410(client, cast, campaign, invited):
    pupil = _pupil(invited)
    campaign.ends_on = timezone.localdate() - timedelta(days=1)
    campaign.save()
    response = client.get(f"/q/{pupil.token}/")
    assert response.status_code == 410
    assert "Анкетирование завершено" in response.content.decode()
    assert client.post(f"/q/{pupil.token}/", {}).status_code == 410

    campaign.ends_on = timezone.localdate() + timedelta(days=3)
    campaign.closed_at = timezone.now()
    campaign.save()
    assert client.get(f"/q/{pupil.token}/").status_code == 410


def test_withdrawn_consent_stops_the_link(client, cast, invited):
    from registry.services.consent import consent_withdraw

    pupil = _pupil(invited)
    assert client.get(f"/q/{pupil.token}/").status_code == 200
    with tenant_scope(cast.school):
        consent_withdraw(
            actor=cast.curator, consent=pupil.participant.consents.first(), reason="Отзыв"
        )
    response = client.get(f"/q/{pupil.token}/")
    assert response.status_code == 410
    assert "Ссылка больше не действует" in response.content.decode()
    assert (
        client.post(f"/q/{pupil.token}/", _full_answers(find_invitation(pupil.token))).status_code
        == 410
    )


def test_rate_limit_answers_429_in_russian(client, settings, invited):
    settings.MONITORING_PUBLIC_RATE_LIMIT = 3
    cache.clear()
    pupil = _pupil(invited)
    codes = [client.get(f"/q/{pupil.token}/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = client.get("/q/" + "x" * 32 + "/")
    assert response.status_code == 429 and response["Retry-After"] == "60"
    assert "Слишком много запросов" in response.content.decode()
    # Another address is counted apart.
    other = client.get(f"/q/{pupil.token}/", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200
    cache.clear()


def test_all_optional_questionnaire_saves_an_empty_response(client, cast, campaign, invited):
    pupil = _pupil(invited)
    from monitoring.models import Question

    Question.objects.filter(questionnaire=pupil.questionnaire).update(required=False)
    pupil.questionnaire.updated_at = timezone.now()
    pupil.questionnaire.save(update_fields=["updated_at"])
    response = client.post(f"/q/{pupil.token}/", {})
    assert response.status_code == 302
    with tenant_scope(cast.school):
        stored = Response.objects.get(invitation_id=pupil.pk)
        assert not stored.answers.exists()
    assert invitations(cast.school, pk=pupil.pk)[0].responded_at is not None


def test_depersonalisation_destroys_free_text_answers_and_keeps_the_scores(client, cast, invited):
    from registry.services.consent import participant_depersonalize

    pupil, mentor = _pupil(invited), next(i for i in invited if i.role == "mentor")
    for invitation in (pupil, mentor):
        data = _full_answers(find_invitation(invitation.token))
        assert client.post(f"/q/{invitation.token}/", data).status_code == 302
    with tenant_scope(cast.school):
        participant_depersonalize(actor=None, participant=pupil.participant)
        answers = Answer.objects.select_related("response")
        mine = [a for a in answers if a.response.participant_id == pupil.participant_id]
        others = [a for a in answers if a.response.participant_id != pupil.participant_id]
    assert mine and all(a.text == "" for a in mine)
    assert any(a.value == 5 for a in mine)  # the scale answers still count
    assert any(a.text == "Больше встреч по проектам" for a in others)


def test_a_campaign_closed_early_says_so_with_the_day_it_closed(client, cast, campaign, invited):
    """Before: «закончился <planned end>», a date that had not come yet."""
    pupil = _pupil(invited)
    planned = timezone.localdate() + timedelta(days=3)
    campaign.ends_on = planned
    campaign.closed_at = timezone.now()
    campaign.save()

    page = client.get(f"/q/{pupil.token}/").content.decode()

    today = timezone.localdate().strftime("%d.%m.%Y")
    assert f"завершён досрочно {today}" in page
    assert planned.strftime("%d.%m.%Y") not in page

    client.force_login(cast.methodist)
    detail = client.get(f"/o/{cast.muni.slug}/monitoring/campaigns/{campaign.pk}/").content
    assert f"завершена досрочно, план — до {planned:%d.%m.%Y}" in detail.decode()
