"""The curator's registry: search, filters, pages of 50, bulk actions; the consent queue.

Both lists are built with a fixed number of queries whatever the number of rows: forms
are prefetched, the badge and the class/position are computed from the row itself.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from mentorship.tenancy.access import tenant_view
from registry.filters import ParticipantFilter
from registry.forms import BulkAction, BulkForm
from registry.models import MentoringForm, Participant
from registry.selectors import consent as consent_selectors
from registry.selectors import people as selectors
from registry.services.participants import participant_update
from registry.web.common import READERS, SCHOOL_KINDS, WRITERS, can_write, decorate

PAGE_SIZE = 50


@require_GET
@tenant_view(*READERS, kinds=SCHOOL_KINDS)
def participant_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Everyone in the registry, each with a consent badge; filters narrow it down.

    People without a valid consent are listed too (with the badge): the curator has to
    see whom to chase. Features that process data (pairs, questionnaires) use
    `can_process` and never take people from this page unchecked.
    """
    forms = list(MentoringForm.objects.all())
    filterset = ParticipantFilter(
        request.GET or None, queryset=selectors.registry_rows(), forms=forms
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)  # one query; the template reuses the rows
    decorate(page.object_list)
    selectors.attach_forms(page.object_list, forms)
    writer = can_write(request)
    context = {
        "filter": filterset,
        "page": page,
        "can_write": writer,
        "bulk_actions": BulkAction.CHOICES if writer else None,
        "mentoring_forms": forms,
        "queue_count": consent_selectors.consent_queue_count(),
        "filtered": any(v for k, v in request.GET.items() if k != "page"),
    }
    return render(request, "registry/participant_list.html", context)


def _back_to_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    # Only a query string travels back, re-encoded: the redirect stays on our page.
    query = QueryDict(request.POST.get("query", ""), mutable=False).urlencode()
    url = reverse("participant_list", kwargs={"org_slug": org_slug})
    return redirect(f"{url}?{query}" if query else url)


@require_POST
@tenant_view(*WRITERS, kinds=SCHOOL_KINDS)
def participant_bulk(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Apply one action to the ticked people, each through the services (and audited)."""
    forms = MentoringForm.objects.all()
    rows = Participant.objects.filter(depersonalized_at__isnull=True).prefetch_related(
        Prefetch("mentor_forms", queryset=forms), Prefetch("mentee_forms", queryset=forms)
    )
    form = BulkForm(request.POST, participants=rows)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back_to_list(request, org_slug)
    action = form.cleaned_data["action"]
    people = sorted(form.cleaned_data["ids"], key=lambda p: (p.last_name, p.first_name, p.pk))
    if action == BulkAction.CONSENT_FORMS:
        return _consent_forms(request, org_slug, people)

    done, failed = 0, []
    for person in people:
        try:
            _apply(request, action, person, form.cleaned_data.get("form"))
        except ValidationError as error:
            failed.append(f"{person.short_name}: {' '.join(error.messages)}")
        else:
            done += 1
    if done:
        messages.success(
            request,
            ngettext("Изменён %(n)s участник.", "Изменено участников: %(n)s.", done) % {"n": done},
        )
    for line in failed:
        messages.error(request, _("Не изменён — %(line)s") % {"line": line})
    return _back_to_list(request, org_slug)


def _apply(request: HttpRequest, action: str, person: Participant, form: MentoringForm | None):
    if action == BulkAction.MARK_MENTOR:
        participant_update(actor=request.user, participant=person, is_mentor=True)
    elif action == BulkAction.MARK_MENTEE:
        participant_update(actor=request.user, participant=person, is_mentee=True)
    elif action == BulkAction.ADD_FORM:
        # The form goes to the side(s) the person takes part in: a mentee-only pupil
        # becomes open to it as a mentee, not suddenly a mentor.
        mentor_forms = list(person.mentor_forms.all())
        mentee_forms = list(person.mentee_forms.all())
        participant_update(
            actor=request.user,
            participant=person,
            mentor_forms=mentor_forms + [form] if person.is_mentor else None,
            mentee_forms=mentee_forms + [form] if person.is_mentee else None,
        )


def _consent_forms(request: HttpRequest, org_slug: str, people: list[Participant]):
    from registry.services.consent import consent_forms_request

    document = consent_forms_request(
        actor=request.user, organization=request.tenant.organization, participants=people
    )
    messages.success(request, _("Бланки согласий поставлены в очередь на формирование."))
    return redirect("document_detail", org_slug=org_slug, document_id=document.pk)


@require_GET
@tenant_view(*READERS, kinds=SCHOOL_KINDS)
def consent_queue(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Everyone the programme may not process yet, with what is missing for each."""
    page = Paginator(consent_selectors.consent_queue_rows(), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = list(page.object_list)
    decorate(page.object_list)
    for participant in page.object_list:
        participant.gap = consent_selectors.consent_gap(participant)
    context = {"page": page, "can_write": can_write(request)}
    return render(request, "registry/consent_queue.html", context)
