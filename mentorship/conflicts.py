"""Writes that collide with another one: a Russian message and 409, never a 500.

Two requests at once (a double click, two people on one record) are serialised by row
locks in the services; what still collides lands on a database constraint. This module
turns either into one answer:

- `Conflict` is what a service raises when the state it was asked to change has just
  changed (the draft exists already, the roadmap was approved a moment ago). It is a
  ValidationError, so web views that show a service's errors show it as they are; the
  API answers it with 409 (mentorship/api.py).
- `conflict_from(IntegrityError)` reads a unique violation: the message is the
  constraint's own `violation_error_message` (declared next to the constraint in the
  model), or a general one. `conflicts()` wraps a write in a savepoint and raises the
  Conflict; `ConflictMiddleware` is the net under every view: an unexpected unique
  violation still becomes a message and a redirect (web) or 409 JSON (API), not a 500.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

__all__ = ["Conflict", "ConflictMiddleware", "conflict_from", "conflicts", "lock"]


class Conflict(ValidationError):
    """The write collides with one that has just happened: 409 Conflict."""

    status_code = 409


def _default_message() -> str:
    return _(
        "Такая запись уже есть: похоже, её только что сохранили (двойное нажатие или "
        "одновременная правка). Обновите страницу и проверьте."
    )


@cache
def _messages_by_constraint() -> dict[str, str]:
    """Constraint name → its own Russian message, for every model that declares one."""
    found = {}
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            if not isinstance(constraint, models.BaseConstraint):
                continue
            message = constraint.violation_error_message
            if message and message != constraint.default_violation_error_message:
                found[constraint.name] = message
    return found


def unique_violation(exc: IntegrityError) -> str | None:
    """The violated unique constraint's name ("" when the database does not say), or None
    when the error is not a unique violation (a foreign key, a NOT NULL: real bugs)."""
    cause = exc.__cause__
    if getattr(cause, "sqlstate", None) == "23505":  # PostgreSQL unique_violation
        return getattr(getattr(cause, "diag", None), "constraint_name", None) or ""
    if "UNIQUE constraint failed" in str(exc):  # the embedded SQLite
        return ""
    return None


def conflict_from(exc: BaseException, message: str | None = None) -> Conflict | None:
    """The Conflict an exception means, or None if it is not a collision."""
    if isinstance(exc, Conflict):
        return exc
    if not isinstance(exc, IntegrityError):
        return None
    name = unique_violation(exc)
    if name is None:
        return None
    return Conflict(str(message or _messages_by_constraint().get(name) or _default_message()))


@contextmanager
def conflicts(message: str | None = None) -> Iterator[None]:
    """Run the block in a savepoint; a unique violation inside it raises a Conflict.

    The savepoint keeps an outer transaction usable after the violation, and the row
    lock or constraint that caused it stays the single source of truth.
    """
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        conflict = conflict_from(exc, message)
        if conflict is None:
            raise
        raise conflict from exc


def conflict_text(conflict: Conflict) -> str:
    return " ".join(conflict.messages)


def conflict_response(request: HttpRequest, conflict: Conflict) -> HttpResponse:
    """API: 409 JSON. Web: the message above the page the person came from (a redirect),
    or a 409 page when there is no such page to go back to."""
    text = conflict_text(conflict)
    if request.path.startswith("/api/"):
        # The shape of the API's validation errors (mentorship/api.py answers the same).
        body = (
            conflict.message_dict
            if hasattr(conflict, "error_dict")
            else {"non_field_errors": conflict.messages}
        )
        return JsonResponse(body, status=409)
    back = request.headers.get("referer", "")
    safe = url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if back and safe and not request.headers.get("hx-request"):
        messages.error(request, text)
        return HttpResponseRedirect(back, status=303)
    body = loader.render_to_string("409.html", {"message": text}, request)
    return HttpResponse(body, status=409)


class ConflictMiddleware:
    """The net under every view: a collision that reached here is answered, not a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        conflict = conflict_from(exception)
        if conflict is None:
            return None
        return conflict_response(request, conflict)


def lock(*objects: models.Model) -> None:
    """Lock these rows until the transaction ends: the parent row of a state change.

    FOR NO KEY UPDATE: two writers of the same parent queue up, while inserts of rows
    that merely point at it (their foreign key takes KEY SHARE) are not held up. Rows
    are locked in (table, primary key) order, so two writers never deadlock. Call
    inside a transaction.
    """
    for obj in sorted(objects, key=lambda o: (o._meta.label, o.pk)):
        manager = type(obj)._base_manager
        manager.select_for_update(no_key=True).filter(pk=obj.pk).values_list("pk").first()
