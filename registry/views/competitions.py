"""Competitions «Лучший наставник» and the like; the jury's screen; the rewards page.

The methodist announces a competition at the municipality, seats the jury, follows the
scores and publishes the results, then issues the diplomas and the reward order. A
school's curator nominates the school's adult mentors on the same competition's page at
the school's address. A jury member scores from their own organisation's address
(registry/selectors/competitions.py decides what they reach).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorship.documents.services import document_request
from mentorship.documents.views import content_disposition
from mentorship.forms import apply_service_errors
from mentorship.models import User
from mentorship.tenancy.access import tenant_view
from registry import access
from registry.forms.competitions import CompetitionForm, JuryForm, NominateForm, RewardsForm
from registry.models import Participant, PartnerOrganization
from registry.selectors import competitions as selectors
from registry.selectors.municipal import MENTOR_BASE_CATEGORIES, unscoped_mentor_base
from registry.services import competitions as service

MAX_SHEET_VALUE_LENGTH = 4


def _school_mentors(competition=None) -> list[Participant]:
    return list(
        Participant.objects.filter(
            is_mentor=True, category__in=MENTOR_BASE_CATEGORIES, depersonalized_at__isnull=True
        ).order_by("last_name", "first_name", "pk")
    )


@require_GET
@tenant_view(access.COMPETITIONS_READ)
def competition_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    tenant = request.tenant
    context = {
        "competitions": selectors.competitions_for(tenant.organization),
        "seats": selectors.unscoped_jury_seats(request.user, tenant.organization),
    }
    return render(request, "registry/competitions/list.html", context)


@require_http_methods(["GET", "POST"])
@tenant_view(access.COMPETITIONS_MANAGE)
def competition_create(request: HttpRequest, org_slug: str) -> HttpResponse:
    form = CompetitionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                competition = service.competition_create(
                    actor=request.user,
                    organization=request.tenant.organization,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Конкурс объявлен. Теперь назначьте жюри."))
                return redirect(
                    "registry:competition_detail", org_slug=org_slug, competition_id=competition.pk
                )
        status = 400
    return render(request, "registry/competitions/form.html", {"form": form}, status=status)


def _detail(request: HttpRequest, competition, *, jury_form=None, nominate_form=None, status=200):
    tenant = request.tenant
    nominations, criteria = selectors.nominations_and_criteria(competition)
    context = {
        "competition": competition,
        "nominations": nominations,
        "criteria": criteria,
        "open_for_nominations": not competition.is_published
        and timezone.localdate() <= competition.nominations_until,
    }
    if tenant.is_school:
        context["nominees"] = selectors.school_nominees(competition)
        if access.COMPETITIONS_NOMINATE.permits(tenant) and context["open_for_nominations"]:
            context["nominate_form"] = nominate_form or NominateForm(
                nominations=nominations, mentors=_school_mentors()
            )
    else:
        nominees = selectors.unscoped_competition_nominees(competition)
        live = service.results(competition)
        places = service.rank(nominees, live)
        for nominee in nominees:
            nominee.live_total = nominee.total if competition.is_published else live.get(nominee.pk)
            nominee.live_place = (
                nominee.place if competition.is_published else places.get(nominee.pk)
            )
        context["nominees"] = nominees
        context["jury"] = selectors.jury_of(competition)
        if access.COMPETITIONS_MANAGE.permits(tenant) and not competition.is_published:
            context["jury_form"] = jury_form or JuryForm(
                candidates=service.jury_candidates(competition)
            )
    return render(request, "registry/competitions/detail.html", context, status=status)


@require_GET
@tenant_view(access.COMPETITIONS_READ)
def competition_detail(request: HttpRequest, org_slug: str, competition_id: int) -> HttpResponse:
    competition = selectors.competition_of(request.tenant.organization, competition_id)
    return _detail(request, competition)


@require_POST
@tenant_view(access.COMPETITIONS_MANAGE)
def competition_jury_add(request: HttpRequest, org_slug: str, competition_id: int) -> HttpResponse:
    competition = selectors.competition_of(request.tenant.organization, competition_id)
    form = JuryForm(request.POST, candidates=service.jury_candidates(competition))
    if form.is_valid():
        try:
            user = User.objects.get(pk=form.cleaned_data["user"])
            service.jury_add(actor=request.user, competition=competition, user=user)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Член жюри добавлен."))
            return redirect(
                "registry:competition_detail", org_slug=org_slug, competition_id=competition.pk
            )
    return _detail(request, competition, jury_form=form, status=400)


@require_POST
@tenant_view(access.COMPETITIONS_NOMINATE)
def competition_nominate(request: HttpRequest, org_slug: str, competition_id: int) -> HttpResponse:
    school = request.tenant.organization
    competition = selectors.competition_of(school, competition_id)
    nominations, _criteria = selectors.nominations_and_criteria(competition)
    mentors = _school_mentors()
    form = NominateForm(request.POST, request.FILES, nominations=nominations, mentors=mentors)
    if form.is_valid():
        data = form.cleaned_data
        try:
            service.nominee_create(
                actor=request.user,
                school=school,
                competition=competition,
                nomination=next(n for n in nominations if n.pk == data["nomination"]),
                participant=next((p for p in mentors if p.pk == data["participant"]), None),
                practice_title=data["practice_title"],
                description=data["description"],
                file=data["file"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Заявка подана."))
            return redirect(
                "registry:competition_detail", org_slug=org_slug, competition_id=competition.pk
            )
    return _detail(request, competition, nominate_form=form, status=400)


@require_POST
@tenant_view(access.COMPETITIONS_MANAGE)
def competition_publish(request: HttpRequest, org_slug: str, competition_id: int) -> HttpResponse:
    competition = selectors.competition_of(request.tenant.organization, competition_id)
    try:
        service.competition_publish(actor=request.user, competition=competition)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Итоги опубликованы: победители отмечены в карточках."))
    return redirect("registry:competition_detail", org_slug=org_slug, competition_id=competition.pk)


COMPETITION_DOCUMENTS = ("competition_diploma", "reward_order")


@require_POST
@tenant_view(access.COMPETITIONS_MANAGE)
def competition_document(request: HttpRequest, org_slug: str, competition_id: int) -> HttpResponse:
    """The diplomas of the winners, or the reward order naming them."""
    competition = selectors.competition_of(request.tenant.organization, competition_id)
    kind = request.POST.get("kind")
    if kind not in COMPETITION_DOCUMENTS or not competition.is_published:
        messages.error(request, _("Документы готовятся после публикации итогов."))
        response = redirect(
            "registry:competition_detail", org_slug=org_slug, competition_id=competition.pk
        )
        response.status_code = 302
        return response
    try:
        document = document_request(
            actor=request.user,
            organization=request.tenant.organization,
            kind=kind,
            params={"competition_id": competition.pk},
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(
            "registry:competition_detail", org_slug=org_slug, competition_id=competition.pk
        )
    messages.success(request, _("Документ поставлен в очередь на формирование."))
    return redirect("document_detail", org_slug=org_slug, document_id=document.pk)


def _file_response(nominee):
    name = nominee.file.name.rsplit("/", 1)[-1]
    extension = name.rsplit(".", 1)[-1] if "." in name else "pdf"
    filename = f"{nominee.full_name or nominee.practice_title} — материалы.{extension}"
    response = FileResponse(nominee.file.open("rb"), as_attachment=True)
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@tenant_view(access.COMPETITIONS_READ)
def nominee_file(
    request: HttpRequest, org_slug: str, competition_id: int, nominee_id: int
) -> HttpResponse:
    """A nominee's materials: for its school and for the competition's municipality."""
    organization = request.tenant.organization
    competition = selectors.competition_of(organization, competition_id)
    return _file_response(selectors.nominee_with_file(organization, competition, nominee_id))


# --- The jury ---------------------------------------------------------------------------


@require_GET
@tenant_view(access.COMPETITIONS_JURY)
def jury_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    seats = selectors.unscoped_jury_seats(request.user, request.tenant.organization)
    return render(request, "registry/competitions/jury_list.html", {"seats": seats})


def _sheet_values(post, rows) -> tuple[dict[tuple[int, int], int | None], list[str]]:
    values: dict[tuple[int, int], int | None] = {}
    errors: list[str] = []
    for row in rows:
        for criterion, _value in row.cells:
            key = f"s-{row.nominee.pk}-{criterion.pk}"
            raw = (post.get(key) or "").strip()
            if not raw:
                values[(row.nominee.pk, criterion.pk)] = None
                continue
            if len(raw) > MAX_SHEET_VALUE_LENGTH or not raw.isdigit():
                errors.append(
                    _("«%(c)s»: балл — целое число от 0 до %(max)s.")
                    % {"c": criterion.title, "max": criterion.max_score}
                )
                continue
            values[(row.nominee.pk, criterion.pk)] = int(raw)
    return values, list(dict.fromkeys(errors))


@require_http_methods(["GET", "POST"])
@tenant_view(access.COMPETITIONS_JURY)
def jury_sheet(request: HttpRequest, org_slug: str, jury_competition_id: int) -> HttpResponse:
    """One screen per jury member: the nominees × the criteria, saved at once."""
    seat = selectors.unscoped_jury_seat(
        request.user, request.tenant.organization, jury_competition_id
    )
    criteria, rows = selectors.jury_sheet(seat)
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        values, errors = _sheet_values(request.POST, rows)
        if not errors:
            try:
                service.scores_save(actor=request.user, seat=seat, values=values)
            except ValidationError as error:
                errors = error.messages
            else:
                messages.success(request, _("Оценки сохранены."))
                return redirect(
                    "registry:jury_sheet",
                    org_slug=org_slug,
                    jury_competition_id=seat.competition_id,
                )
        status = 400
        # Show what was typed, not what is stored.
        for row in rows:
            row.cells = [
                (c, request.POST.get(f"s-{row.nominee.pk}-{c.pk}", "")) for c, _v in row.cells
            ]
    context = {"seat": seat, "competition": seat.competition, "criteria": criteria, "rows": rows}
    context["errors"] = errors
    return render(request, "registry/competitions/jury_sheet.html", context, status=status)


@require_GET
@tenant_view(access.COMPETITIONS_JURY)
def jury_nominee_file(
    request: HttpRequest, org_slug: str, jury_competition_id: int, nominee_id: int
) -> HttpResponse:
    """A nominee's materials for a jury member of the competition."""
    seat = selectors.unscoped_jury_seat(
        request.user, request.tenant.organization, jury_competition_id
    )
    return _file_response(selectors.unscoped_jury_nominee_with_file(seat, nominee_id))


# --- Rewards: the reward order and thank-you letters from chosen people ----------------


def _reward_choices(organization) -> tuple[list, list]:
    if organization.is_educational:
        mentors = [
            (p.pk, f"{p.full_name}" + (f" — {p.position}" if p.position else ""))
            for p in _school_mentors()
        ]
    else:
        mentors = [
            (e.participant_id, f"{e.full_name} — {e.school_name}")
            for e in unscoped_mentor_base(organization)
        ]
    partners = [(p.pk, p.name) for p in PartnerOrganization.objects.order_by("name", "pk")]
    return mentors, partners


@require_http_methods(["GET", "POST"])
@tenant_view(access.REWARDS)
def rewards(request: HttpRequest, org_slug: str) -> HttpResponse:
    organization = request.tenant.organization
    mentors, partners = _reward_choices(organization)
    form = RewardsForm(request.POST or None, mentors=mentors, partners=partners)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            params = (
                {"participant_ids": data["participant_ids"]}
                if data["kind"] == RewardsForm.ORDER
                else {"partner_ids": data["partner_ids"]}
            )
            try:
                document = document_request(
                    actor=request.user, organization=organization, kind=data["kind"], params=params
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Документ поставлен в очередь на формирование."))
                return redirect("document_detail", org_slug=org_slug, document_id=document.pk)
        status = 400
    return render(request, "registry/competitions/rewards.html", {"form": form}, status=status)
