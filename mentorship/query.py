"""Query parameters: a junk value is a 400 with a Russian message, never a silent default.

`?year=abc`, `?overdue=maybe`, `?programme=x`, `?since=31.02.2024` used to be dropped and
the page shown for the default, as if the filter had applied: the reader could not tell.
Everything a view reads from the query string goes through here or through a form /
FilterSet checked with `valid_query`; a bad value raises `BadQuery`:

- on web pages Django answers it through `handler400` (mentorship/errors.py: the page
  with the message; one log line, no traceback);
- in the API the handler (mentorship/api/base.py) turns it into DRF's 400 of the
  validation-error shape, `{"year": ["…"]}`, the same as a FilterSet's errors.

Unknown parameters are ignored, as everywhere on the web; only the values of the ones a
view reads are checked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import BadRequest
from django.core.paginator import Page, Paginator
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

__all__ = [
    "BadQuery",
    "FlagField",
    "FlagFilter",
    "IdField",
    "IntegerFilter",
    "page_of",
    "query_choice",
    "query_flag",
    "query_int",
    "query_ints",
    "valid_query",
]

# The largest id a row can have (BigAutoField; SQLite's INTEGER alike): a larger number
# is not "no such row" but a value the database driver cannot even bind (a 500).
MAX_ID = 2**63 - 1

TRUE = frozenset({"1", "true", "True", "on", "yes"})
FALSE = frozenset({"0", "false", "False", "off", "no"})


class BadQuery(BadRequest):
    """A query parameter with a value the view cannot read: 400."""

    def __init__(self, errors: Mapping[str, Iterable[Any]]) -> None:
        self.errors = {name: [str(m) for m in messages] for name, messages in errors.items()}
        # The log line names the parameters in plain ASCII (Django escapes the rest);
        # the reader gets `message`, in Russian.
        super().__init__("Bad query parameter: " + ", ".join(self.errors))

    @property
    def message(self) -> str:
        return " ".join(
            _("Параметр «%(name)s»: %(message)s") % {"name": name, "message": message}
            for name, messages in self.errors.items()
            for message in messages
        )


def _one(params: Mapping[str, Any], name: str) -> str:
    value = params.get(name)
    return "" if value is None else str(value).strip()


def query_int(
    params: Mapping[str, Any],
    name: str,
    default: int | None = None,
    *,
    min_value: int | None = None,
    max_value: int | None = None,
) -> int | None:
    """An integer parameter; absent or empty → `default`; anything else not an integer → 400."""
    raw = _one(params, name)
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadQuery({name: [_("Введите целое число.")]}) from None
    max_value = MAX_ID if max_value is None else max_value
    if (min_value is not None and value < min_value) or (
        max_value is not None and value > max_value
    ):
        raise BadQuery({name: [_("Число вне допустимых пределов.")]})
    return value


def query_ints(params, name: str, message: str | None = None) -> list[int]:
    """A repeated integer parameter (`?skip=1&skip=2`); any non-integer → 400."""
    values = []
    for raw in params.getlist(name):
        try:
            values.append(int(str(raw).strip()))
        except ValueError:
            raise BadQuery({name: [message or _("Введите целые числа.")]}) from None
    if any(abs(v) > MAX_ID for v in values):
        raise BadQuery({name: [_("Число вне допустимых пределов.")]})
    return values


def query_flag(params: Mapping[str, Any], name: str) -> bool:
    """A yes/no parameter: `1`/`true` or `0`/`false`; absent or empty is no; else 400."""
    raw = _one(params, name)
    if raw == "" or raw in FALSE:
        return False
    if raw in TRUE:
        return True
    raise BadQuery({name: [_("Ожидается 1 или 0 (true или false).")]})


def query_choice(
    params: Mapping[str, Any], name: str, choices: Iterable[str], default: str = ""
) -> str:
    """One of the known values; absent or empty → `default`; an unknown value → 400."""
    raw = _one(params, name)
    if raw == "":
        return default
    if raw not in set(choices):
        raise BadQuery({name: [_("Неизвестное значение «%(value)s».") % {"value": raw[:50]}]})
    return raw


def page_of(paginator: Paginator, params: Mapping[str, Any]) -> Page:
    """The page asked for by `?page=`: not a positive integer → 400; past the end → the
    last page (the list may have shrunk since the link was made)."""
    return paginator.get_page(query_int(params, "page", 1, min_value=1))


def valid_query(form: forms.Form | django_filters.FilterSet) -> dict[str, Any]:
    """The cleaned values of a form or FilterSet bound to the query string; 400 when a
    value does not validate. An unbound one (no query string) gives {}."""
    if not form.is_bound:
        return {}
    if not form.is_valid():
        raise BadQuery(form.errors)
    return dict(form.form.cleaned_data if hasattr(form, "form") else form.cleaned_data)


class FlagField(forms.NullBooleanField):
    """A strict yes/no of a filter: `true`/`1` or `false`/`0`, empty for either; anything
    else is an error (Django's NullBooleanField reads "maybe" as "no filter")."""

    widget = forms.TextInput
    default_error_messages = {"invalid": gettext_lazy("Ожидается true или false (1 или 0).")}

    def to_python(self, value: Any) -> bool | None:
        if value is True or value is False:
            return value
        if value in (None, ""):
            return None
        raw = str(value).strip()
        if raw in TRUE:
            return True
        if raw in FALSE:
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")

    def validate(self, value: Any) -> None:
        pass


class FlagFilter(django_filters.BooleanFilter):
    """django-filter's BooleanFilter with `FlagField`: junk answers 400."""

    field_class = FlagField


class IntegerFilter(django_filters.NumberFilter):
    """An integer such as a row id or a grade (NumberFilter's decimal accepts `1.5` and `1e3`)."""

    field_class = forms.IntegerField

    def get_max_validator(self):
        return MaxValueValidator(MAX_ID)


class IdField(serializers.IntegerField):
    """An id in an API body: a positive integer a row can have (MAX_ID), else a 400."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)
