"""The viewset base of the registry API, until the core's `mentorship.api.TenantViewSet`
(the one base for every app, same interface) lands: input serializers per action, the
output serializer, the organisation in the serializer context, schema mode."""

from __future__ import annotations

from typing import Any

from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.viewsets import GenericViewSet

from mentorship.api import TenantViewSetMixin


class TenantViewSet(TenantViewSetMixin, GenericViewSet):
    # Serializers of the action's input; the output is always `serializer_class`.
    input_serializers: dict[str, type[BaseSerializer]] = {}

    def get_serializer_class(self) -> type[BaseSerializer]:
        return self.input_serializers.get(self.action or "", self.serializer_class)

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if not self.is_schema_view:
            context["organization"] = self.tenant.organization
        return context

    def valid_input(self, request: Request) -> dict[str, Any]:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def output(self, instance: Any, code: int = status.HTTP_200_OK) -> Response:
        data = self.serializer_class(instance, context=self.get_serializer_context()).data
        return Response(data, status=code)

    @property
    def is_schema_view(self) -> bool:
        # drf-spectacular builds the schema with no request and no tenant scope.
        return getattr(self, "swagger_fake_view", False)
