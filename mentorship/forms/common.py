"""Form pieces every app uses: the date widget and putting a service's errors on a form."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

__all__ = ["DateInput", "apply_service_errors"]


class DateInput(forms.DateInput):
    """The browser's date picker; ISO format, the only one `<input type="date">` reads."""

    input_type = "date"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def apply_service_errors(
    form: forms.Form, error: ValidationError, rename: dict[str, str] | None = None
) -> None:
    """Show a service's ValidationError on the form: per field where the form has the
    field (under its form name via `rename`), above the form otherwise (a duplicate
    person, a depersonalised record)."""
    rename = rename or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        target = rename.get(field, field)
        if target == NON_FIELD_ERRORS or target not in form.fields:
            target = None
        for item in errors:
            form.add_error(target, item)
