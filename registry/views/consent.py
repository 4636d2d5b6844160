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
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from mentorship import audit
from mentorship.forms import apply_service_errors
from mentorship.http import stored_file_download
from mentorship.query import page_of
from mentorship.tenancy.access import get_in_tenant_or_404, tenant_view
from registry import access
from registry.forms.consent import RELATIONS, ConsentBatchForm, ConsentForm, WithdrawForm
from registry.models import Consent, ConsentGiver, ConsentPurpose, ConsentState, Participant
from registry.selectors import consent as consent_selectors
from registry.services.consent import (
    consent_forms_request,
    consent_record,
    consent_withdraw,
    giver_of,
)
from registry.services.consent.batch import (
    ConsentBatchError,
    ConsentEntry,
    consents_record,
    match_scans,
)
from registry.views.common import decorate_people, living_participant_or_404
from registry.views.people import render_detail, to_page

# The queue is one screen to tick people on: a school's whole waiting list fits a page.
QUEUE_PAGE_SIZE = 200


def _queue_page(
    request: HttpRequest,
    *,
    form: ConsentBatchForm | None = None,
    problems: dict[int, list[str]] | None = None,
    general: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    page = page_of(Paginator(consent_selectors.consent_queue_rows(), QUEUE_PAGE_SIZE), request.GET)
    page.object_list = list(page.object_list)
    decorate_people(page.object_list)
    posted = request.POST if request.method == "POST" else None
    ticked = set(posted.getlist("person")) if posted else set()
    problems = problems or {}
    for p in page.object_list:
        p.gap = consent_selectors.consent_gap(p)
        p.minor = p.is_minor()
        p.actionable = p.consent_state != ConsentState.WITHDRAWN
        name, relation = consent_selectors.last_representative(p)
        if posted:
            name = posted.get(f"giver_name_{p.pk}", "")
            relation = posted.get(f"giver_relation_{p.pk}", "")
        p.giver_name_value, p.giver_relation_value = name, relation
        p.ticked = str(p.pk) in ticked
        p.problems = problems.get(p.pk, [])
    context = {
        "page": page,
        "form": form or ConsentBatchForm(),
        "relations": RELATIONS,
        "general_problems": general or [],
        "problems": bool(problems),
        "actionable": sum(p.actionable for p in page.object_list),
    }
    return render(request, "registry/consent_queue.html", context, status=status)


@require_GET
@tenant_view(access.PEOPLE_READ)
def consent_queue(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Everyone the programme may not process yet, with what is missing for each; the
    curator ticks those whose signed forms came back and records them in one go."""
    return _queue_page(request)


@require_POST
@tenant_view(access.CONSENT)
def consent_queue_record(request: HttpRequest, org_slug: str) -> HttpResponse:
    """The queue's one click: the ticked people's consents, one date, the scans."""
    form = ConsentBatchForm(request.POST, request.FILES)
    try:
        ids = sorted({int(v) for v in request.POST.getlist("person")})
    except ValueError:
        raise Http404 from None
    if not form.is_valid():
        return _queue_page(request, form=form, status=400)
    if not ids:
        general = [_("Отметьте в таблице тех, чьи подписанные бланки вернулись.")]
        return _queue_page(request, form=form, general=general, status=400)
    people = list(Participant.objects.filter(pk__in=ids, depersonalized_at__isnull=True))
    if len(people) != len(ids):
        # A stranger's or a missing person looks the same: nothing to record.
        raise Http404
    entries, general = _entries(request, form, people)
    if general:
        return _queue_page(request, form=form, general=general, status=400)
    try:
        consents = consents_record(actor=request.user, entries=entries, source="queue")
    except ConsentBatchError as error:
        return _queue_page(request, form=form, problems=error.by_person, status=400)
    scans = sum(bool(c.scan) for c in consents)
    messages.success(
        request,
        ngettext(
            "Записано %(n)s согласие (сканов: %(scans)s).",
            "Записано %(n)s согласий (сканов: %(scans)s).",
            len(consents),
        )
        % {"n": len(consents), "scans": scans},
    )
    return redirect("registry:consent_queue", org_slug=org_slug)


def _entries(
    request: HttpRequest, form: ConsentBatchForm, people: list[Participant]
) -> tuple[list[ConsentEntry], list[str]]:
    """The batch service's entries from the table's rows; scans matched by file name or
    chosen in a row. Problems with the files come back before anything is checked."""
    given_on = form.cleaned_data["given_on"]
    by_name, general = match_scans(form.cleaned_data["scans"], people)
    entries = []
    for person in people:
        scan = request.FILES.get(f"scan_{person.pk}")
        if scan is not None and person.pk in by_name:
            general.append(
                _("%(who)s: выбраны два скана — «%(a)s» в строке и «%(b)s» среди общих.")
                % {"who": person.short_name, "a": scan.name, "b": by_name[person.pk].name}
            )
        entry = ConsentEntry(
            participant=person,
            given_by=ConsentGiver.SELF,
            given_on=given_on,
            purposes=[ConsentPurpose.PROGRAMME],
            on_paper=form.cleaned_data["on_paper"],
            scan=scan or by_name.get(person.pk),
        )
        if person.is_minor(given_on):
            entry.giver_name = request.POST.get(f"giver_name_{person.pk}", "")[:300]
            entry.giver_relation = request.POST.get(f"giver_relation_{person.pk}", "")[:100]
            entry.given_by = giver_of(entry.giver_relation) or ConsentGiver.PARENT
        entries.append(entry)
    ticked = {p.pk for p in people}
    for key in request.FILES:
        if key.startswith("scan_") and key[5:].isdigit() and int(key[5:]) not in ticked:
            general.append(
                _("Скан «%(file)s» выбран в строке человека, который не отмечен.")
                % {"file": request.FILES[key].name}
            )
    return entries, general


@require_POST
@tenant_view(access.CONSENT)
def consent_record_view(request: HttpRequest, org_slug: str, participant_id: int) -> HttpResponse:
    participant = living_participant_or_404(participant_id)
    from_queue = request.POST.get("from") == "queue"
    queue_before = consent_selectors.consent_queue_actionable_ids() if from_queue else []
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
            _consent_message(request, participant, consent)
            if from_queue:
                return _next_in_queue(request, org_slug, queue_before, participant.pk)
            return to_page(org_slug, participant.pk, "consents")
    return render_detail(request, participant.pk, status=400, consent_form=form)


def _consent_message(request: HttpRequest, participant: Participant, consent) -> None:
    state = consent.state()
    if state == ConsentState.VALID:
        messages.success(request, _("Согласие записано: данные участника можно обрабатывать."))
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


def _next_in_queue(
    request: HttpRequest, org_slug: str, before: list[int], current: int
) -> HttpResponse:
    """From the queue, a saved consent opens the next person waiting for one."""
    nxt, waiting = consent_selectors.consent_queue_next(before, current)
    if nxt is None:
        messages.info(request, _("В очереди «Нужно согласие» больше никого нет."))
        return redirect("registry:consent_queue", org_slug=org_slug)
    messages.info(
        request,
        ngettext(
            "Следующий в очереди «Нужно согласие»: остался %(n)s человек.",
            "Следующий в очереди «Нужно согласие»: осталось %(n)s человек.",
            waiting,
        )
        % {"n": waiting},
    )
    response = to_page(org_slug, nxt, "consents")
    response["Location"] = response["Location"].replace("#", "?from=queue#", 1)
    return response


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
