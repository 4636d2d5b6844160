"""The invitation's public page (/invite/<token>/): outside /o/<slug>/, the token is the key.

A forged or replaced token is a 404 like any missing page. A real one that can no
longer be used (accepted, revoked, expired, its organisation closed) says so in Russian.
Otherwise a person without an account sets a password here; one with an account logs
in (the page sends them to the login form and back) and accepts with a button.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from mentorship.forms.staff import AcceptForm
from mentorship.http import client_ip
from mentorship.models import Invitation, Role
from mentorship.ratelimit import hit
from mentorship.services.invitations import (
    InvitationNotFound,
    NewAccount,
    existing_account,
    find_invitation,
    invitation_accept,
    refusal,
)

__all__ = ["accept"]

# Guessing a 256-bit token is hopeless; the limit keeps the page from being a free
# oracle for load all the same.
REQUESTS_PER_MINUTE = 60
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _render(
    request: HttpRequest, invitation: Invitation, status: int = 200, **context
) -> HttpResponse:
    context = {
        "invitation": invitation,
        "organization": invitation.organization,
        "role_label": Role(invitation.role).label,
        "login_url": f"{reverse('login')}?{urlencode({'next': request.path})}",
        **context,
    }
    return render(request, "mentorship/staff/accept.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, token: str) -> HttpResponse:
    if not hit(f"invitation-page:ip:{client_ip(request) or 'unknown'}", REQUESTS_PER_MINUTE, 60):
        return render(request, "mentorship/staff/accept.html", {"throttled": True}, status=429)
    try:
        invitation = find_invitation(token)
    except InvitationNotFound:
        raise Http404(_("Приглашение не найдено: проверьте ссылку из письма.")) from None
    problem = refusal(invitation)
    if problem:
        return _render(request, invitation, status=410, problem=problem)
    account = existing_account(invitation)
    user = request.user if request.user.is_authenticated else None
    if account is not None:
        return _existing_account(request, token, invitation, account, user)
    if user is not None:
        # Someone else's session on this computer: accepting would mix two people up.
        return _render(request, invitation, status=409, other_user=user)
    form = AcceptForm(
        request.POST or None,
        email=invitation.email,
        initial={
            "last_name": invitation.last_name,
            "first_name": invitation.first_name,
            "patronymic": invitation.patronymic,
            "position": invitation.position,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new_account = NewAccount(
            password=data["password1"],
            last_name=data["last_name"],
            first_name=data["first_name"],
            patronymic=data["patronymic"],
            position=data["position"],
        )
        try:
            membership = invitation_accept(token=token, new_account=new_account)
        except (ValidationError, InvitationNotFound) as exc:
            return _render(request, invitation, status=409, problem=_message(exc))
        login(request, membership.user, backend=MODEL_BACKEND)
        return _welcome(request, membership)
    return _render(request, invitation, status=400 if form.errors else 200, form=form)


def _existing_account(request, token, invitation, account, user) -> HttpResponse:
    if user is None:
        return _render(request, invitation, needs_login=True)
    if user.pk != account.pk:
        return _render(request, invitation, status=409, other_user=user)
    if request.method == "POST":
        try:
            membership = invitation_accept(token=token, user=user)
        except (ValidationError, InvitationNotFound) as exc:
            return _render(request, invitation, status=409, problem=_message(exc))
        return _welcome(request, membership)
    return _render(request, invitation, confirm=True)


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return _("Приглашение не найдено: проверьте ссылку из письма.")


def _welcome(request: HttpRequest, membership) -> HttpResponse:
    messages.success(
        request,
        _("Добро пожаловать! Ваша роль — «%(role)s» в «%(organization)s».")
        % {
            "role": membership.get_role_display(),
            "organization": membership.organization.short_name,
        },
    )
    return redirect("org_home", org_slug=membership.organization.slug)
