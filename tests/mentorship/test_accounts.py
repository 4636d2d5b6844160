"""Log-in by e-mail, lockout, password reset — all in Russian."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from mentorship.models import User
from tests.factories import PASSWORD


def test_login_page_is_russian(client, db):
    body = client.get(reverse("login")).content.decode()
    assert "Вход в портал наставничества" in body
    assert "Электронная почта" in body
    assert 'href="/static/vendor/bootstrap/css/bootstrap.min.css"' in body


def test_login_by_email_ignores_case(client, cast):
    response = client.post(reverse("login"), {"username": "CURATOR@A1.test", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home"))["Location"] == reverse("org_home", args=["school-a1"])


def test_wrong_password_says_so_in_russian(client, cast):
    response = client.post(reverse("login"), {"username": "curator@a1.test", "password": "nope"})
    assert response.status_code == 200
    assert "Пожалуйста, введите правильные" in response.content.decode()


def test_repeated_failures_lock_the_account_with_a_russian_message(client, cast, settings):
    settings.AXES_ENABLED = True
    for _ in range(5):
        client.post(reverse("login"), {"username": "curator@a1.test", "password": "bad"})
    response = client.post(reverse("login"), {"username": "curator@a1.test", "password": PASSWORD})
    assert response.status_code == 429
    assert "Вход временно заблокирован" in response.content.decode()
    # The lock is per e-mail and address: a colleague behind the same NAT still logs in.
    ok = client.post(reverse("login"), {"username": "viewer@a1.test", "password": PASSWORD})
    assert ok.status_code == 302


def test_the_lockout_counts_every_spelling_of_one_e_mail_together(client, cast, settings):
    """Issue 11, finding 2: 4 wrong passwords under each of 5 case variants, then the
    right password logged in. Every spelling is one login and one counter."""
    settings.AXES_ENABLED = True
    variants = ["curator@a1.test", "CURATOR@A1.TEST", "Curator@A1.test", " curator@a1.TEST "]
    for variant in variants:
        response = client.post(reverse("login"), {"username": variant, "password": "bad"})
        assert response.status_code == 200
    client.post(reverse("login"), {"username": "cUrAtOr@a1.test", "password": "bad"})
    for variant in [*variants, "curator@A1.test"]:
        response = client.post(reverse("login"), {"username": variant, "password": PASSWORD})
        assert response.status_code == 429, variant
    assert not client.session.get("_auth_user_id")
    # Another address is another counter: the colleague behind the same NAT is not locked,
    # and the same e-mail from elsewhere is not locked by someone guessing it here.
    assert (
        client.post(
            reverse("login"), {"username": "VIEWER@a1.test", "password": PASSWORD}
        ).status_code
        == 302
    )
    other = Client()
    response = other.post(
        reverse("login"),
        {"username": "curator@a1.test", "password": PASSWORD},
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code == 302


def test_a_stored_e_mail_is_lower_case_and_login_trims_spaces(client, cast):
    user = User.objects.create_user(email="  New.Person@School.RU", password=PASSWORD)
    assert user.email == "new.person@school.ru"
    response = client.post(
        reverse("login"), {"username": " NEW.person@school.ru ", "password": PASSWORD}
    )
    assert response.status_code == 302


def test_password_reset_is_throttled_per_address_and_per_client(client, cast, mailoutbox, settings):
    settings.PASSWORD_RESET_PER_EMAIL = 3
    settings.PASSWORD_RESET_PER_IP = 5
    url = reverse("password_reset")
    codes = [client.post(url, {"email": "Curator@a1.test"}).status_code for _ in range(5)]
    assert codes == [302, 302, 302, 429, 429]
    assert len(mailoutbox) == 3
    assert (
        "Слишком много запросов" in client.post(url, {"email": "curator@a1.test"}).content.decode()
    )
    # Per client address: another e-mail from the same address hits the address's limit,
    # counted with every request above (6 so far), whether the e-mail exists or not.
    assert client.post(url, {"email": "viewer@a1.test"}).status_code == 429
    assert len(mailoutbox) == 3
    # Another address may still ask for another e-mail.
    response = client.post(url, {"email": "viewer@a1.test"}, REMOTE_ADDR="198.51.100.2")
    assert response.status_code == 302
    assert len(mailoutbox) == 4


def test_logout_needs_post_and_ends_the_session(client, cast):
    client.force_login(cast.curator)
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert client.get(reverse("org_home", args=["school-a1"])).status_code == 302


def test_password_reset_sends_a_russian_letter_with_a_working_link(client, cast):
    client.post(reverse("password_reset"), {"email": "curator@a1.test"})
    assert len(mail.outbox) == 1
    letter = mail.outbox[0]
    assert "Восстановление пароля" in letter.subject
    link = re.search(r"http://testserver(/accounts/reset/\S+)", letter.body).group(1)
    form_page = client.get(link, follow=True)
    assert "Новый пароль" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Novyi-parol-2026", "new_password2": "Novyi-parol-2026"},
    )
    assert done.status_code == 302
    assert client.login(username="curator@a1.test", password="Novyi-parol-2026")


def test_password_change_requires_old_password(client, cast):
    client.force_login(cast.curator)
    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": "Abc-12345-x", "new_password2": "Abc-12345-x"},
    )
    assert "старый пароль" in response.content.decode().lower()


@pytest.mark.parametrize("path", ["/no-such-page/", "/o/nowhere/"])
def test_not_found_page_is_russian(client, cast, path):
    client.force_login(cast.curator)
    response = client.get(path)
    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()
