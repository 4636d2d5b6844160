"""The data subject's rights at the school: the access log and the export of everything.

A person (or a pupil's parent) asks the school what it stores and who saw it; the
curator answers from these two pages. Municipal roles never reach them: they hold a role
in the school through their subtree, and are refused here (403) like on every page that
names pupils.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from mentorship.audit import entries_for
from mentorship.query import page_of, query_choice, valid_query
from mentorship.tenancy.access import get_in_tenant_or_404, tenant_view
from registry import access
from registry.forms.subject_rights import RequestDateForm
from registry.models import Participant
from registry.services import subject_rights

LOG_PAGE = 100


@never_cache
@require_GET
@tenant_view(access.SUBJECT_RIGHTS)
def participant_access_log(
    request: HttpRequest, org_slug: str, participant_id: int
) -> HttpResponse:
    """Who saw or changed this person's data, newest first."""
    participant = get_in_tenant_or_404(Participant, pk=participant_id)
    page = page_of(Paginator(entries_for(participant), LOG_PAGE), request.GET)
    rows = subject_rights.log_rows(list(page))
    # Recorded after reading, so the page shows the log as it was when opened.
    subject_rights.access_log_record_view(actor=request.user, participant=participant)
    context = {"participant": participant, "page": page, "rows": rows}
    return render(request, "registry/subject/access_log.html", context)


@never_cache
@require_GET
@tenant_view(access.SUBJECT_RIGHTS)
def participant_subject_export(
    request: HttpRequest, org_slug: str, participant_id: int
) -> HttpResponse:
    """Everything stored about the person: a readable page, or `?download=json` as a file."""
    participant = get_in_tenant_or_404(Participant, pk=participant_id)
    form = RequestDateForm(request.GET or None)
    requested_on = valid_query(form).get("requested_on")
    as_json = query_choice(request.GET, "download", ["json"]) == "json"
    export = subject_rights.subject_export(
        actor=request.user,
        participant=participant,
        requested_on=requested_on,
        fmt="json" if as_json else "html",
    )
    if as_json:
        response = JsonResponse(
            export.as_json(),
            encoder=DjangoJSONEncoder,
            json_dumps_params={"ensure_ascii": False, "indent": 2},
        )
        # No name in the file name: it travels through downloads folders and mail.
        stamp = timezone.localdate().strftime("%Y%m%d")
        filename = f"personal-data-{participant.pk}-{stamp}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    context = {"participant": participant, "export": export, "form": form}
    return render(request, "registry/subject/export.html", context)
