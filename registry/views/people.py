"""The school's people: the registry list with bulk actions, a person's page, create and
edit, and what the curator records on the page (questionnaire, needs, assessment).

A valid form on the person's page redirects back to it (post/redirect/get); an invalid
one re-renders the page with that form bound and open, with status 400.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorship.conflicts import Conflict
from mentorship.forms import apply_service_errors
from mentorship.query import page_of, valid_query
from mentorship.tenancy.access import tenant_view
from registry import access
from registry.forms.consent import ConsentForm, WithdrawForm
from registry.forms.people import (
    AssessmentForm,
    BulkAction,
    BulkForm,
    MentorProfileForm,
    NeedForm,
    ParticipantFilter,
    ParticipantForm,
)
from registry.models import (
    ASSESSMENT_PARAMETERS,
    Category,
    ConsentPurpose,
    ConsentState,
    MentoringForm,
    Participant,
)
from registry.selectors import consent as consent_selectors
from registry.selectors import people as selectors
from registry.selectors.competitions import awards_of
from registry.selectors.school import unscoped_training_history
from registry.services.consent import consent_forms_request
from registry.services.participants import (
    entry_assessment_save,
    mentee_need_add,
    mentor_profile_save,
    participant_create,
    participant_update,
    record_view,
)
from registry.views.common import decorate_people, living_participant_or_404

PAGE_SIZE = 50


@require_GET
@tenant_view(access.PEOPLE_READ)
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
    valid_query(filterset)
    page = page_of(Paginator(filterset.qs, PAGE_SIZE), request.GET)
    page.object_list = list(page.object_list)  # one query; the template reuses the rows
    decorate_people(page.object_list)
    selectors.attach_forms(page.object_list, forms)
    writer = access.PEOPLE_WRITE.permits(request.tenant)
    context = {
        "filter": filterset,
        "page": page,
        "bulk_actions": BulkAction.CHOICES if writer else None,
        "mentoring_forms": forms,
        "queue_count": consent_selectors.consent_queue_count(),
        "filtered": any(v for k, v in request.GET.items() if k != "page"),
    }
    return render(request, "registry/participant_list.html", context)


def _back_to_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    # Only a query string travels back, re-encoded: the redirect stays on our page.
    query = QueryDict(request.POST.get("query", ""), mutable=False).urlencode()
    url = reverse("registry:participant_list", kwargs={"org_slug": org_slug})
    return redirect(f"{url}?{query}" if query else url)


@require_POST
@tenant_view(access.PEOPLE_WRITE)
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
    if action == BulkAction.PERSONAL_LINKS:
        # A bulk action of the list, but personal links are the links rule's.
        from registry.views.links import bulk_issue

        return bulk_issue(request, people)

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
    # A bulk action of the list, but printing consent forms is the consent rule's.
    access.CONSENT.check(request.tenant)
    document = consent_forms_request(
        actor=request.user, organization=request.tenant.organization, participants=people
    )
    messages.success(request, _("Бланки согласий поставлены в очередь на формирование."))
    return redirect("document_detail", org_slug=org_slug, document_id=document.pk)


def _participant_form(request: HttpRequest, **kwargs) -> ParticipantForm:
    partners = selectors.partner_choices(request.tenant.organization)
    return ParticipantForm(request.POST or None, partners=partners, **kwargs)


@require_http_methods(["GET", "POST"])
@tenant_view(access.PEOPLE_WRITE)
def participant_create_view(request: HttpRequest, org_slug: str) -> HttpResponse:
    form = _participant_form(request, initial={"category": request.GET.get("category", "")})
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        try:
            participant = participant_create(
                actor=request.user,
                organization=request.tenant.organization,
                **form.service_kwargs(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
            if isinstance(error, Conflict):
                status = 409  # the person is in the registry already (a double click)
        else:
            messages.success(
                request,
                _("Участник добавлен. Запишите его согласие на обработку персональных данных."),
            )
            return redirect(
                "registry:participant_detail", org_slug=org_slug, participant_id=participant.pk
            )
    context = {"form": form, "participant": None}
    return render(request, "registry/participant_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@tenant_view(access.PEOPLE_WRITE)
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
            return redirect(
                "registry:participant_detail", org_slug=org_slug, participant_id=participant.pk
            )
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "participant": participant}
    return render(request, "registry/participant_form.html", context, status=status)


@require_GET
@tenant_view(access.PEOPLE_READ)
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
    decorate_people([participant])
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
    training = []
    if participant.is_mentor:
        training = unscoped_training_history([participant.pk], request.tenant.organization).get(
            participant.pk, []
        )
    context = {
        "training": training,
        "participant": participant,
        "minor": minor,
        "age": participant.age(),
        "consents": consents,
        "active_consents": [c for c in consents if not c.withdrawn_on],
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
        # Prize places in the municipality's competitions: adult mentors only.
        "awards": (
            awards_of(participant)
            if participant.is_mentor and participant.category != Category.PUPIL
            else []
        ),
        "page_link": next((x for x in participant.live_links if x.purpose == "page"), None),
        # Opened from the consent queue: saving opens the next person, and says how many wait.
        "from_queue": (request.GET.get("from") or request.POST.get("from")) == "queue",
    }
    if context["from_queue"]:
        context["queue_left"] = consent_selectors.consent_queue_count()
    return render(request, "registry/participant_detail.html", context, status=status)


def _profile_initial(profile) -> dict:
    if profile is None:
        return {}
    fields = MentorProfileForm.base_fields
    return {name: getattr(profile, name) for name in fields}


def to_page(org_slug: str, participant_id: int, anchor: str = "") -> HttpResponse:
    response = redirect(
        "registry:participant_detail", org_slug=org_slug, participant_id=participant_id
    )
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


@require_POST
@tenant_view(access.PEOPLE_WRITE)
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
            return to_page(org_slug, participant.pk, "questionnaire")
    return render_detail(request, participant.pk, status=400, profile_form=form)


@require_POST
@tenant_view(access.PEOPLE_WRITE)
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
            return to_page(org_slug, participant.pk, "needs")
    return render_detail(request, participant.pk, status=400, need_form=form)


@require_POST
@tenant_view(access.PEOPLE_WRITE)
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
            return to_page(org_slug, participant.pk, "assessment")
    return render_detail(request, participant.pk, status=400, assessment_form=form)
