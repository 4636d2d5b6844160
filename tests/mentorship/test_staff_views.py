"""The staff page, its actions, the navigation entries and the public invitation page."""

from datetime import timedelta

import lxml.html
import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentorship.models import Invitation, Membership, Role, User
from tests.factories import MembershipFactory, UserFactory, make_invitation
from tests.mentorship.staff_helpers import invite, last_token

PASSWORD = "Nastavnik-2026!"


def _doc(response):
    return lxml.html.fromstring(response.content.decode())


def _emails(doc, testid):
    return [row.get("data-email") for row in doc.xpath(f'//tr[@data-testid="{testid}"]')]


def test_the_staff_page_lists_people_roles_last_login_and_open_invitations(client, cast):
    User.objects.filter(pk=cast.curator.pk).update(last_login=timezone.now())
    make_invitation(cast.school, role=Role.SCHOOL_VIEWER, email="deputy@a1.test")
    client.force_login(cast.methodist)
    response = client.get("/o/school-a1/staff/")
    assert response.status_code == 200
    doc = _doc(response)
    assert set(_emails(doc, "member")) == {"curator@a1.test", "viewer@a1.test"}
    assert _emails(doc, "invitation") == ["deputy@a1.test"]
    text = doc.text_content()
    assert "Куратор" in text and "Наблюдатель школы" in text and "не входил(а)" in text
    # The methodist may invite curators and viewers here.
    options = doc.xpath('//form[@data-testid="invite-form"]//select[@name="role"]/option/@value')
    assert options == ["curator", "school_viewer"]


def test_a_curator_invites_only_viewers_and_a_viewer_only_reads(client, cast):
    client.force_login(cast.curator)
    doc = _doc(client.get("/o/school-a1/staff/"))
    assert doc.xpath('//form[@data-testid="invite-form"]//select[@name="role"]/option/@value') == [
        "school_viewer"
    ]
    client.force_login(cast.viewer)
    response = client.get("/o/school-a1/staff/")
    assert response.status_code == 200
    assert not _doc(response).xpath('//form[@data-testid="invite-form"]')
    assert client.post("/o/school-a1/staff/invite/", {"email": "x@x.ru"}).status_code == 403


def test_who_reaches_which_staff_page(client, cast):
    expected = {
        ("school_viewer", "school-a1"): 200,
        ("department", "school-a1"): 200,
        ("regional", "school-a1"): 403,
        ("regional", "muni"): 200,
        ("regional", "region"): 200,
        ("methodist", "region"): 404,
        ("curator", "school-a2"): 404,
        ("methodist", "muni-b"): 404,
    }
    for (role, slug), code in expected.items():
        client.force_login(cast.users_by_role()[role])
        assert client.get(f"/o/{slug}/staff/").status_code == code, (role, slug)


def test_inviting_from_the_page_sends_the_letter(client, cast, django_capture_on_commit_callbacks):
    client.force_login(cast.methodist)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/o/school-a2/staff/invite/",
            {
                "email": "new@a2.test",
                "last_name": "Новикова",
                "first_name": "Ирина",
                "role": "curator",
            },
        )
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["new@a2.test"]
    page = client.get("/o/school-a2/staff/")
    assert _emails(_doc(page), "invitation") == ["new@a2.test"]
    assert "отправлено" in page.content.decode()


def test_a_forged_role_is_refused_on_the_page(client, cast):
    client.force_login(cast.curator)
    response = client.post(
        "/o/school-a1/staff/invite/", {"email": "boss@a1.test", "role": "curator"}
    )
    assert response.status_code == 400
    assert "Выберите корректный вариант" in response.content.decode()
    assert not Invitation.objects.exists()


def test_row_actions(client, cast, django_capture_on_commit_callbacks):
    invitation, _token = invite(
        django_capture_on_commit_callbacks,
        actor=cast.methodist,
        organization=cast.school,
        role=Role.SCHOOL_VIEWER,
        email="row@a1.test",
    )
    client.force_login(cast.methodist)
    with django_capture_on_commit_callbacks(execute=True):
        resend = client.post(f"/o/school-a1/staff/invitations/{invitation.pk}/resend/")
    assert resend.status_code == 302 and len(mail.outbox) == 2
    revoke = client.post(f"/o/school-a1/staff/invitations/{invitation.pk}/revoke/", follow=True)
    assert "отозвано" in revoke.content.decode()
    assert Invitation.objects.get().revoked_at is not None

    viewer = Membership.objects.get(user=cast.viewer)
    client.post(f"/o/school-a1/staff/members/{viewer.pk}/role/", {"role": "curator"})
    viewer.refresh_from_db()
    assert viewer.role == Role.CURATOR
    client.post(f"/o/school-a1/staff/members/{viewer.pk}/end/")
    assert not Membership.objects.filter(pk=viewer.pk).exists()


def test_a_refused_row_action_is_a_russian_message(client, cast):
    own = Membership.objects.get(user=cast.curator)
    other = MembershipFactory(user=UserFactory(), organization=cast.school, role=Role.CURATOR)
    client.force_login(cast.curator)
    response = client.post(f"/o/school-a1/staff/members/{other.pk}/end/", follow=True)
    assert "Вы не можете назначать роль «Куратор»" in response.content.decode()
    response = client.post(f"/o/school-a1/staff/members/{own.pk}/end/", follow=True)
    assert "Свои роли менять нельзя" in response.content.decode()
    assert Membership.objects.filter(pk__in=[own.pk, other.pk]).count() == 2
    # Another school's membership is simply not found from here.
    stranger = Membership.objects.get(user=cast.curator2)
    assert client.post(f"/o/school-a1/staff/members/{stranger.pk}/end/").status_code == 404


def _staff_page_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/o/school-a1/staff/")
        response.content  # noqa: B018 - render everything lazy
    assert response.status_code == 200
    return len(queries)


def test_the_staff_page_costs_the_same_queries_whatever_the_rows(client, cast):
    client.force_login(cast.methodist)
    _staff_page_queries(client)  # the first request of a session also touches the session
    few = _staff_page_queries(client)
    for _n in range(15):
        MembershipFactory(user=UserFactory(), organization=cast.school, role=Role.SCHOOL_VIEWER)
        make_invitation(cast.school, role=Role.CURATOR, invited_by=cast.methodist)
    assert _staff_page_queries(client) == few
    # Session, user, organisation, roles; members, invitations; the switcher (2), the bell.
    assert few == 9, few


# --- Navigation ---------------------------------------------------------------------------


def _sections(client, url):
    doc = _doc(client.get(url))
    return [
        a.text_content().strip() for a in doc.xpath("//nav[contains(@class, 'section-nav')]//a")
    ]


def test_the_sections_bar_offers_staff_and_organisations_to_whom_they_open(client, cast):
    client.force_login(cast.methodist)
    muni = _sections(client, "/o/muni/")
    assert "Сотрудники" in muni and "Организации" in muni
    client.force_login(cast.department)
    muni = _sections(client, "/o/muni/")
    assert "Сотрудники" in muni and "Организации" not in muni
    client.force_login(cast.regional)
    region = _sections(client, "/o/region/")
    assert "Сотрудники" in region and "Организации" in region
    assert "Сотрудники" not in _sections(client, "/o/school-a1/")
    client.force_login(cast.viewer)
    assert "Сотрудники" in _sections(client, "/o/school-a1/")


# --- The public invitation page -----------------------------------------------------------


def test_a_forged_token_is_a_404(client, cast):
    response = client.get("/invite/" + "A" * 43 + "/")
    assert response.status_code == 404
    assert client.get("/invite/short/").status_code == 404


def test_a_new_person_sets_a_password_and_lands_at_home(
    client, cast, django_capture_on_commit_callbacks
):
    _invitation, token = invite(
        django_capture_on_commit_callbacks,
        actor=cast.methodist,
        organization=cast.school2,
        role=Role.CURATOR,
        email="anna@a2.test",
        last_name="Сидорова",
        first_name="Анна",
    )
    url = f"/invite/{token}/"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Роль «Куратор» в организации «Школа А2» для anna@a2.test" in html
    assert 'value="Сидорова"' in html
    weak = client.post(
        url, {"last_name": "Сидорова", "first_name": "Анна", "password1": "123", "password2": "123"}
    )
    assert weak.status_code == 400 and "слишком короткий" in weak.content.decode().lower()
    done = client.post(
        url,
        {
            "last_name": "Сидорова",
            "first_name": "Анна",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        follow=True,
    )
    assert done.redirect_chain[-1][0] == "/o/school-a2/"
    assert "Добро пожаловать" in done.content.decode()
    assert Membership.objects.filter(user__email="anna@a2.test", role="curator").exists()
    # Used: the same link says so in Russian.
    client.logout()
    again = client.get(url)
    assert again.status_code == 410 and "уже принято" in again.content.decode()


def test_an_expired_or_revoked_link_says_so(client, cast, django_capture_on_commit_callbacks):
    invitation, token = invite(
        django_capture_on_commit_callbacks,
        actor=cast.methodist,
        organization=cast.school,
        role=Role.CURATOR,
        email="late@a1.test",
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    response = client.get(f"/invite/{token}/")
    assert response.status_code == 410 and "Срок приглашения истёк" in response.content.decode()
    posted = client.post(f"/invite/{token}/", {"password1": PASSWORD, "password2": PASSWORD})
    assert posted.status_code == 410 and not User.objects.filter(email="late@a1.test").exists()
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() + timedelta(days=1), revoked_at=timezone.now()
    )
    assert "отозвано" in client.get(f"/invite/{token}/").content.decode()


def test_an_existing_account_logs_in_and_accepts(client, cast, django_capture_on_commit_callbacks):
    _invitation, token = invite(
        django_capture_on_commit_callbacks,
        actor=cast.curator2,
        organization=cast.school2,
        role=Role.SCHOOL_VIEWER,
        email="curator@a1.test",
    )
    url = f"/invite/{token}/"
    page = client.get(url)
    assert page.status_code == 200 and 'data-testid="needs-login"' in page.content.decode()
    assert f"next=%2Finvite%2F{token}%2F" in page.content.decode()
    # Signed in as somebody else: not accepted for them.
    client.force_login(cast.viewer)
    assert client.post(url).status_code == 409
    client.force_login(cast.curator)
    assert 'data-testid="accept"' in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == "/o/school-a2/"
    assert Membership.objects.filter(user=cast.curator, organization=cast.school2).exists()


def test_a_new_person_with_someone_elses_session_is_told_to_log_out(
    client, cast, django_capture_on_commit_callbacks
):
    _invitation, token = invite(
        django_capture_on_commit_callbacks,
        actor=cast.methodist,
        organization=cast.school,
        role=Role.SCHOOL_VIEWER,
        email="psy@a1.test",
    )
    client.force_login(cast.curator)
    response = client.get(f"/invite/{token}/")
    assert response.status_code == 409 and "Выйдите" in response.content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_invitation_page_is_throttled_per_address(client, cast, settings, method, monkeypatch):
    from mentorship.views import invitations

    monkeypatch.setattr(invitations, "REQUESTS_PER_MINUTE", 2)
    codes = [getattr(client, method)("/invite/" + "B" * 43 + "/").status_code for _ in range(3)]
    assert codes == [404, 404, 429]


def test_the_letters_link_is_the_one_the_page_takes(
    client, cast, django_capture_on_commit_callbacks
):
    invite(
        django_capture_on_commit_callbacks,
        actor=cast.regional,
        organization=cast.muni,
        role=Role.METHODIST,
        email="second.methodist@a.test",
    )
    assert client.get(f"/invite/{last_token('second.methodist@a.test')}/").status_code == 200
