"""The school's pairs and groups, and the small "no meetings in 30 days" panel.

Both are built with a fixed number of queries, whatever the number of pairs: members
come prefetched with their people, the stale flag is one query for the whole page.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mentorship.tenancy.access import tenant_view
from registry.models import Pair, PairStatus, Programme
from registry.pair_forms import PairFilterForm
from registry.pairs_web.common import READERS, SCHOOL_KINDS, can_write
from registry.selectors import pairs as pair_selectors

PAGE_SIZE = 50


@require_GET
@tenant_view(*READERS, kinds=SCHOOL_KINDS)
def pair_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    programmes = Programme.objects.select_related("form").order_by("name")
    filters = PairFilterForm(request.GET or None, programmes=programmes)
    status, programme = "", None
    if filters.is_valid():
        status = filters.cleaned_data["status"]
        programme = filters.cleaned_data["programme"]
    pairs = pair_selectors.pair_rows(status=status, programme=programme)
    page = Paginator(pairs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    stale = pair_selectors.stale_pair_ids()
    pair_selectors.decorate(page.object_list, stale)
    # The order button approves exactly the proposed pairs the curator is looking at.
    proposed_ids = [p.pk for p in page.object_list if p.status == PairStatus.PROPOSED]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filters": filters,
        "page": page,
        "programmes": programmes,
        "stale_count": len(stale),
        "proposed_ids": proposed_ids,
        "can_write": can_write(request),
        "query": query.urlencode(),
        "filtered": bool(status or programme),
    }
    return render(request, "registry/pairs/list.html", context)


@require_GET
@tenant_view(*READERS, kinds=SCHOOL_KINDS)
def pair_stale_panel(request: HttpRequest, org_slug: str) -> HttpResponse:
    """The school home's panel, loaded by HTMX so the home view needs to know nothing."""
    pairs = list(
        pair_selectors.pair_rows().filter(pk__in=pair_selectors.stale_pairs().values("pk"))[:10]
    )
    pair_selectors.decorate(pairs)
    total = Pair.objects.filter(pk__in=pair_selectors.stale_pairs().values("pk")).count()
    return render(
        request,
        "registry/pairs/_stale_panel.html",
        {"pairs": pairs, "total": total},
    )
