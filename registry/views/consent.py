"""Consents under 152-ФЗ on the web: the "consent needed" queue, recording and
withdrawing a consent on a person's page, the signed scan, and the ready-to-sign forms.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mentorship import audit
from mentorship.forms import apply_service_errors
from mentorship.http import stored_file_download
from mentorship.query import page_of
from mentorship.tenancy.access import get_in_tenant_or_404, tenant_view
from registry import access
from registry.forms.consent import ConsentForm, WithdrawForm
from registry.models import Consent, ConsentGiver, ConsentState
from registry.selectors import consent as consent_selectors
from registry.services.consent import consent_forms_request, consent_record, consent_withdraw
from registry.views.common import decorate_people, living_participant_or_404
from registry.views.people import PAGE_SIZE, render_detail, to_page


@require_GET
@tenant_view(access.PEOPLE_READ)
def consent_queue(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Everyone the programme may not process yet, with what is missing for each."""
    page = page_of(Paginator(consent_selectors.consent_queue_rows(), PAGE_SIZE), request.GET)
    page.object_list = list(page.object_list)
    decorate_people(page.object_list)
    for participant in page.object_list:
        participant.gap = consent_selectors.consent_gap(participant)
    context = {"page": page}
    return render(request, "registry/consent_queue.html", context)


@require_POST
@tenant_view(access.CONSENT)
def consent_record_view(request: HttpRequest, org_slug: str, participant_id: int) -> HttpResponse:
    participant = living_participant_or_404(participant_id)
    form = ConsentForm(request.POST, request.FILES, minor=participant.is_minor())
    if form.is_valid():
        try:
            consent = consent_record(
                actor=request.user, participant=participant, **form.cleaned_data
            )
        except ValidationError as error:
            # check_evidence names the file field after the roadmaps' one.
            apply_service_errors(form, error, rename={"evidence_file": "scan"})
        else:
            state = consent.state()
            if state == ConsentState.VALID:
                messages.success(
                    request, _("Согласие записано: данные участника можно обрабатывать.")
                )
            elif consent.given_by == ConsentGiver.SELF and participant.is_minor(consent.given_on):
                messages.warning(
                    request,
                    _(
                        "Согласие записано, но оно недействительно: его подписал "
                        "несовершеннолетний сам. Нужно согласие родителя (законного "
                        "представителя); участник остаётся в очереди «Нужно согласие»."
                    ),
                )
            else:
                messages.warning(
                    request,
                    _("Согласие записано, но оно не действует: %(state)s.")
                    % {"state": ConsentState(state).label},
                )
            return to_page(org_slug, participant.pk, "consents")
    return render_detail(request, participant.pk, status=400, consent_form=form)


@require_POST
@tenant_view(access.CONSENT)
def consent_withdraw_view(request: HttpRequest, org_slug: str, consent_id: int) -> HttpResponse:
    consent = get_in_tenant_or_404(Consent.objects.select_related("participant"), pk=consent_id)
    participant = consent.participant
    if participant.depersonalized_at:
        raise Http404(_("Данные участника обезличены."))
    form = WithdrawForm(request.POST, prefix=f"w{consent.pk}")
    if form.is_valid():
        try:
            consent_withdraw(
                actor=request.user,
                consent=consent,
                reason=form.cleaned_data["reason"],
                withdrawn_on=form.cleaned_data["withdrawn_on"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _(
                    "Согласие отозвано. Обработка данных прекращена: пары приостановлены, "
                    "анкетирование остановлено; данные будут обезличены по истечении "
                    "срока хранения."
                ),
            )
        return to_page(org_slug, participant.pk, "consents")
    return render_detail(request, participant.pk, status=400, **{f"withdraw_{consent.pk}": form})


@require_GET
@tenant_view(access.PEOPLE_READ)
def consent_scan(request: HttpRequest, org_slug: str, consent_id: int) -> HttpResponse:
    """The signed scan, only through the tenant and audited: media files are never public."""
    consent = get_in_tenant_or_404(Consent.objects.select_related("participant"), pk=consent_id)
    if not consent.scan:
        raise Http404(_("Скан не загружен."))
    audit.record(
        actor=request.user,
        organization=consent.organization,
        action="consent.scan_download",
        obj=consent.participant,
        consent_id=consent.pk,
    )
    return stored_file_download(consent.scan)


@require_POST
@tenant_view(access.CONSENT)
def consent_form_pdf(request: HttpRequest, org_slug: str, participant_id: int) -> HttpResponse:
    """The ready-to-sign consent form of this person, through the document pipeline."""
    participant = living_participant_or_404(participant_id)
    document = consent_forms_request(
        actor=request.user, organization=request.tenant.organization, participants=[participant]
    )
    return redirect("document_detail", org_slug=org_slug, document_id=document.pk)
