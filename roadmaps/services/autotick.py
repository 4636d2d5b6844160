"""A roadmap that ticks itself: an activity linked to a portal event is marked done when
that event happens in its organisation within its roadmap's period.

The link (`Activity.auto_event`) is chosen in the activity's form, or guessed on import
and from the standard template when the title clearly names the event (`guess_event`).
The events come through the core's bus (mentorship/events.py), emitted by the app that
did the thing: the pair order (registry), the approval of a roadmap (here), the end of a
monitoring campaign and a generated report (monitoring), a registry import (registry).

Rules, decided here:
- only the event's own organisation: another school's order ticks nothing here;
- only activities not done yet, of roadmaps not archived: an activity a person marked
  done is left as it is, and a second event finds nothing to tick (idempotent);
- the event's day lies within the roadmap's period; the approval of a roadmap ticks that
  roadmap's own item whenever it is dated (roadmaps are often approved before their
  period begins), and a school's copy of the municipal duty to approve its roadmap, but
  not the item of another roadmap the organisation approves on its own;
- the tick is the system's (no user), audited as `activity.auto_done`, and keeps why:
  «Отмечено автоматически: издан приказ № 12 от 01.10.2026» with a link to the evidence.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.utils import timezone

from mentorship import audit
from mentorship.events import Event, Evidence
from mentorship.models import Organization
from mentorship.tenancy.scoping import tenant_scope
from roadmaps.models import Activity, ActivityStatus, Roadmap, RoadmapStatus

AUTO_FIELDS = ("auto_done_at", "auto_note", "auto_url", "auto_url_rule")

# --- The keyword rule ------------------------------------------------------------------
# (event, what the title must contain, what it must not): a title is linked only when it
# clearly names the event, never on a guess. Matched on the lower-cased title, «ё» as «е».
_RULES: tuple[tuple[Event, re.Pattern[str], re.Pattern[str] | None], ...] = (
    (
        # «Издание приказа «Об утверждении наставнических пар/групп»».
        Event.PAIR_ORDER_ISSUED,
        re.compile(r"приказ.*(наставническ\w*\s+пар|\bпар\s*(/|и)\s*групп)"),
        None,
    ),
    (
        # «(Разработка и) утверждение (муниципальной) дорожной карты»; not «утверждение
        # положения … и дорожной карты»: the roadmap's approval does not prove the other.
        Event.ROADMAP_APPROVED,
        re.compile(r"утвержд\w*.*дорожн\w*\s+карт|дорожн\w*\s+карт.*утвержд"),
        re.compile(r"утвержд\w*\s+положени"),
    ),
    (
        # «Промежуточный мониторинг (анкеты…)», «Мониторинг программ наставничества»,
        # «Итоговое анкетирование удовлетворённости…»: a campaign of questionnaires; not
        # the monitoring of the roadmap or of the model's introduction.
        Event.CAMPAIGN_ENDED,
        re.compile(
            r"^(проведение\s+)?((входн|промежуточн|итогов)\w*\s+(и\s+\w+\s+)?)?"
            r"(мониторинг|анкетировани\w*\s+удовлетворен)"
        ),
        re.compile(r"дорожн|внедрени"),
    ),
    (
        # «Формирование баз(ы) наставников и наставляемых» of a school; not the
        # municipality's base of mentors.
        Event.REGISTRY_IMPORTED,
        re.compile(r"(формировани|создани)\w*\s+(\w+\s+)?баз\w*\s+настав"),
        re.compile(r"муниципал"),
    ),
    (
        # «Итоговый муниципальный отчёт», «Отчёт по итогам программы наставничества».
        Event.REPORT_GENERATED,
        re.compile(r"отчет.*(итог|мониторинг|реализаци|программ)|итогов\w*\s+(\w+\s+)?отчет"),
        re.compile(r"приказ"),
    ),
)
_NUMBERING = re.compile(r"^\s*[\d.)\s]+")


def guess_event(title: str) -> str:
    """The event a title clearly names, or "" (see _RULES)."""
    text = _NUMBERING.sub("", " ".join((title or "").lower().replace("ё", "е").split()))
    for event, wanted, unwanted in _RULES:
        if wanted.search(text) and not (unwanted and unwanted.search(text)):
            return event.value
    return ""


# --- The subscriber --------------------------------------------------------------------


def _within(activity: Activity, evidence: Evidence) -> bool:
    roadmap = activity.roadmap
    in_period = roadmap.period_start <= evidence.on <= roadmap.period_end
    if isinstance(evidence.subject, Roadmap):
        # An approval ticks the approved roadmap's own item, whenever dated; and the school
        # duty «approve your roadmap» handed down by the municipality (a school copy). It
        # never ticks the item of another roadmap of the organisation that is itself
        # approved on its own (last year's, still unticked).
        return evidence.subject.pk == roadmap.pk or (roadmap.origin_id is not None and in_period)
    return in_period


@transaction.atomic
def activities_tick(event: str, organization: Organization, evidence: Evidence) -> list[Activity]:
    """Mark done the organisation's activities linked to `event`; returns those ticked."""
    ticked: list[Activity] = []
    with tenant_scope(organization):
        candidates = (
            Activity.objects.filter(organization=organization, auto_event=event)
            .exclude(status=ActivityStatus.DONE)
            .exclude(roadmap__status=RoadmapStatus.ARCHIVED)
            .select_related("roadmap")
            .order_by("pk")
        )
        for activity in [a for a in candidates if _within(a, evidence)]:
            # Locked and read again: a person's mark made meanwhile wins.
            current = Activity.objects.select_for_update(no_key=True).get(pk=activity.pk)
            if current.status == ActivityStatus.DONE:
                continue
            now = timezone.now()
            current.status = ActivityStatus.DONE
            current.status_changed_at = now
            current.status_changed_by = None
            current.auto_done_at = now
            current.auto_note = evidence.note[:300]
            current.auto_url = evidence.url[:500]
            current.auto_url_rule = evidence.rule[:100]
            current.save(
                update_fields=["status", "status_changed_at", "status_changed_by", *AUTO_FIELDS]
            )
            audit.record(
                actor=None,
                organization=organization,
                action="activity.auto_done",
                obj=current,
                event=event,
                evidence=evidence.note,
                url=evidence.url,
            )
            ticked.append(current)
    return ticked


def on_event(event: str, organization: Organization, evidence: Evidence) -> None:
    """The roadmaps' subscriber on the core's event bus (RoadmapsConfig.ready)."""
    activities_tick(event, organization, evidence)
