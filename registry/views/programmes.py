"""The school's mentoring programmes: the list and a programme's page (read-only so far;
the API writes them)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mentorship.tenancy.access import tenant_view
from registry import access
from registry.models import Programme
from registry.views.common import programme_or_404


@require_GET
@tenant_view(access.PROGRAMMES_READ)
def programme_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    programmes = Programme.objects.select_related("form")
    return render(request, "registry/programme_list.html", {"programmes": programmes})


@require_GET
@tenant_view(access.PROGRAMMES_READ)
def programme_detail(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    programme = programme_or_404(programme_id)
    return render(request, "registry/programme_detail.html", {"programme": programme})
