"""Core pages: the landing redirect, each organisation's home page, audit log, health."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from mentorship import access, audit, selectors
from mentorship.audit_filters import AuditFilter, people_in_log
from mentorship.home import home_context
from mentorship.models import AuditEntry, OrganizationKind, Role
from mentorship.query import page_of, valid_query
from mentorship.selectors.home import home_page
from mentorship.tenancy.access import tenant_view

# Where each role starts its day: the most specific organisation it works in.
ROLE_ORDER = [Role.CURATOR, Role.METHODIST, Role.DEPARTMENT, Role.SCHOOL_VIEWER, Role.REGIONAL]
AUDIT_PAGE_SIZE = 50


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    # A closed organisation's page still opens, but nobody starts their day there.
    memberships = sorted(
        request.user.memberships.select_related("organization"),
        key=lambda m: (m.organization.is_closed, ROLE_ORDER.index(m.role)),
    )
    if memberships:
        return redirect("org_home", org_slug=memberships[0].organization.slug)
    if request.user.is_superuser:
        return redirect("admin:index")
    return render(request, "mentorship/no_access.html", status=403)


@require_GET
@tenant_view(access.HOME)
def org_home(request: HttpRequest, org_slug: str) -> HttpResponse:
    """The organisation's to-do list (issue 12): what waits, as numbers linking to the
    filtered lists; a school's first steps; the table of the organisations one level
    down with red flags, sorted by `?sort=` (an unknown column is a 400)."""
    tenant = request.tenant
    org = tenant.organization
    # What the apps add (their to-do figures, the roadmaps' nearest duties), registered
    # in their ready(): mentorship/home.py.
    extra = home_context(tenant)
    # An unknown `?sort=` raises BadSort, a BadQuery: the 400 page with its message.
    page = home_page(tenant, extra, request.GET.get("sort"))
    context = {**extra, "organization": org, "staff": selectors.staff_of(org), "home": page}
    if org.kind == OrganizationKind.REGION:
        template = "mentorship/home_region.html"
    elif org.kind == OrganizationKind.MUNICIPALITY:
        template = "mentorship/home_municipality.html"
    else:
        template = "mentorship/home_school.html"
    return render(request, template, context)


@require_GET
@tenant_view(access.AUDIT)
def audit_log(request: HttpRequest, org_slug: str) -> HttpResponse:
    entries = AuditEntry.objects.filter(organization=request.tenant.organization)
    # The rows show the actor as recorded (actor_label), which outlives the account:
    # no join. Queries: the people for the filter, the count, the page.
    log = AuditFilter(request.GET or None, queryset=entries, people=people_in_log(entries))
    valid_query(log)
    page = page_of(Paginator(log.qs, AUDIT_PAGE_SIZE), request.GET)
    labels = audit.action_labels()
    rows = [
        (e, labels.get(e.action, e.action), *_name_and_email(e.actor_label))
        for e in page.object_list
    ]
    return render(
        request,
        "mentorship/audit_log.html",
        {
            "filter": log,
            "page": page,
            "rows": rows,
            # A long log has thousands of pages: show the ends and the neighbours only.
            "page_range": page.paginator.get_elided_page_range(page.number, on_ends=1),
            "ellipsis": page.paginator.ELLIPSIS,
            "filtered": any(request.GET.get(name) for name in log.filters),
        },
    )


def _name_and_email(actor_label: str) -> tuple[str, str]:
    """«Иванова Анна <a@b.ru>», as audit.record writes it, split for two lines."""
    name, _, email = actor_label.partition(" <")
    return name, email.removesuffix(">")


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and broker status for load balancers and docker healthchecks, with the
    backlog: messages waiting per queue and the oldest unfinished document's age.

    Only the database and the broker decide the status (503 when one is down): a long
    queue is something to look at, not a reason to take a node out of the balancer.
    """
    from mentorship.celery import broker_status
    from mentorship.health import queue_lengths, unscoped_pending_documents

    status: dict[str, object] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        status["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure is "down", reported as text
        status["database"] = f"error: {exc.__class__.__name__}"
    status["broker"] = broker_status()
    if status["broker"] == "ok":
        try:
            status["queues"] = queue_lengths()
        except Exception as exc:  # noqa: BLE001
            status["queues"] = f"error: {exc.__class__.__name__}"
    if status["database"] == "ok":
        pending = unscoped_pending_documents()
        age = pending.oldest_age_seconds
        status["documents_pending"] = pending.count
        status["oldest_pending_document_seconds"] = round(age) if age is not None else None
    healthy = status["database"] == "ok" and status["broker"] in ("ok", "eager")
    return JsonResponse(status, status=200 if healthy else 503)
