"""A row's button on a list page (close, reopen, resend, revoke …): run the service,
say how it went in a message, and come back to the list."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


def run_row_action(
    request: HttpRequest, action: Callable[[], object], success: str, back_to: str
) -> HttpResponse:
    """`action` is the service call; its refusal becomes error messages on `back_to`."""
    try:
        action()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect(back_to, org_slug=request.tenant.organization.slug)
