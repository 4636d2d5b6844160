"""The questionnaire builder: list and create, the builder page with its operations, and
a preview that shows the participant's page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mentorship.forms import apply_service_errors
from mentorship.tenancy.access import tenant_view
from monitoring import access
from monitoring.forms.questionnaires import QuestionForm, QuestionnaireForm, SectionForm
from monitoring.models import Questionnaire
from monitoring.services import questionnaires as builder
from monitoring.services.answering import form_rows, form_spec
from monitoring.services.questionnaires import is_answered
from monitoring.views.common import questionnaire_or_404

SECTION_OPS = {
    "section_rename": "rename",
    "section_delete": "delete",
    "section_up": "up",
    "section_down": "down",
}
QUESTION_OPS = {"question_delete": "delete", "question_up": "up", "question_down": "down"}


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


@require_http_methods(["GET", "POST"])
@tenant_view(access.QUESTIONNAIRES_READ, write=access.QUESTIONNAIRES_WRITE)
def questionnaire_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    """GET: the standard and own questionnaires; POST: create or copy one
    (`monitoring.questionnaires_write`)."""
    organization = request.tenant.organization
    form = QuestionnaireForm(request.POST or None)
    if request.method == "POST":
        source_id = request.POST.get("copy_of")
        try:
            if source_id:
                source = questionnaire_or_404(request, source_id)
                created = builder.questionnaire_copy(
                    actor=request.user, source=source, organization=organization
                )
                messages.success(request, _("Копия создана: её можно изменять."))
            elif form.is_valid():
                created = builder.questionnaire_create(
                    actor=request.user, organization=organization, **form.cleaned_data
                )
            else:
                created = None
        except ValidationError as error:
            # A questionnaire of that title exists (a double click, a second copy).
            apply_service_errors(form, error)
            created = None
        if created is not None:
            return redirect(
                "monitoring:questionnaire_detail", org_slug=org_slug, questionnaire_id=created.pk
            )
    available = (
        Questionnaire.objects.available_at(organization)
        .filter(is_current=True)
        .order_by("-organization_id", "title")
    )
    context = {
        "standard": [q for q in available if q.is_standard],
        "own": [q for q in available if not q.is_standard],
        "form": form,
    }
    return render(request, "monitoring/questionnaire_list.html", context)


def _apply(request: HttpRequest, questionnaire: Questionnaire) -> Questionnaire:
    """Run the posted builder operation; returns the version it landed on."""
    op = request.POST.get("op", "")
    actor = request.user
    if op == "meta":
        form = QuestionnaireForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("Укажите название, вид и кто отвечает."))
        return builder.questionnaire_update(
            actor=actor, questionnaire=questionnaire, **form.cleaned_data
        )
    if op == "section_add":
        form = SectionForm(request.POST, prefix="new")
        if not form.is_valid():
            raise ValidationError(_("Укажите название раздела."))
        return builder.section_add(
            actor=actor, questionnaire=questionnaire, title=form.cleaned_data["title"]
        )
    if op in SECTION_OPS:
        return builder.section_change(
            actor=actor,
            questionnaire=questionnaire,
            section_id=request.POST.get("section"),
            op=SECTION_OPS[op],
            title=request.POST.get("title", ""),
        )
    if op in ("question_add", "question_edit"):
        form = QuestionForm(request.POST, prefix=request.POST.get("prefix") or None)
        if not form.is_valid():
            raise ValidationError(
                [f"{form.fields[n].label}: {' '.join(e)}" for n, e in form.errors.items()]
            )
        if op == "question_add":
            return builder.question_add(
                actor=actor,
                questionnaire=questionnaire,
                section_id=request.POST.get("section"),
                data=form.service_data(),
            )
        return builder.question_change(
            actor=actor,
            questionnaire=questionnaire,
            question_id=request.POST.get("question"),
            op="edit",
            data=form.service_data(),
        )
    if op in QUESTION_OPS:
        return builder.question_change(
            actor=actor,
            questionnaire=questionnaire,
            question_id=request.POST.get("question"),
            op=QUESTION_OPS[op],
        )
    raise ValidationError(_("Неизвестное действие."))


@require_http_methods(["GET", "POST"])
@tenant_view(access.QUESTIONNAIRES_READ, write=access.QUESTIONNAIRES_WRITE)
def questionnaire_detail(
    request: HttpRequest, org_slug: str, questionnaire_id: int
) -> HttpResponse:
    """GET: the builder page; POST: one builder operation (`monitoring.questionnaires_write`
    on the organisation's own current version)."""
    questionnaire = questionnaire_or_404(request, questionnaire_id)
    editable = access.can_edit(request.tenant, questionnaire) and questionnaire.is_current
    if request.method == "POST":
        if not editable:
            access.QUESTIONNAIRES_WRITE.check(request.tenant)
            messages.error(request, _("Эту анкету нельзя изменить здесь."))
            return redirect(
                "monitoring:questionnaire_detail",
                org_slug=org_slug,
                questionnaire_id=questionnaire.pk,
            )
        try:
            target = _apply(request, questionnaire)
        except ValidationError as error:
            messages.error(request, _errors(error))
            target = questionnaire
        else:
            if target.pk != questionnaire.pk:
                messages.info(
                    request,
                    _(
                        "На анкету уже есть ответы, поэтому изменения сохранены в новой версии "
                        "%(new)s. Ответы остались у версии %(old)s."
                    )
                    % {"new": target.version, "old": questionnaire.version},
                )
            else:
                messages.success(request, _("Сохранено."))
        anchor = request.POST.get("anchor", "")
        url = redirect(
            "monitoring:questionnaire_detail", org_slug=org_slug, questionnaire_id=target.pk
        ).url
        return redirect(f"{url}#{anchor}" if anchor else url)
    sections = list(questionnaire.sections.prefetch_related("questions"))
    for section in sections:
        section.add_form = QuestionForm(prefix=f"s{section.pk}", initial={"required": True})
        for question in section.questions.all():
            question.form = QuestionForm.for_question(question, prefix=f"q{question.pk}")
    context = {
        "questionnaire": questionnaire,
        "sections": sections,
        "editable": editable,
        "answered": is_answered(questionnaire),
        "versions": Questionnaire.objects.filter(
            family=questionnaire.family, organization=questionnaire.organization
        )
        .order_by("-version")
        .only("pk", "version", "is_current"),
        "meta_form": QuestionnaireForm(
            initial={
                "title": questionnaire.title,
                "kind": questionnaire.kind,
                "audience": questionnaire.audience,
                "description": questionnaire.description,
            }
        ),
        "section_form": SectionForm(prefix="new"),
    }
    return render(request, "monitoring/questionnaire_detail.html", context)


@require_GET
@tenant_view(access.QUESTIONNAIRES_READ)
def questionnaire_preview(
    request: HttpRequest, org_slug: str, questionnaire_id: int
) -> HttpResponse:
    questionnaire = questionnaire_or_404(request, questionnaire_id)
    context = {
        "questionnaire": questionnaire,
        "school": request.tenant.organization,
        "campaign": None,
        "sections": form_rows(form_spec(questionnaire), {}, {}),
        "preview": True,
        "back_url": redirect(
            "monitoring:questionnaire_detail", org_slug=org_slug, questionnaire_id=questionnaire.pk
        ).url,
    }
    return render(request, "monitoring/public/answer.html", context)
