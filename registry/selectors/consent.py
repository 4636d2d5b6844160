"""Reads about consents: the badge of a state, and the "consent needed" queue.

The queue is built with a fixed number of queries whatever its length: each person's
consents come prefetched, and what is missing is worked out from them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, IntegerField, Prefetch, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.models import Consent, ConsentGiver, ConsentPurpose, ConsentState, Participant


@dataclass(frozen=True)
class Badge:
    label: str
    css: str


# Bootstrap colours of the consent states: green is the only state that lets the
# programme use the person's data; withdrawn is dark because it starts destruction.
_BADGE_CSS = {
    ConsentState.VALID: "success",
    ConsentState.MISSING: "warning",
    ConsentState.INVALID: "danger",
    ConsentState.EXPIRED: "secondary",
    ConsentState.WITHDRAWN: "dark",
}


def consent_badge(state: str) -> Badge:
    try:
        label = str(ConsentState(state).label)
    except ValueError:
        label = state
    return Badge(label=label, css=_BADGE_CSS.get(state, "secondary"))


# The queue's order: what the curator can act on first (nobody asked yet, a form signed
# by the wrong person, a lapsed term), withdrawals last (only the family may reverse them).
QUEUE_ORDER = [
    ConsentState.MISSING,
    ConsentState.INVALID,
    ConsentState.EXPIRED,
    ConsentState.WITHDRAWN,
]


def _queue() -> QuerySet[Participant]:
    rank = Case(
        *(When(consent_state=state, then=Value(i)) for i, state in enumerate(QUEUE_ORDER)),
        default=Value(len(QUEUE_ORDER)),
        output_field=IntegerField(),
    )
    return (
        Participant.objects.filter(depersonalized_at__isnull=True)
        .exclude(consent_state=ConsentState.VALID)
        .order_by(rank, "last_name", "first_name", "pk")
    )


def consent_queue_rows() -> QuerySet[Participant]:
    """Everyone whose data the programme may not use yet: the "consent needed" queue."""
    return _queue().prefetch_related(
        Prefetch("consents", queryset=Consent.objects.order_by("-given_on", "-pk"))
    )


def consent_queue_actionable_ids() -> list[int]:
    """The queue in its order, without withdrawals (only the family may reverse those):
    the people a curator can record a consent for, one after another."""
    return list(_queue().exclude(consent_state=ConsentState.WITHDRAWN).values_list("pk", flat=True))


def consent_queue_next(before: list[int], current: int) -> tuple[int | None, int]:
    """After `current`'s consent: who comes next in the queue, and how many still wait.

    `before` is the queue as it was before the consent was saved, so "next" is the person
    who followed `current` even when `current` has just left the queue.
    """
    now = consent_queue_actionable_ids()
    waiting = set(now)
    after = before[before.index(current) + 1 :] if current in before else before
    following = [pk for pk in after if pk in waiting and pk != current]
    others = [pk for pk in now if pk != current]
    nxt = following[0] if following else (others[0] if others else None)
    return nxt, len(now)


def last_representative(participant: Participant) -> tuple[str, str]:
    """The name and relation of the latest representative on record (from prefetched
    consents), to prefill the queue: a lapsed or wrongly signed consent names the parent."""
    for consent in participant.consents.all():
        if consent.given_by != ConsentGiver.SELF and consent.giver_name:
            return consent.giver_name, consent.giver_relation
    return "", ""


def consent_queue_count() -> int:
    return (
        Participant.objects.filter(depersonalized_at__isnull=True)
        .exclude(consent_state=ConsentState.VALID)
        .count()
    )


def consent_gap(participant: Participant, on: date | None = None) -> str:
    """What is missing for a valid consent, in words a curator acts on.

    Reads the prefetched consents: no query per row in the queue.
    """
    on = on or timezone.localdate()
    minor = participant.is_minor(on)
    who = (
        _("родителя (законного представителя)")
        if minor
        else _("самого участника (совершеннолетнего)")
    )
    consents = list(participant.consents.all())
    state = participant.consent_state
    if state == ConsentState.WITHDRAWN:
        withdrawn = next((c for c in consents if c.withdrawn_on), None)
        when = withdrawn.withdrawn_on.strftime("%d.%m.%Y") if withdrawn else ""
        return _(
            "Согласие отозвано %(when)s: обработка прекращена, данные будут обезличены. "
            "Новое согласие — только по желанию %(who)s."
        ) % {"when": when, "who": who}
    if state == ConsentState.EXPIRED:
        until = max((c.valid_until for c in consents if c.valid_until), default=None)
        return _("Срок согласия истёк %(until)s: нужно новое согласие %(who)s.") % {
            "until": until.strftime("%d.%m.%Y") if until else "",
            "who": who,
        }
    if state == ConsentState.INVALID:
        if any(
            c.given_by == ConsentGiver.SELF and participant.is_minor(c.given_on) for c in consents
        ):
            return _(
                "Согласие подписал несовершеннолетний сам: нужно согласие родителя "
                "(законного представителя)."
            )
        if any(ConsentPurpose.PROGRAMME not in c.purposes for c in consents):
            return _("В согласии нет цели «участие в программе наставничества».")
        return _("Согласие оформлено с ошибкой: нужно новое согласие %(who)s.") % {"who": who}
    return _("Нет согласия на обработку персональных данных: нужно согласие %(who)s.") % {
        "who": who
    }
