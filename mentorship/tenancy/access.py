"""Access helpers: 404 for a foreign or missing object, 403 for the wrong role."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.permissions import BasePermission

from .resolution import TenantContext
from .rules import Rule

M = TypeVar("M", bound=models.Model)


def current_tenant(request: HttpRequest) -> TenantContext:
    """The request's tenant; a view outside /o/<slug>/ that asks for one is a bug: 404."""
    tenant = getattr(request, "tenant", None)
    if tenant is None:
        raise Http404(_("Организация не найдена."))
    return tenant


def require_roles(request: HttpRequest, *roles: str) -> TenantContext:
    tenant = current_tenant(request)
    if roles and not tenant.has_any(*roles):
        raise PermissionDenied(_("У вашей роли нет доступа к этому разделу."))
    return tenant


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def tenant_view(
    *roles: str | Rule, kinds: tuple[str, ...] | None = None, write: Rule | None = None
) -> Callable:
    """Decorate a view under /o/<slug>/: login → the page exists here (404) → the role (403).

    Give it a named `Rule` (mentorship/tenancy/rules.py), the one vocabulary shared with
    the API and the templates; `write` is the rule of a page's POST when it differs from
    reading it (a list that also creates). The older form, bare roles plus the
    organisation `kinds` where the page exists, is kept while the apps move to rules.
    """
    rule = roles[0] if len(roles) == 1 and isinstance(roles[0], Rule) else None

    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            if rule is not None:
                tenant = current_tenant(request)
                rule.check(tenant)
                if write is not None and request.method not in SAFE_METHODS:
                    write.check(tenant)
                return view(request, *args, **kwargs)
            tenant = current_tenant(request)
            if kinds is not None and tenant.organization.kind not in kinds:
                raise Http404(_("Такой страницы у этой организации нет."))
            require_roles(request, *roles)
            return view(request, *args, **kwargs)

        wrapped.tenant_rule = rule  # type: ignore[attr-defined]
        wrapped.tenant_write_rule = write or rule  # type: ignore[attr-defined]
        wrapped.tenant_roles = tuple(rule.roles) if rule else roles  # type: ignore[attr-defined]
        return wrapped

    return decorator


def get_in_tenant_or_404(queryset: models.QuerySet[M] | type[M], **lookup) -> M:
    """Fetch one row of the active tenant; another tenant's row is simply not found."""
    qs = queryset._default_manager.all() if isinstance(queryset, type) else queryset
    try:
        return qs.get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404(_("Запись не найдена.")) from None


class HasTenantRole(BasePermission):
    """DRF permission: the view's `tenant_roles` within the organisation of the URL."""

    message = gettext_lazy("У вашей роли нет доступа к этому разделу.")

    def has_permission(self, request, view) -> bool:
        tenant = getattr(request._request, "tenant", None)
        if tenant is None:
            raise Http404
        roles = getattr(view, "tenant_roles", ())
        return not roles or tenant.has_any(*roles)
