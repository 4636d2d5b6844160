from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mentorship.models import EDUCATIONAL_KINDS
from mentorship.tenancy.access import get_in_tenant_or_404, tenant_view
from registry.models import Programme

SCHOOL = tuple(EDUCATIONAL_KINDS)


@require_GET
@tenant_view(kinds=SCHOOL)
def programme_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    programmes = Programme.objects.select_related("form")
    return render(request, "registry/programme_list.html", {"programmes": programmes})


@require_GET
@tenant_view(kinds=SCHOOL)
def programme_detail(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    programme = get_in_tenant_or_404(Programme.objects.select_related("form"), pk=programme_id)
    return render(request, "registry/programme_detail.html", {"programme": programme})
