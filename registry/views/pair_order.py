"""The order form on the pairs list («Сформировать приказ об утверждении пар») posts here.

Only the school's curator issues it: it names minors, so it never leaves the school
(see `personal_data` in mentorship/documents/kinds.py). On success the document page
shows the render's progress, its Russian error if it fails, and the download. A refusal
shows the pairs list again with the form as it was filled: 400 for a wrong number or
date, 409 when another order has that number or one on the same pairs is being made.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentorship.conflicts import Conflict
from mentorship.forms import apply_service_errors
from mentorship.tenancy.access import tenant_view
from registry import access
from registry.forms.pair_order import PairOrderForm
from registry.services.pair_order import pair_order_issue
from registry.views.pairs import pairs_page


def _list_query(request: HttpRequest, org_slug: str) -> QueryDict:
    """The filters of the list the form was on (`next`), if it is this school's list."""
    target = urlsplit(request.POST.get("next", ""))
    if target.scheme or target.netloc:
        return QueryDict()
    if target.path != reverse("registry:pair_list", kwargs={"org_slug": org_slug}):
        return QueryDict()
    return QueryDict(target.query)


@require_POST
@tenant_view(access.PAIR_ORDER)
def pair_order_issue_view(request: HttpRequest, org_slug: str) -> HttpResponse:
    form = PairOrderForm(request.POST)
    if not form.is_valid():
        return pairs_page(request, _list_query(request, org_slug), form, status=400)
    data = form.cleaned_data
    try:
        document = pair_order_issue(
            actor=request.user,
            organization=request.tenant.organization,
            pair_ids=data["pair_ids"],
            date=data["date"],
            number=data["number"],
        )
    except ValidationError as exc:
        apply_service_errors(form, exc)
        status = 409 if isinstance(exc, Conflict) else 400
        return pairs_page(request, _list_query(request, org_slug), form, status=status)
    messages.success(
        request,
        _("Приказ № %(n)s от %(d)s поставлен в очередь на формирование.")
        % {"n": document.number, "d": f"{document.date:%d.%m.%Y}"},
    )
    return redirect("document_detail", org_slug=org_slug, document_id=document.pk)
