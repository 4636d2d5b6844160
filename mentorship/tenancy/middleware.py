"""Resolve the organisation from /o/<slug>/ once per request and run the view in its scope."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from .resolution import TenantContext, load_organization, roles_in
from .scoping import tenant_scope

URL_KWARG = "org_slug"


def _token_user(request: HttpRequest):
    """API clients authenticate by token inside DRF's view; tenancy must know them sooner."""
    try:
        result = TokenAuthentication().authenticate(request)
    except AuthenticationFailed:
        return None
    return result[0] if result else None


def _is_html(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


def _api_not_found(message: str | None = None) -> JsonResponse:
    return JsonResponse({"detail": message or _("Страница не найдена.")}, status=404)


class TenantMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.tenant = None
        is_api = request.path_info.startswith("/api/")
        try:
            match = resolve(request.path_info, getattr(request, "urlconf", None))
        except Resolver404:
            response = self.get_response(request)
            # The API answers JSON even under DEBUG, whose 404 page is HTML (a client, or
            # schemathesis, reads the body as the schema's Error). CommonMiddleware's
            # APPEND_SLASH redirect still applies: it runs on the way out.
            if is_api and response.status_code == 404 and _is_html(response):
                return _api_not_found()
            return response
        slug = match.kwargs.get(URL_KWARG)
        if slug is None:
            return self.get_response(request)
        if getattr(match.func, "tenant_token_view", False):
            # A feed opened by a secret token in its URL (a calendar app has no login):
            # the view resolves the organisation and the token itself and fails closed.
            return self.get_response(request)

        user = request.user
        if not user.is_authenticated and is_api:
            user = _token_user(request) or user
        if not user.is_authenticated:
            if is_api:
                return JsonResponse({"detail": _("Требуется вход в систему.")}, status=401)
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)

        organization = load_organization(slug)
        roles = roles_in(user, organization) if organization else frozenset()
        if not roles:
            # A stranger's organisation and a missing one look the same.
            if is_api:
                return _api_not_found(_("Организация не найдена."))
            raise Http404(_("Организация не найдена."))
        request.tenant = TenantContext(organization=organization, roles=roles)
        with tenant_scope(organization):
            return self.get_response(request)
