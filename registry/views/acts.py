"""Local acts from templates (registry/documents/acts) on the web: pick a kind, fill its
parameters — with the organisation's curator, mentors and partners already filled in —
and get the PDF and the editable .docx.

One page, `acts/`: without `?kind=` the kinds this person may issue here; with it, the
kind's form. Submitting asks the same service as `manage.py render_document` and the
documents API (`document_request`); the document renders in Celery and its page shows
the progress (htmx) until both files are ready.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mentorship.documents import kinds
from mentorship.documents.services import document_request
from mentorship.query import query_choice
from mentorship.tenancy.access import require_roles, tenant_view
from registry import access
from registry.forms.acts import KIND_PARAMS, LocalActForm
from registry.selectors import acts as selectors


def _available(request: HttpRequest) -> list[kinds.DocumentKind]:
    tenant = request.tenant
    return [
        k for k in kinds.kinds_for(tenant.roles, tenant.organization.kind) if k.code in KIND_PARAMS
    ]


@require_http_methods(["GET", "POST"])
@tenant_view(access.LOCAL_ACTS)
def local_acts(request: HttpRequest, org_slug: str) -> HttpResponse:
    available = {k.code: k for k in _available(request)}
    source = request.POST if request.method == "POST" else request.GET
    code = query_choice(source, "kind", list(KIND_PARAMS), default="")
    if not code:
        if request.method == "POST":
            return render(
                request, "registry/acts/list.html", {"kinds": available.values()}, status=400
            )
        return render(request, "registry/acts/list.html", {"kinds": available.values()})
    if code not in available:
        # A kind of another level (the curator's order at a municipality): no such page.
        raise Http404(_("Такого документа у этой организации нет."))
    kind = available[code]
    organization = request.tenant.organization
    require_roles(request, *kind.issuer_roles(organization.kind))
    wanted = KIND_PARAMS[code]
    form = LocalActForm(
        request.POST if request.method == "POST" else None,
        kind=code,
        curator=selectors.act_curator(organization) if "curator" in wanted else ("", ""),
        people=selectors.act_people(organization) if "people" in wanted else [],
        partners=selectors.act_partners() if "partners" in wanted else [],
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                document = document_request(
                    actor=request.user,
                    organization=organization,
                    kind=code,
                    params=form.params(),
                    number=form.cleaned_data["number"] or None,
                    date=form.cleaned_data["date"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("Документ формируется: PDF и Word появятся на этой странице.")
                )
                return redirect("document_detail", org_slug=org_slug, document_id=document.pk)
        status = 400
    return render(request, "registry/acts/form.html", {"kind": kind, "form": form}, status=status)
