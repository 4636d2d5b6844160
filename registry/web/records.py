"""What the curator records on a person's page, each through its service.

A valid form redirects back to the page (post/redirect/get); an invalid one re-renders
the page with that form bound and open, with status 400.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mentorship import audit
from mentorship.tenancy.access import get_in_tenant_or_404, tenant_view
from registry.forms import (
    AssessmentForm,
    ConsentForm,
    MentorProfileForm,
    NeedForm,
    WithdrawForm,
    apply_service_errors,
)
from registry.models import Consent, ConsentGiver, ConsentState
from registry.services.consent import consent_record, consent_withdraw
from registry.services.participants import (
    entry_assessment_save,
    mentee_need_add,
    mentor_profile_save,
)
from registry.web.common import READERS, SCHOOL_KINDS, WRITERS, living_participant_or_404
from registry.web.people import render_detail


def _to_page(org_slug: str, participant_id: int, anchor: str = "") -> HttpResponse:
    response = redirect("participant_detail", org_slug=org_slug, participant_id=participant_id)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


@require_POST
@tenant_view(*WRITERS, kinds=SCHOOL_KINDS)
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
            return _to_page(org_slug, participant.pk, "consents")
    return render_detail(request, participant.pk, status=400, consent_form=form)


@require_POST
@tenant_view(*WRITERS, kinds=SCHOOL_KINDS)
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
        return _to_page(org_slug, participant.pk, "consents")
    return render_detail(request, participant.pk, status=400, **{f"withdraw_{consent.pk}": form})


@require_GET
@tenant_view(*READERS, kinds=SCHOOL_KINDS)
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
    return FileResponse(consent.scan.open("rb"), as_attachment=False)


@require_POST
@tenant_view(*WRITERS, kinds=SCHOOL_KINDS)
def mentor_profile_view(request: HttpRequest, org_slug: str, participant_id: int) -> HttpResponse:
    participant = living_participant_or_404(participant_id)
    form = MentorProfileForm(request.POST)
    if form.is_valid():
        try:
            mentor_profile_save(actor=request.user, participant=participant, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Анкета наставника сохранена."))
            return _to_page(org_slug, participant.pk, "questionnaire")
    return render_detail(request, participant.pk, status=400, profile_form=form)


@require_POST
@tenant_view(*WRITERS, kinds=SCHOOL_KINDS)
def need_add_view(request: HttpRequest, org_slug: str, participant_id: int) -> HttpResponse:
    participant = living_participant_or_404(participant_id)
    form = NeedForm(request.POST)
    if form.is_valid():
        try:
            mentee_need_add(actor=request.user, participant=participant, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Запрос наставляемого добавлен."))
            return _to_page(org_slug, participant.pk, "needs")
    return render_detail(request, participant.pk, status=400, need_form=form)


@require_POST
@tenant_view(*WRITERS, kinds=SCHOOL_KINDS)
def assessment_add_view(request: HttpRequest, org_slug: str, participant_id: int) -> HttpResponse:
    participant = living_participant_or_404(participant_id)
    form = AssessmentForm(request.POST)
    if form.is_valid():
        try:
            entry_assessment_save(
                actor=request.user,
                participant=participant,
                scores=form.scores(),
                assessed_on=form.cleaned_data["assessed_on"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Входная оценка сохранена."))
            return _to_page(org_slug, participant.pk, "assessment")
    return render_detail(request, participant.pk, status=400, assessment_form=form)


@require_POST
@tenant_view(*WRITERS, kinds=SCHOOL_KINDS)
def consent_form_pdf(request: HttpRequest, org_slug: str, participant_id: int) -> HttpResponse:
    """The ready-to-sign consent form of this person, through the document pipeline."""
    from registry.services.consent import consent_forms_request

    participant = living_participant_or_404(participant_id)
    document = consent_forms_request(
        actor=request.user, organization=request.tenant.organization, participants=[participant]
    )
    return redirect("document_detail", org_slug=org_slug, document_id=document.pk)
