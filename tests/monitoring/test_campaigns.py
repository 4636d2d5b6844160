"""Campaigns: started by a methodist, seen per school, invitations only for consented
members of approved and active pairs, letters with the link, the QR sheet, isolation."""

import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from mentorship.tenancy.scoping import tenant_scope
from monitoring.models import Campaign, CampaignSchool, Channel
from monitoring.selectors.campaigns import eligible_members
from tests.factories import make_pair
from tests.monitoring.conftest import (
    active_pair,
    invitations,
    invite,
    school_row,
    standard,
)

pytestmark = pytest.mark.django_db


def _url(name, org, **kwargs):
    return reverse(f"monitoring:{name}", kwargs={"org_slug": org.slug, **kwargs})


def _campaign_post(**overrides):
    data = {
        "title": "Мониторинг — ноябрь 2026",
        "stage": "interim",
        "starts_on": "2026-11-02",
        "ends_on": "2026-11-30",
        "mentor_questionnaire": standard("mentor_satisfaction").pk,
        "mentee_questionnaire": standard("mentee_satisfaction").pk,
        "remind_every_days": 3,
    }
    data.update(overrides)
    return data


def test_methodist_starts_a_campaign_for_every_school(client, cast):
    client.force_login(cast.methodist)
    assert client.get(_url("campaign_list", cast.muni)).status_code == 200
    response = client.post(_url("campaign_list", cast.muni), _campaign_post())
    with tenant_scope(cast.muni):
        campaign = Campaign.objects.get()
    assert response.url == _url("campaign_detail", cast.muni, campaign_id=campaign.pk)
    assert campaign.organization == cast.muni and campaign.created_by == cast.methodist
    for school in (cast.school, cast.school2):
        with tenant_scope(school):
            assert CampaignSchool.objects.filter(campaign=campaign).count() == 1
    with tenant_scope(cast.other_school):
        assert not CampaignSchool.objects.exists()
    # Dates in the wrong order are refused in Russian.
    bad = client.post(_url("campaign_list", cast.muni), _campaign_post(ends_on="2026-10-01"))
    assert bad.status_code == 200 and "Окончание раньше начала" in bad.content.decode()


def test_only_the_methodist_starts_municipal_campaigns(client, cast):
    client.force_login(cast.department)
    assert client.post(_url("campaign_list", cast.muni), _campaign_post()).status_code == 403
    # A curator holds no role at the municipality at all: it is not theirs to see.
    client.force_login(cast.curator)
    assert client.post(_url("campaign_list", cast.muni), _campaign_post()).status_code == 404
    client.force_login(cast.viewer)
    assert client.post(_url("campaign_list", cast.school), _campaign_post()).status_code == 403


def test_curator_sees_the_campaign_at_the_school_and_invites(
    client, cast, campaign, django_capture_on_commit_callbacks
):
    pair = active_pair(cast.school, mentee_email="")
    proposed = make_pair(cast.school)  # not approved: not invited
    row = school_row(campaign, cast.school)
    client.force_login(cast.curator)
    listing = client.get(_url("campaign_list", cast.school)).content.decode()
    assert campaign.title in listing
    page = client.get(_url("school_campaign", cast.school, school_campaign_id=row.pk))
    assert page.status_code == 200
    assert "Пригласить участников: 2" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url("school_campaign_invite", cast.school, school_campaign_id=row.pk)
        )
    assert response.status_code == 302
    sent = invitations(cast.school)
    with tenant_scope(cast.school):
        paired = set(pair.members.values_list("participant_id", flat=True))
        only_proposed = set(proposed.members.values_list("participant_id", flat=True))
    assert {i.participant_id for i in sent} == paired
    assert not only_proposed & {i.participant_id for i in sent}
    by_role = {i.role: i for i in sent}
    assert by_role["mentor"].questionnaire == campaign.mentor_questionnaire
    assert by_role["mentee"].questionnaire == campaign.mentee_questionnaire
    assert by_role["mentor"].channel == Channel.EMAIL and by_role["mentor"].sent_at
    assert by_role["mentee"].channel == Channel.PRINT and not by_role["mentee"].sent_at
    assert len(by_role["mentor"].token) == 32

    # The letter is Russian and carries the personal link.
    assert len(mail.outbox) == 1
    letter = mail.outbox[0]
    assert letter.to == ["mentor@example.org"]
    assert f"/q/{by_role['mentor'].token}/" in letter.body
    assert "Ваша личная ссылка" in letter.body and "30.11" not in letter.subject

    # Inviting again creates nothing new and sends nothing twice.
    with django_capture_on_commit_callbacks(execute=True):
        invite(cast, campaign)
    assert len(invitations(cast.school)) == 2 and len(mail.outbox) == 1


def test_people_without_a_valid_consent_are_not_invited(cast, campaign):
    pair = active_pair(cast.school)
    with tenant_scope(cast.school):
        mentee = pair.members.get(role="mentee").participant
        # The nightly consent refresh found the consent expired.
        mentee.consent_state = "expired"
        mentee.save(update_fields=["consent_state"])
        members, refused = eligible_members(cast.school)
    assert [m.role for m in members] == ["mentor"] and refused == 1
    invite(cast, campaign)
    assert [i.role for i in invitations(cast.school)] == ["mentor"]


def test_withdrawing_consent_revokes_the_links(cast, invited):
    from registry.services.consent import consent_withdraw

    mentee = next(i for i in invited if i.role == "mentee").participant
    with tenant_scope(cast.school):
        consent_withdraw(actor=cast.curator, consent=mentee.consents.first(), reason="Отзыв")
    revoked = {i.role: i.revoked_at for i in invitations(cast.school)}
    assert revoked["mentee"] is not None and revoked["mentor"] is None


def test_qr_sheet_renders_inline_svg(client, cast, campaign, invited):
    row = school_row(campaign, cast.school)
    client.force_login(cast.curator)
    response = client.get(_url("school_campaign_sheet", cast.school, school_campaign_id=row.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('data-testid="card"') == 1  # the pupil without e-mail
    assert "<svg" in html and "/static/css/sheet.css" in html  # A4, dashed cut lines
    pupil = next(i for i in invited if i.role == "mentee")
    assert f"/q/{pupil.token}/" in html and pupil.participant.last_name in html
    # Our own static files only (the print button's behaviour): no inline script, no CDN.
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/js/confirm.js">']
    assert "https://" not in html
    everyone = client.get(
        _url("school_campaign_sheet", cast.school, school_campaign_id=row.pk) + "?all=1"
    )
    assert everyone.content.decode().count('data-testid="card"') == 2
    # The viewer reads the campaign page but does not print personal links.
    client.force_login(cast.viewer)
    url = _url("school_campaign_sheet", cast.school, school_campaign_id=row.pk)
    assert client.get(url).status_code == 403


def test_municipal_page_shows_counts_never_names(client, cast, campaign, invited):
    client.force_login(cast.methodist)
    response = client.get(_url("campaign_detail", cast.muni, campaign_id=campaign.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert cast.school.short_name in html and cast.school2.short_name in html
    for invitation in invited:
        assert invitation.participant.last_name not in html
        assert invitation.token not in html
    listing = client.get(_url("campaign_list", cast.muni)).content.decode()
    for invitation in invited:
        assert invitation.participant.last_name not in listing


def test_other_schools_and_municipalities_get_404(client, cast, campaign, invited):
    row = school_row(campaign, cast.school)
    client.force_login(cast.curator2)
    # Another school's row, at the curator's own address.
    url = _url("school_campaign", cast.school2, school_campaign_id=row.pk)
    assert client.get(url).status_code == 404
    assert (
        client.post(
            _url("school_campaign_invite", cast.school2, school_campaign_id=row.pk)
        ).status_code
        == 404
    )
    client.force_login(cast.other_methodist)
    url = _url("campaign_detail", cast.other_muni, campaign_id=campaign.pk)
    assert client.get(url).status_code == 404
    assert (
        client.post(_url("campaign_close", cast.other_muni, campaign_id=campaign.pk)).status_code
        == 404
    )


def test_closing_a_campaign(client, cast, campaign):
    client.force_login(cast.methodist)
    client.post(_url("campaign_close", cast.muni, campaign_id=campaign.pk))
    campaign.refresh_from_db()
    assert campaign.closed_at is not None and campaign.has_ended()


def test_curator_runs_a_school_campaign(client, cast):
    client.force_login(cast.curator)
    response = client.post(_url("campaign_list", cast.school), _campaign_post())
    with tenant_scope(cast.school):
        row = CampaignSchool.objects.select_related("campaign").get()
    assert row.campaign.organization == cast.school
    assert response.url == _url("school_campaign", cast.school, school_campaign_id=row.pk)
    assert row.campaign.starts_on == date(2026, 11, 2)


def test_a_schools_campaigns_are_its_staffs(client, cast, campaign):
    """`monitoring.campaigns` at a school: its curator and viewers, as in the API and the
    navigation; municipal roles read campaigns at the municipality, as counts."""
    row = school_row(campaign, cast.school)
    school_page = _url("school_campaign", cast.school, school_campaign_id=row.pk)
    for user in (cast.methodist, cast.department):
        client.force_login(user)
        assert client.get(_url("campaign_list", cast.school)).status_code == 403
        assert client.get(school_page).status_code == 403
    # A school viewer opens the list and the campaign, but is offered no form or button.
    client.force_login(cast.viewer)
    listing = client.get(_url("campaign_list", cast.school)).content.decode()
    assert school_page in listing and "Начать кампанию" not in listing
    page = client.get(school_page).content.decode()
    assert 'data-testid="invite"' not in page and 'data-testid="sheet-link"' not in page


def test_links_follow_the_rules(client, cast, campaign):
    """A role never sees a link it cannot open: the tabs and the close button."""
    # A methodist at a school reads questionnaires there, but not the school's campaigns.
    client.force_login(cast.methodist)
    page = client.get(_url("questionnaire_list", cast.school)).content.decode()
    assert f'href="{_url("campaign_list", cast.school)}"' not in page
    assert f'href="{_url("questionnaire_list", cast.school)}"' in page
    # The department reads a municipal campaign but does not close it.
    client.force_login(cast.department)
    detail = client.get(_url("campaign_detail", cast.muni, campaign_id=campaign.pk)).content
    assert _url("campaign_close", cast.muni, campaign_id=campaign.pk) not in detail.decode()
    client.force_login(cast.methodist)
    detail = client.get(_url("campaign_detail", cast.muni, campaign_id=campaign.pk)).content
    assert _url("campaign_close", cast.muni, campaign_id=campaign.pk) in detail.decode()


def test_a_campaign_that_has_ended_is_not_closed_early(cast, campaign):
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from monitoring.services.campaigns import campaign_close

    campaign.ends_on = timezone.localdate() - timedelta(days=1)
    campaign.save()
    with tenant_scope(cast.muni), pytest.raises(ValidationError, match="завершать её досрочно"):
        campaign_close(actor=cast.methodist, campaign=campaign)
