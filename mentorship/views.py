"""Core pages: the landing redirect, each organisation's home page, audit log, health."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from mentorship import access, selectors
from mentorship.home import home_context
from mentorship.models import AuditEntry, OrganizationKind, Role
from mentorship.tenancy.access import tenant_view

# Where each role starts its day: the most specific organisation it works in.
ROLE_ORDER = [Role.CURATOR, Role.METHODIST, Role.DEPARTMENT, Role.SCHOOL_VIEWER, Role.REGIONAL]


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    memberships = sorted(
        request.user.memberships.select_related("organization"),
        key=lambda m: ROLE_ORDER.index(m.role),
    )
    if memberships:
        return redirect("org_home", org_slug=memberships[0].organization.slug)
    if request.user.is_superuser:
        return redirect("admin:index")
    return render(request, "mentorship/no_access.html", status=403)


@require_GET
@tenant_view(access.HOME)
def org_home(request: HttpRequest, org_slug: str) -> HttpResponse:
    tenant = request.tenant
    org = tenant.organization
    context = {"organization": org, "staff": selectors.staff_of(org)}
    if org.kind == OrganizationKind.REGION:
        context["municipalities"] = selectors.municipalities_of(org)
        template = "mentorship/home_region.html"
    elif org.kind == OrganizationKind.MUNICIPALITY:
        context["schools"] = selectors.schools_of(org)
        template = "mentorship/home_municipality.html"
    else:
        template = "mentorship/home_school.html"
    # What the apps add (e.g. the roadmaps' nearest duties), registered in their ready().
    context.update(home_context(tenant))
    return render(request, template, context)


@require_GET
@tenant_view(access.AUDIT)
def audit_log(request: HttpRequest, org_slug: str) -> HttpResponse:
    entries = AuditEntry.objects.filter(organization=request.tenant.organization).select_related(
        "actor"
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "mentorship/audit_log.html", {"page": page})


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and broker status for load balancers and docker healthchecks."""
    from mentorship.celery import broker_status

    status: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        status["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure is "down", reported as text
        status["database"] = f"error: {exc.__class__.__name__}"
    status["broker"] = broker_status()
    healthy = status["database"] == "ok" and status["broker"] in ("ok", "eager")
    return JsonResponse(status, status=200 if healthy else 503)
