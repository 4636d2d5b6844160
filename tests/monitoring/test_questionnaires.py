"""The builder, the standard questionnaires and versioning once answered."""

import pytest
from django.urls import reverse

from mentorship.tenancy.scoping import tenant_scope
from monitoring.models import Question, Questionnaire, Response
from monitoring.services import questionnaires as builder
from monitoring.services.answering import form_spec, parse, response_save
from monitoring.services.links import find_link as find_invitation
from monitoring.standard import GROWTH_CODES, ensure_standard_questionnaires
from registry.models import ASSESSMENT_PARAMETERS
from tests.monitoring.conftest import standard

pytestmark = pytest.mark.django_db


def _url(name, org, **kwargs):
    return reverse(f"monitoring:{name}", kwargs={"org_slug": org.slug, **kwargs})


def test_standard_questionnaires_exist_and_growth_items_match():
    assert ensure_standard_questionnaires() == 0  # the migration already made them
    codes = set(
        Questionnaire.objects.filter(organization__isnull=True).values_list(
            "standard_code", flat=True
        )
    )
    assert codes == {
        "mentee_satisfaction",
        "mentor_satisfaction",
        "process_quality",
        "growth_entry",
        "growth_final",
        "curator_report",
        # The candidates' own questionnaires and the choice after a group meeting (issue 15).
        "mentee_intake",
        "mentor_intake",
        "partner_choice",
    }

    def growth(code):
        return set(standard(code).questions.filter(kind="scale_5").values_list("code", flat=True))

    registry_codes = {code for code, _label in ASSESSMENT_PARAMETERS}
    assert growth("growth_entry") == growth("growth_final") == registry_codes == set(GROWTH_CODES)


def test_methodist_builds_a_questionnaire(client, cast):
    client.force_login(cast.methodist)
    response = client.post(
        _url("questionnaire_list", cast.muni),
        {"title": "Анкета школьной службы", "kind": "custom", "audience": "mentee"},
    )
    questionnaire = Questionnaire.objects.get(title="Анкета школьной службы")
    assert questionnaire.organization == cast.muni
    detail = _url("questionnaire_detail", cast.muni, questionnaire_id=questionnaire.pk)
    assert response.url == detail
    section = questionnaire.sections.get()

    for text, kind, options in [
        ("Насколько полезны встречи?", "scale_5", ""),
        ("Что понравилось?", "multiple", "Проекты\nЭкскурсии\nБеседы"),
        ("Продолжите?", "yes_no", ""),
    ]:
        prefix = f"s{section.pk}"
        client.post(
            detail,
            {
                "op": "question_add",
                "section": section.pk,
                "prefix": prefix,
                f"{prefix}-text": text,
                f"{prefix}-kind": kind,
                f"{prefix}-options": options,
                f"{prefix}-required": "on",
            },
        )
    questions = list(questionnaire.questions.order_by("position"))
    assert [q.kind for q in questions] == ["scale_5", "multiple", "yes_no"]
    assert questions[1].options == ["Проекты", "Экскурсии", "Беседы"]
    assert [q.code for q in questions] == ["q1", "q2", "q3"]

    # Reorder: the yes/no question up, once.
    client.post(detail, {"op": "question_up", "question": questions[2].pk})
    assert list(questionnaire.questions.order_by("position").values_list("kind", flat=True)) == [
        "scale_5",
        "yes_no",
        "multiple",
    ]
    # A choice question with one option is refused in Russian.
    prefix = f"s{section.pk}"
    response = client.post(
        detail,
        {
            "op": "question_add",
            "section": section.pk,
            "prefix": prefix,
            f"{prefix}-text": "Один вариант?",
            f"{prefix}-kind": "single",
            f"{prefix}-options": "Да",
        },
        follow=True,
    )
    assert "хотя бы два варианта" in response.content.decode()
    # A second section, renamed and moved first.
    client.post(detail, {"op": "section_add", "new-title": "Итоги"})
    second = questionnaire.sections.get(title="Итоги")
    client.post(detail, {"op": "section_rename", "section": second.pk, "title": "Итоги года"})
    client.post(detail, {"op": "section_up", "section": second.pk})
    assert list(questionnaire.sections.values_list("title", flat=True)) == [
        "Итоги года",
        "Основной раздел",
    ]
    page = client.get(detail)
    assert page.status_code == 200 and "Итоги года" in page.content.decode()
    preview = client.get(
        _url("questionnaire_preview", cast.muni, questionnaire_id=questionnaire.pk)
    )
    assert preview.status_code == 200
    assert 'name="viewport"' in preview.content.decode()


def test_standard_questionnaire_is_copied_not_edited(client, cast):
    client.force_login(cast.curator)
    source = standard("process_quality")
    url = _url("questionnaire_detail", cast.school, questionnaire_id=source.pk)
    assert client.get(url).status_code == 200
    client.post(url, {"op": "section_add", "new-title": "Чужой раздел"})
    assert not source.sections.filter(title="Чужой раздел").exists()
    response = client.post(_url("questionnaire_list", cast.school), {"copy_of": source.pk})
    copy = Questionnaire.objects.get(organization=cast.school)
    assert response.url.endswith(f"/{copy.pk}/")
    assert copy.questions.count() == source.questions.count()
    assert copy.family != source.family


def test_roles_and_other_organisations_questionnaires(client, cast):
    own = builder.questionnaire_create(
        actor=cast.methodist, organization=cast.muni, title="Своя", kind="custom", audience="any"
    )
    # The department reads but does not build: 403 on a write.
    client.force_login(cast.department)
    assert client.get(_url("questionnaire_list", cast.muni)).status_code == 200
    response = client.post(
        _url("questionnaire_list", cast.muni), {"title": "x", "kind": "custom", "audience": "any"}
    )
    assert response.status_code == 403
    # The other municipality's methodist does not see it, even at their own address.
    client.force_login(cast.other_methodist)
    url = _url("questionnaire_detail", cast.other_muni, questionnaire_id=own.pk)
    assert client.get(url).status_code == 404
    # A curator of a school of the same municipality does not see the municipality's own.
    client.force_login(cast.curator)
    assert (
        client.get(_url("questionnaire_detail", cast.school, questionnaire_id=own.pk)).status_code
        == 404
    )


def _answer(invitation, value="5"):
    spec = form_spec(invitation.questionnaire)
    data = {}
    for section in spec:
        for q in section.questions:
            data[q.field] = (
                value if q.kind.startswith("scale") else "1" if q.kind == "yes_no" else "0"
            )
    from django.http import QueryDict

    qd = QueryDict(mutable=True)
    qd.update(data)
    parsed = parse(spec, qd)
    assert not parsed.errors, parsed.errors
    return response_save(invitation, parsed)


def test_editing_an_answered_questionnaire_creates_a_new_version(client, cast):
    from tests.monitoring.conftest import active_pair, invitations, invite, start_campaign

    questionnaire = builder.questionnaire_copy(
        actor=cast.methodist, source=standard("mentor_satisfaction"), organization=cast.muni
    )
    with tenant_scope(cast.muni):
        campaign = start_campaign(cast)
        campaign.mentor_questionnaire = questionnaire
        campaign.save()
    active_pair(cast.school)
    invite(cast, campaign)
    mentor_invitation = invitations(cast.school, role="mentor")[0]
    response_id = _answer(find_invitation(mentor_invitation.token))

    client.force_login(cast.methodist)
    first_question = questionnaire.questions.order_by("section__position", "position").first()
    url = _url("questionnaire_detail", cast.muni, questionnaire_id=questionnaire.pk)
    reply = client.post(
        url,
        {
            "op": "question_edit",
            "question": first_question.pk,
            "prefix": "e",
            "e-text": "Насколько вы довольны программой в целом?",
            "e-kind": "scale_10",
            "e-required": "on",
            "e-code": first_question.code,
        },
    )
    assert reply.status_code == 302, reply.content.decode()[:500]
    msgs = [str(m) for m in client.get(reply.url).context["messages"]]
    new = Questionnaire.objects.filter(family=questionnaire.family, version=2).first()
    assert new, msgs
    assert reply.url == _url("questionnaire_detail", cast.muni, questionnaire_id=new.pk)
    questionnaire.refresh_from_db()
    assert not questionnaire.is_current and new.is_current
    # The old version and its answers are untouched; the change landed on the copy.
    first_question.refresh_from_db()
    assert first_question.kind == "scale_5"
    assert new.questions.get(code=first_question.code).kind == "scale_10"
    with tenant_scope(cast.school):
        kept = Response.objects.get(pk=response_id)
        assert kept.questionnaire_id == questionnaire.pk
        assert {a.question.questionnaire_id for a in kept.answers.select_related("question")} == {
            questionnaire.pk
        }
    # A second change goes to version 2 in place: it has no answers yet.
    client.post(
        _url("questionnaire_detail", cast.muni, questionnaire_id=new.pk),
        {"op": "section_add", "new-title": "Ещё"},
    )
    assert Questionnaire.objects.filter(family=questionnaire.family).count() == 2
    # The old version is read-only.
    client.post(url, {"op": "section_add", "new-title": "В старую"})
    assert not questionnaire.sections.filter(title="В старую").exists()
    assert Question.objects.filter(questionnaire=new).count() == questionnaire.questions.count()
