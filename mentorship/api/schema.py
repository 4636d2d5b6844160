"""The OpenAPI schema as the API really answers: its errors, and blank values.

drf-spectacular documents the success of each operation only; a client (or schemathesis)
reading the schema then takes our 401, 403, 404 and 409 for undocumented behaviour.
`PortalAutoSchema` (settings.REST_FRAMEWORK's DEFAULT_SCHEMA_CLASS, and the base of
`TenantAutoSchema`) adds them to every operation where they can happen, all with one
body, `Error`, which is what the error paths write:

- 401 (no login, no valid token: mentorship/tenancy/middleware.py), 403 (a role that may
  not), 404 (a stranger's or missing organisation or row, a route absent at this level),
  a malformed body: `{"detail": "…"}` (DRF, mentorship/errors.py);
- 400 (validation, a junk query parameter: mentorship/query.py) and 409 (a collision:
  mentorship/conflicts.py): messages per field, `{"field": ["…"]}` or
  `{"non_field_errors": ["…"]}` (mentorship/api/base.py:exception_handler).

Blank values: a model field with `blank=True` shown through a read-only serializer field
(a participant without e-mail, an activity without an evidence link) is written as "",
which `format: email` / `format: uri` reject. Such fields say so, as drf-spectacular
already does for writable fields with `allow_blank`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

__all__ = ["THROTTLED", "ErrorSerializer", "PortalAutoSchema", "error_codes"]

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
BLANK_FORMATS = frozenset({"email", "uri"})

ERROR_DESCRIPTIONS = {
    "400": _("Неверные данные или параметры запроса: сообщения по полям."),
    "401": _("Нужен вход: сеанс или заголовок Authorization: Token …"),
    "403": _("У пользователя нет роли, которой разрешено это действие."),
    "404": _("Организация или объект не найдены (или чужие), либо действия нет на этом уровне."),
    "409": _("Столкновение: то же самое уже сделано или изменено другим запросом."),
}


class ErrorSerializer(serializers.Serializer):
    """The body of every error answer (its schema: `ErrorSchema` below)."""

    detail = serializers.CharField(required=False)


class ErrorSchema(OpenApiSerializerExtension):
    target_class = ErrorSerializer

    def get_name(self, auto_schema: AutoSchema, direction: str) -> str:
        return "Error"

    def map_serializer(self, auto_schema: AutoSchema, direction: str) -> dict[str, Any]:
        messages = {"type": "array", "items": {"type": "string"}}
        return {
            "type": "object",
            "description": str(
                _(
                    'Ошибка. 401, 403, 404 и неразборчивый запрос: {"detail": "…"}. '
                    "Проверка данных (400) и столкновение (409): сообщения по полям, "
                    '{"поле": ["…"]} или {"non_field_errors": ["…"]}; у вложенных '
                    "полей — объект с сообщениями по их полям."
                )
            ),
            "properties": {"detail": {"type": "string"}, "non_field_errors": messages},
            # A field's messages, or for a nested field an object of its own fields'.
            "additionalProperties": {"anyOf": [{"type": "array"}, {"type": "object"}]},
        }


# The 429 of the operations that send invitations (mentorship/services/invitations.py).
THROTTLED = OpenApiResponse(
    ErrorSerializer, description=_("Слишком много приглашений за час: повторите позже.")
)


def error_codes(method: str, *, has_input: bool, has_path_parameters: bool) -> list[str]:
    """The error statuses an operation can answer."""
    codes = ["401", "403"]
    if has_input:
        codes.append("400")
    if has_path_parameters:
        codes.append("404")
    if method in WRITE_METHODS:
        codes.append("409")
    return sorted(codes)


def _blank_allowed(field: serializers.Field) -> bool:
    if getattr(field, "allow_blank", False):
        return True
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or not field.read_only or "." in (field.source or ""):
        return False
    try:
        return bool(model._meta.get_field(field.source).blank)
    except FieldDoesNotExist:
        return False


class PortalAutoSchema(AutoSchema):
    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        # A read-only choice of a blank-able model field is written as "": its enum says
        # so (drf-spectacular adds "" for allow_blank, which DRF leaves unset here).
        if (
            isinstance(field, serializers.ChoiceField)
            and not field.allow_blank
            and _blank_allowed(field)
        ):
            field.allow_blank = True
        return super()._map_serializer_field(field, direction, bypass_extensions)

    def _insert_field_validators(self, field, schema) -> None:
        super()._insert_field_validators(field, schema)
        if (
            schema.get("type") == "string"
            and schema.get("format") in BLANK_FORMATS
            and "oneOf" not in schema
            and _blank_allowed(field)
        ):
            # The shape drf-spectacular gives a writable field with allow_blank (it sees
            # only allow_blank, which DRF does not set on a model's read-only fields).
            outer = {"readOnly", "writeOnly", "nullable", "deprecated", "description", "title"}
            inner = {k: schema.pop(k) for k in list(schema) if k not in outer}
            schema["oneOf"] = [inner, {"type": "string", "maxLength": 0}]

    def _get_response_bodies(self, direction="response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        parameters = self._get_parameters()
        # A write may be refused by the service's own rules (400) even without a body.
        has_input = self.method in WRITE_METHODS or any(p.get("in") == "query" for p in parameters)
        codes = error_codes(
            self.method,
            has_input=has_input,
            has_path_parameters=any(p.get("in") == "path" for p in parameters),
        )
        error: ResolvedComponent | None = None
        for code in codes:
            if code in responses:
                continue  # documented by the view itself
            if error is None:
                error = self.resolve_serializer(ErrorSerializer(), "response")
            responses[code] = {
                "content": {"application/json": {"schema": error.ref}},
                "description": str(ERROR_DESCRIPTIONS[code]),
            }
        return responses
