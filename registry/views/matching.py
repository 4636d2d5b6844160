"""Matching a programme: suggestions with their reasons; accept, edit or reject them.

Nothing is stored until «Принять выбранные»: the page re-runs the (deterministic)
matching on every visit, so it always reflects the registry as it is now. Rejecting a
suggestion sets its mentee aside for this round (`?skip=`): the optimiser then reassigns
everyone else and the mentee joins those left for support and continued search.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorship.conflicts import Conflict
from mentorship.query import query_int, query_ints
from mentorship.tenancy.access import tenant_view
from registry import access
from registry.models import Programme
from registry.services.matching import (
    MAX_MENTOR_CAPACITY,
    Blocker,
    CapacitySource,
    Fix,
    MatchingRun,
    Pool,
    mentor_capacities_set,
    pair_score,
    programme_match,
    programme_pool,
    suggestions_accept,
    unmatched_blockers,
)
from registry.views.common import closed_programme_redirect, error_messages, programme_or_404


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _ids(values) -> list[int]:
    return [i for i in (_int(v) for v in values) if i is not None]


def _skip_query(skipped, add: int | None = None, drop: int | None = None) -> str:
    ids = [i for i in skipped if i != drop] + ([add] if add is not None else [])
    query = QueryDict(mutable=True)
    query.setlist("skip", [str(i) for i in ids])
    return query.urlencode()


def mentor_options(pool: Pool, mentee_id: int, selected: int | None) -> list[dict]:
    """Every mentor of the programme for one mentee: free seats, score, and whether allowed."""
    options = []
    for mentor in sorted(pool.mentors, key=lambda m: pool.people[m.id].full_name):
        result = pair_score(pool, mentor.id, mentee_id)
        options.append(
            {
                "id": mentor.id,
                "name": pool.people[mentor.id].short_name,
                "free": mentor.capacity,
                "score": result.total if result else 0,
                "feasible": bool(result and result.feasible),
                "selected": mentor.id == selected,
            }
        )
    return options


def _rows(run: MatchingRun, edited: dict[int, int]) -> list[dict]:
    people, rows = run.pool.people, []
    for s in run.result.suggestions:
        chosen = edited.get(s.mentee_id, s.mentor_id)
        rows.append(
            {
                "mentor": people[s.mentor_id],
                "mentee": people[s.mentee_id],
                "score": s.score,
                "chosen": chosen,
                # An edited row comes back with its select open on the chosen mentor.
                "options": mentor_options(run.pool, s.mentee_id, chosen)
                if chosen != s.mentor_id
                else None,
                "reject_query": _skip_query(run.skipped_mentee_ids, add=s.mentee_id),
            }
        )
    return rows


def _fix_link(slug: str, run: MatchingRun, blocker: Blocker) -> tuple[str, str]:
    """(label, url) of the place where the curator removes this blocker."""
    person = blocker.mentee
    card = reverse(
        "registry:participant_detail", kwargs={"org_slug": slug, "participant_id": person.pk}
    )
    if blocker.fix == Fix.CONSENT:
        return _("Записать согласие"), f"{card}#consent-record"
    if blocker.fix == Fix.CONSENT_QUEUE:
        return _("Очередь согласий"), reverse("registry:consent_queue", kwargs={"org_slug": slug})
    if blocker.fix == Fix.MENTORS:
        url = reverse("registry:participant_list", kwargs={"org_slug": slug})
        return _("Наставники в реестре"), f"{url}?role=mentor"
    if blocker.fix == Fix.CAPACITY:
        return _("Места наставников"), f"#capacity-{blocker.mentor_ids[0]}"
    if blocker.fix == Fix.RESTORE:
        return _("Вернуть в подбор"), "?" + _skip_query(run.skipped_mentee_ids, drop=person.pk)
    return _("Карточка наставляемого"), card


def _mentor_rows(run: MatchingRun, posted=None) -> list[dict]:
    people, pool = run.pool.people, run.pool
    suggested: dict[int, int] = {}
    for s in run.result.suggestions:
        suggested[s.mentor_id] = suggested.get(s.mentor_id, 0) + 1
    rows = []
    for m in sorted(pool.mentors, key=lambda m: people[m.id].full_name):
        capacity = pool.capacities[m.id]
        value = capacity.total
        if posted is not None:
            value = posted.get(f"capacity_{m.id}", value)
        rows.append(
            {
                "person": people[m.id],
                "free": m.capacity,
                "suggested": suggested.get(m.id, 0),
                "capacity": capacity,
                "value": value,
                "is_default": capacity.source == CapacitySource.DEFAULT,
                "from_questionnaire": capacity.source == CapacitySource.QUESTIONNAIRE,
            }
        )
    return rows


def _context(programme: Programme, run: MatchingRun, **extra) -> dict:
    slug = programme.organization.slug
    unmatched = []
    for blocker in unmatched_blockers(run):
        label, url = _fix_link(slug, run, blocker)
        unmatched.append(
            {
                "person": blocker.mentee,
                "code": blocker.code,
                "reason": blocker.text,
                "fix_label": label,
                "fix_url": url,
                "needs": run.pool.mentee(blocker.mentee.pk).needs
                if run.pool.mentee(blocker.mentee.pk)
                else "",
            }
        )
    mentors = _mentor_rows(run, extra.pop("capacity_posted", None))
    return {
        "programme": programme,
        "run": run,
        "rows": _rows(run, extra.pop("edited", {})),
        "mentors": mentors,
        "defaults": sum(m["is_default"] for m in mentors),
        "unmatched": unmatched,
        "placeable": sum(u["code"] != "no_consent" for u in unmatched),
        "skip_query": _skip_query(run.skipped_mentee_ids),
        "skipped": run.skipped_mentee_ids,
        "accepted": extra.pop("accepted", None),
        "max_capacity": MAX_MENTOR_CAPACITY,
        # Mentors without a questionnaire take the programme's number (its settings).
        "default_capacity": programme.mentor_capacity,
        **extra,
    }


@require_http_methods(["GET", "POST"])
@tenant_view(access.MATCHING)
def programme_matching(request: HttpRequest, org_slug: str, programme_id: int) -> HttpResponse:
    programme = programme_or_404(programme_id)
    if closed := closed_programme_redirect(request, programme):
        return closed
    source = request.POST if request.method == "POST" else request.GET
    skipped = query_ints(source, "skip")
    if request.method == "POST":
        accepted = _ids(request.POST.getlist("accept"))
        edited = {
            mentee_id: mentor_id
            for mentee_id in accepted
            if (mentor_id := _int(request.POST.get(f"mentor_{mentee_id}"))) is not None
        }
        chosen = [(edited[m], m) for m in accepted if m in edited]
        try:
            pairs = suggestions_accept(actor=request.user, programme=programme, chosen=chosen)
        except ValidationError as error:
            for message in error_messages(error):
                messages.error(request, message)
            run = programme_match(programme, skip_mentee_ids=skipped)
            context = _context(programme, run, edited=edited, accepted=set(accepted))
            # 409: the suggestions were accepted a moment ago (a double click).
            status = 409 if isinstance(error, Conflict) else 200
            return render(request, "registry/pairs/matching.html", context, status=status)
        messages.success(
            request,
            ngettext(
                "Создана %(n)s предложенная пара. Она будет утверждена приказом.",
                "Создано предложенных пар: %(n)s. Они будут утверждены приказом.",
                len(pairs),
            )
            % {"n": len(pairs)},
        )
        url = reverse("registry:pair_list", kwargs={"org_slug": org_slug})
        return redirect(f"{url}?programme={programme.pk}&status=proposed")
    run = programme_match(programme, skip_mentee_ids=skipped)
    return render(request, "registry/pairs/matching.html", _context(programme, run))


@require_GET
@tenant_view(access.MATCHING)
def programme_matching_options(
    request: HttpRequest, org_slug: str, programme_id: int
) -> HttpResponse:
    """The «another mentor» select of one suggestion, loaded when the curator edits it."""
    programme = programme_or_404(programme_id)
    pool = programme_pool(programme)
    mentee_id = query_int(request.GET, "mentee")
    current_id = query_int(request.GET, "current")
    if mentee_id is None:
        # A malformed request, not a missing person: say so rather than "not found".
        return HttpResponse(_("Не указан наставляемый (параметр mentee)."), status=400)
    if pool.mentee(mentee_id) is None:
        return HttpResponse(_("Наставляемый не найден в базе программы."), status=404)
    options = mentor_options(pool, mentee_id, current_id)
    return render(
        request,
        "registry/pairs/_mentor_select.html",
        {"mentee_id": mentee_id, "options": options},
    )


@require_POST
@tenant_view(access.MATCHING)
def programme_matching_capacity(
    request: HttpRequest, org_slug: str, programme_id: int
) -> HttpResponse:
    """«Сохранить места и пересчитать»: every mentor's capacity in one form; the matching
    runs again on the page it returns to (the same `skip` round)."""
    programme = programme_or_404(programme_id)
    skipped = query_ints(request.POST, "skip")
    capacities = {
        mentor_id: request.POST[key]
        for key in request.POST
        if key.startswith("capacity_") and (mentor_id := _int(key.removeprefix("capacity_")))
    }
    try:
        changed = mentor_capacities_set(
            actor=request.user, programme=programme, capacities=capacities
        )
    except ValidationError as error:
        run = programme_match(programme, skip_mentee_ids=skipped)
        context = _context(
            programme,
            run,
            capacity_errors=error_messages(error),
            capacity_posted=request.POST,
        )
        return render(request, "registry/pairs/matching.html", context, status=400)
    if changed:
        messages.success(
            request,
            ngettext(
                "Число мест изменено у %(n)s наставника. Подбор пересчитан.",
                "Число мест изменено у %(n)s наставников. Подбор пересчитан.",
                len(changed),
            )
            % {"n": len(changed)},
        )
    else:
        messages.info(request, _("Число мест не изменилось."))
    url = reverse(
        "registry:programme_matching", kwargs={"org_slug": org_slug, "programme_id": programme.pk}
    )
    query = _skip_query(skipped)
    return redirect(f"{url}?{query}#mentor-capacity" if query else f"{url}#mentor-capacity")
