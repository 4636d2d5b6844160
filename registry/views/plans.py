"""Each mentee's individual development plan in a pair: goals, tasks, interim and final
reports."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mentorship.forms import apply_service_errors
from mentorship.tenancy.access import get_in_tenant_or_404, tenant_view
from registry import access
from registry.forms.pairs import PlanCreateForm, PlanForm, TaskForm
from registry.models import DevelopmentPlan, PlanTask
from registry.selectors import pairs as pair_selectors
from registry.services.pairs import plan_save, plan_task_save
from registry.views.common import full_pair_or_404
from registry.views.pairs import detail_context


@require_POST
@tenant_view(access.PAIRS_WRITE)
def plan_add(request: HttpRequest, org_slug: str, pair_id: int) -> HttpResponse:
    pair = full_pair_or_404(pair_id)
    form = PlanCreateForm(request.POST, mentees=pair_selectors.member_people(pair, "mentee"))
    if form.is_valid():
        try:
            plan = plan_save(
                actor=request.user,
                pair=pair,
                mentee=form.cleaned_data["mentee"],
                goals=form.cleaned_data["goals"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Индивидуальный план развития создан."))
            return redirect("registry:plan_detail", org_slug=org_slug, plan_id=plan.pk)
    context = detail_context(request, pair, plan_form=form)
    return render(request, "registry/pairs/detail.html", context)


def _plan_or_404(plan_id: int) -> DevelopmentPlan:
    plans = DevelopmentPlan.objects.select_related(
        "mentee", "pair__programme", "pair__form"
    ).prefetch_related(Prefetch("tasks", queryset=PlanTask.objects.order_by("due_on", "pk")))
    return get_in_tenant_or_404(plans, pk=plan_id)


def _plan_page(request: HttpRequest, plan: DevelopmentPlan, **forms) -> HttpResponse:
    writer = access.PAIRS_WRITE.permits(request.tenant)
    tasks = list(plan.tasks.all())
    context = {"plan": plan, "pair": plan.pair, "tasks": tasks}
    if writer:
        context["plan_form"] = forms.get("plan_form") or PlanForm(
            initial={
                "goals": plan.goals,
                "interim_report": plan.interim_report,
                "final_report": plan.final_report,
            }
        )
        context["task_form"] = forms.get("task_form") or TaskForm(prefix="new")
        # One small form per task row, to change its status or deadline in place.
        context["task_forms"] = [
            (
                task,
                TaskForm(
                    prefix=f"t{task.pk}",
                    form_id=f"task-{task.pk}",
                    initial={
                        "title": task.title,
                        "due_on": task.due_on,
                        "status": task.status,
                    },
                ),
            )
            for task in tasks
        ]
    return render(request, "registry/pairs/plan.html", context)


@require_http_methods(["GET", "POST"])
@tenant_view(access.PAIRS_READ, write=access.PAIRS_WRITE)
def plan_detail(request: HttpRequest, org_slug: str, plan_id: int) -> HttpResponse:
    """A mentee's plan: goals, tasks, interim and final reports. Curators edit it here."""
    plan = _plan_or_404(plan_id)
    if request.method == "GET":
        return _plan_page(request, plan)
    form = PlanForm(request.POST)
    if form.is_valid():
        try:
            plan_save(actor=request.user, pair=plan.pair, mentee=plan.mentee, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("План сохранён."))
            return redirect("registry:plan_detail", org_slug=org_slug, plan_id=plan.pk)
    return _plan_page(request, plan, plan_form=form)


@require_POST
@tenant_view(access.PAIRS_WRITE)
def plan_task(request: HttpRequest, org_slug: str, plan_id: int) -> HttpResponse:
    """Add a task (prefix `new`) or change one (prefix `t<id>`, its id checked in the plan)."""
    plan = _plan_or_404(plan_id)
    prefix = request.POST.get("prefix", "new")
    if prefix != "new" and not (prefix.startswith("t") and prefix[1:].isdigit()):
        prefix = "new"
    form = TaskForm(request.POST, prefix=prefix)
    if form.is_valid():
        data = form.cleaned_data
        task = None
        if prefix != "new":
            task = plan.tasks.filter(pk=int(prefix[1:])).first()
            if task is None:
                messages.error(request, _("Задача не найдена в этом плане."))
                return redirect("registry:plan_detail", org_slug=org_slug, plan_id=plan.pk)
        try:
            plan_task_save(
                actor=request.user,
                plan=plan,
                title=data["title"],
                due_on=data["due_on"],
                status=data["status"],
                task=task,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Задача сохранена."))
            return redirect("registry:plan_detail", org_slug=org_slug, plan_id=plan.pk)
    if prefix == "new":
        return _plan_page(request, plan, task_form=form)
    for message in form.errors.values():
        messages.error(request, " ".join(message))
    return redirect("registry:plan_detail", org_slug=org_slug, plan_id=plan.pk)
