"""Shared pieces of the REST API: the one viewset base, its schema and the error handler.

Every API view under /api/v1/o/<org_slug>/ runs after TenantMiddleware has resolved the
organisation and activated its scope, so querysets are already limited to the tenant.
What is left to the view is the role: which roles may run which action, at which level
of the organisation tree. That is a per-action map on the viewset, read by
`HasTenantRole`, so the rule sits next to the code it guards and can be read at a glance.

`TenantViewSet` is the only base of the apps' viewsets: input serializers per action,
one output serializer, the tenant's organisation in the serializer context, and a
schema mode for drf-spectacular.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer, as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.viewsets import GenericViewSet

from mentorship.api.schema import PortalAutoSchema
from mentorship.conflicts import conflict_from
from mentorship.models import Role
from mentorship.query import BadQuery
from mentorship.tenancy.access import HasTenantRole, current_tenant, get_in_tenant_or_404
from mentorship.tenancy.resolution import TenantContext
from mentorship.tenancy.rules import MUNICIPALITY, REGION, SCHOOL, level_of

__all__ = [
    "MUNICIPALITY",
    "REGION",
    "SCHOOL",
    "RolesByLevel",
    "TenantAutoSchema",
    "TenantViewSet",
    "exception_handler",
    "tenant_level",
]

# Roles per level: {"school": (...), "municipality": (...)}. A level that is absent means
# the endpoint does not exist there (404), as a school page opened at a municipality's
# address does not exist in the web UI either.
RolesByLevel = Mapping[str, tuple[str, ...]]


def tenant_level(tenant: TenantContext) -> str:
    """The tenant's level of the organisation tree (SCHOOL, MUNICIPALITY or REGION)."""
    return level_of(tenant.organization)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus services' Django ValidationError as a 400 with its message,
    and a collision (a service's Conflict, a unique violation) as a 409.

    Services validate state and raise Django's ValidationError with Russian messages;
    the API passes those on unchanged, shaped like serializer errors
    ({"field": [...]} or {"non_field_errors": [...]}). A Conflict (the thing exists
    already, or was changed a moment ago by another request; mentorship/conflicts.py) has
    the same shape with 409.
    """
    if isinstance(exc, BadQuery):
        # A query parameter the view could not read (mentorship/query.py): the 400 of a
        # FilterSet's errors, {"year": ["…"]}.
        exc = exceptions.ValidationError(detail=exc.errors)
    conflict = conflict_from(exc)
    if conflict is not None:
        return Response(as_serializer_error(conflict), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=as_serializer_error(exc))
    return drf_exception_handler(exc, context)


LEVEL_LABELS = {SCHOOL: gettext_lazy("в школе"), MUNICIPALITY: gettext_lazy("в муниципалитете")}


class TenantAutoSchema(PortalAutoSchema):
    """The OpenAPI operation of a tenant viewset: its summary, tag and who may call it.

    The roles in the description are read from `action_roles`, the same map the
    permission check uses, so the documentation cannot drift from the rule.
    """

    def _action(self) -> str:
        return getattr(self.view, "action", None) or self.method.lower()

    def get_summary(self) -> str | None:
        summary = getattr(self.view, "action_summaries", {}).get(self._action())
        return str(summary) if summary else None

    def get_description(self) -> str:
        rule = getattr(self.view, "action_roles", {}).get(self._action(), {})
        parts = [
            f"{LEVEL_LABELS.get(level, level)}: {', '.join(str(Role(r).label) for r in roles)}"
            for level, roles in rule.items()
        ]
        return _("Доступно — %(roles)s.") % {"roles": "; ".join(parts)} if parts else ""

    def get_tags(self) -> list[str]:
        return list(getattr(self.view, "schema_tags", None) or super().get_tags())


class TenantViewSet(GenericViewSet):
    """The base of every API viewset: authentication, the tenant, a role per action.

    Subclasses declare `action_roles`: action name → roles per level (a
    `mentorship.tenancy.rules.Rule` is such a map). An action missing from the map is a
    programming error and fails loudly instead of falling open (`HasTenantRole` lets
    everybody in when a view names no roles).

    Input is read with the action's serializer from `input_serializers` (`valid_input`),
    output is written with `serializer_class` (`output`).
    """

    action_roles: ClassVar[Mapping[str, RolesByLevel]] = {}
    # Serializers of the action's input; the output is always `serializer_class`.
    input_serializers: ClassVar[Mapping[str, type[BaseSerializer]]] = {}
    # Shown in the OpenAPI schema: a short Russian name per action, and the group.
    action_summaries: ClassVar[dict[str, str | Promise]] = {}
    schema_tags: ClassVar[list[str]] = []
    schema = TenantAutoSchema()
    permission_classes = [permissions.IsAuthenticated, HasTenantRole]

    @property
    def tenant(self) -> TenantContext:
        return current_tenant(self.request._request)

    @property
    def tenant_roles(self) -> tuple[str, ...]:
        """The roles `HasTenantRole` checks: those of this action at this tenant's level."""
        action = self.action
        if not self.action_roles:
            raise ImproperlyConfigured(f"{type(self).__name__} declares no action_roles")
        if action is None or action == "metadata":
            # OPTIONS, or a method the endpoint lacks: anyone with some role here may
            # learn that (200 / 405); the rest get 403 as for the actions themselves.
            return tuple(
                {r for rule in self.action_roles.values() for roles in rule.values() for r in roles}
            )
        if action not in self.action_roles:
            raise ImproperlyConfigured(f"{type(self).__name__}.action_roles lacks {action!r}")
        roles = self.action_roles[action].get(tenant_level(self.tenant))
        if not roles:
            raise Http404(_("Такой страницы у этой организации нет."))
        return roles

    def get_object(self) -> Any:
        """The row named by the URL within the tenant; a stranger's row is a Russian 404.

        Query filters of the list do not apply here: `?status=done` on a detail URL
        must not turn an existing row into a 404.
        """
        lookup_url_kwarg = self.lookup_url_kwarg or self.lookup_field
        obj = get_in_tenant_or_404(
            self.get_queryset(),
            **{self.lookup_field: self.kwargs[lookup_url_kwarg]},
        )
        self.check_object_permissions(self.request, obj)
        return obj

    def get_exception_handler(self) -> Callable[[Exception, dict[str, Any]], Response | None]:
        # Scoped to tenant viewsets, so settings.REST_FRAMEWORK stays as it is.
        return exception_handler

    @property
    def is_schema_view(self) -> bool:
        # drf-spectacular builds the schema with no request and no tenant scope.
        return getattr(self, "swagger_fake_view", False)

    def get_serializer_class(self) -> type[BaseSerializer]:
        return self.input_serializers.get(self.action or "", self.serializer_class)

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if not self.is_schema_view:
            context["organization"] = self.tenant.organization
        return context

    def valid_input(self, request: Request, **context: Any) -> dict[str, Any]:
        """The action's input, validated (400 otherwise); `context` adds to the serializer's."""
        serializer = self.get_serializer(
            data=request.data, context={**self.get_serializer_context(), **context}
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def output(self, instance: Any, code: int = status.HTTP_200_OK) -> Response:
        data = self.serializer_class(instance, context=self.get_serializer_context()).data
        return Response(data, status=code)
