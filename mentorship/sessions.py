"""Staff sessions last a working day and end after an idle spell.

A session holds two timestamps: when the person logged in and when they were last
seen. Past `SESSION_IDLE_TIMEOUT` without a request, or `SESSION_MAX_AGE` after the
login, the session ends and the next page asks to log in again with a Russian message.
"Last seen" is written at most once per `SESSION_TOUCH_INTERVAL`, so ordinary pages do
not write the session on every request (the pages' query counts stay fixed).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

LOGGED_IN_AT = "portal_logged_in_at"
SEEN_AT = "portal_seen_at"


@receiver(user_logged_in, dispatch_uid="mentorship.sessions.stamp_login")
def _stamp_login(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[LOGGED_IN_AT] = now
        request.session[SEEN_AT] = now


class SessionTimeoutMiddleware:
    """After AuthenticationMiddleware: ends stale sessions before any view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            self._check(request)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        session = request.session
        now = int(time.time())
        logged_in = session.get(LOGGED_IN_AT)
        seen = session.get(SEEN_AT)
        if logged_in is None or seen is None:
            # A session from before this rule: start its clock now.
            session[LOGGED_IN_AT] = logged_in or now
            session[SEEN_AT] = now
            return
        idle = now - seen > settings.SESSION_IDLE_TIMEOUT
        too_old = now - logged_in > settings.SESSION_MAX_AGE
        if idle or too_old:
            logout(request)
            messages.info(
                request,
                _("Сеанс завершён после перерыва в работе. Войдите снова.")
                if idle
                else _("Рабочий сеанс закончился. Войдите снова."),
            )
            return
        if now - seen > settings.SESSION_TOUCH_INTERVAL:
            session[SEEN_AT] = now
