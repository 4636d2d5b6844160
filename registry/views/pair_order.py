"""The button «Сформировать приказ об утверждении пар» posts here.

Only the school's curator issues it: it names minors, so it never leaves the school
(see `personal_data` in mentorship/documents/kinds.py). The document page then shows
the render's progress, its Russian error if it fails, and the download.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentorship.tenancy.access import tenant_view
from registry import access
from registry.forms.pair_order import PairOrderForm
from registry.services.pair_order import pair_order_issue


def _back(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Back to the page the button was on (the pairs list), never to another site."""
    target = request.POST.get("next") or request.headers.get("referer", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("document_list", org_slug=org_slug)


@require_POST
@tenant_view(access.PAIR_ORDER)
def pair_order_issue_view(request: HttpRequest, org_slug: str) -> HttpResponse:
    form = PairOrderForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(request, org_slug)
    data = form.cleaned_data
    try:
        document = pair_order_issue(
            actor=request.user,
            organization=request.tenant.organization,
            pair_ids=data["pair_ids"],
            date=data["date"],
            number=data["number"].strip() or None,
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return _back(request, org_slug)
    messages.success(
        request,
        _("Приказ № %(n)s поставлен в очередь на формирование.") % {"n": document.number},
    )
    return redirect("document_detail", org_slug=org_slug, document_id=document.pk)
