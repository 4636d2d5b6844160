"""Logging in by e-mail, the lockout and the password-reset throttle.

An e-mail is one login however it is typed: stored lower-case, compared lower-case,
and counted lower-case by django-axes (`lockout_username`), so «Curator@School.ru» and
«curator@school.ru » share one failure counter (issue 11: four tries under each of five
case variants used to pass the lock).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from mentorship.http import client_ip
from mentorship.ratelimit import hit

logger = logging.getLogger(__name__)


def normalize_login(value: object) -> str:
    """The one form of an e-mail used as a login: trimmed, lower-case."""
    return str(value or "").strip().lower()


def lockout_username(request: HttpRequest, credentials: dict | None = None) -> str:
    """AXES_USERNAME_CALLABLE: the normalised e-mail, from the credentials or the form."""
    if credentials:
        raw = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        data = getattr(request, "data", None) or request.POST
        raw = data.get(settings.AXES_USERNAME_FORM_FIELD)
    return normalize_login(raw)


class EmailLoginForm(AuthenticationForm):
    """Django's login form, with the e-mail normalised before it reaches the backends
    (and django-axes, which reads the credentials passed to `authenticate`)."""

    def clean_username(self) -> str:
        return normalize_login(self.cleaned_data.get("username"))


class LoginView(auth_views.LoginView):
    form_class = EmailLoginForm
    redirect_authenticated_user = True


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Password reset, at most a few letters per address and per client address an hour.

    Without it one request a second fills a colleague's inbox (12 letters in seconds in
    the hardening run). Past the limit the form answers 429 with a Russian message and
    sends nothing; the limit counts every request, whether the address has an account
    or not, so it says nothing about who is registered.
    """

    def form_valid(self, form):
        email = normalize_login(form.cleaned_data.get("email"))
        ip = client_ip(self.request) or "unknown"
        window = settings.PASSWORD_RESET_THROTTLE_WINDOW
        # Both counters count every request, so neither limit can be dodged by the other.
        email_ok = hit(f"password-reset:email:{email}", settings.PASSWORD_RESET_PER_EMAIL, window)
        ip_ok = hit(f"password-reset:ip:{ip}", settings.PASSWORD_RESET_PER_IP, window)
        if not (email_ok and ip_ok):
            logger.info("Password reset throttled for %s from %s", email, ip)
            return throttled(self.request)
        return super().form_valid(form)


def throttled(request: HttpRequest) -> HttpResponse:
    message = _(
        "Слишком много запросов на восстановление пароля. Письмо уже отправлено, "
        "проверьте почту (и папку «Спам») или попробуйте через час."
    )
    return render(request, "registration/throttled.html", {"message": message}, status=429)
