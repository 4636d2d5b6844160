"""A person of the registry: create, edit, and their page with everything recorded."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mentorship.tenancy.access import tenant_view
from registry.forms import (
    AssessmentForm,
    ConsentForm,
    MentorProfileForm,
    NeedForm,
    ParticipantForm,
    WithdrawForm,
    apply_service_errors,
)
from registry.models import ASSESSMENT_PARAMETERS, ConsentPurpose, ConsentState
from registry.selectors import consent as consent_selectors
from registry.selectors import people as selectors
from registry.services.participants import participant_create, participant_update, record_view
from registry.web.common import (
    READERS,
    SCHOOL_KINDS,
    WRITERS,
    can_write,
    decorate,
    living_participant_or_404,
)


def _participant_form(request: HttpRequest, **kwargs) -> ParticipantForm:
    partners = selectors.partner_choices(request.tenant.organization)
    return ParticipantForm(request.POST or None, partners=partners, **kwargs)


@require_http_methods(["GET", "POST"])
@tenant_view(*WRITERS, kinds=SCHOOL_KINDS)
def participant_create_view(request: HttpRequest, org_slug: str) -> HttpResponse:
    form = _participant_form(request, initial={"category": request.GET.get("category", "")})
    if request.method == "POST" and form.is_valid():
        try:
            participant = participant_create(
                actor=request.user,
                organization=request.tenant.organization,
                **form.service_kwargs(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Участник добавлен. Запишите его согласие на обработку персональных данных."),
            )
            return redirect("participant_detail", org_slug=org_slug, participant_id=participant.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "participant": None}
    return render(request, "registry/participant_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@tenant_view(*WRITERS, kinds=SCHOOL_KINDS)
def participant_edit_view(request: HttpRequest, org_slug: str, participant_id: int) -> HttpResponse:
    participant = living_participant_or_404(participant_id)
    form = _participant_form(request, initial=ParticipantForm.initial_from(participant))
    if request.method == "POST" and form.is_valid():
        try:
            participant_update(actor=request.user, participant=participant, **form.service_kwargs())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Изменения сохранены."))
            return redirect("participant_detail", org_slug=org_slug, participant_id=participant.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "participant": participant}
    return render(request, "registry/participant_form.html", context, status=status)


@require_GET
@tenant_view(*READERS, kinds=SCHOOL_KINDS)
def participant_detail(request: HttpRequest, org_slug: str, participant_id: int) -> HttpResponse:
    return render_detail(request, participant_id)


def render_detail(
    request: HttpRequest, participant_id: int, *, status: int = 200, **bound: Any
) -> HttpResponse:
    """The person's page; the record views re-render it with their bound form on errors.

    Every rendering of a pupil's page is audited (`record_view`): the data subject may
    ask who saw their data.
    """
    participant = selectors.participant_for_page(participant_id).first()
    if participant is None:
        raise Http404(_("Запись не найдена."))
    record_view(actor=request.user, participant=participant)
    decorate([participant])
    minor = participant.is_minor()
    consents = list(participant.consents.all())
    for consent in consents:
        consent.badge = consent_selectors.consent_badge(consent.state())
        consent.purpose_labels = [
            str(ConsentPurpose(p).label) for p in consent.purposes if p in ConsentPurpose.values
        ]
        consent.withdraw_form = bound.get(f"withdraw_{consent.pk}") or WithdrawForm(
            prefix=f"w{consent.pk}"
        )
    try:
        profile = participant.mentor_profile
    except ObjectDoesNotExist:
        profile = None
    assessments = list(participant.assessments.all())
    context = {
        "participant": participant,
        "minor": minor,
        "age": participant.age(),
        "consents": consents,
        "active_consents": [c for c in consents if not c.withdrawn_on],
        "can_write": can_write(request) and not participant.depersonalized_at,
        "profile": profile,
        "needs": list(participant.needs.all()),
        "assessments": assessments,
        "assessment_rows": [
            (label, [a.scores.get(code) for a in assessments])
            for code, label in ASSESSMENT_PARAMETERS
        ],
        "consent_form": bound.get("consent_form") or ConsentForm(minor=minor),
        "profile_form": bound.get("profile_form")
        or MentorProfileForm(initial=_profile_initial(profile)),
        "need_form": bound.get("need_form") or NeedForm(),
        "assessment_form": bound.get("assessment_form") or AssessmentForm(),
        "open_form": next(iter(bound), ""),
        "consent_valid": participant.consent_state == ConsentState.VALID,
    }
    return render(request, "registry/participant_detail.html", context, status=status)


def _profile_initial(profile) -> dict:
    if profile is None:
        return {}
    fields = MentorProfileForm.base_fields
    return {name: getattr(profile, name) for name in fields}
