"""Named events of the portal: something an organisation did that other apps may act on.

An app that does the thing emits it; an app that cares subscribes in its
`AppConfig.ready()`. Neither imports the other, and the core imports neither: the
roadmaps tick their activities when a pair order is issued (registry), a campaign ends
(monitoring) or a report is generated, without knowing who sent it::

    events.emit(events.Event.PAIR_ORDER_ISSUED, school, evidence=Evidence(...))

Delivery is synchronous, inside the emitter's transaction: what a subscriber writes
commits with the event or not at all (an order rolled back ticks nothing). Each
subscriber runs in its own savepoint, and a failing one is logged and rolled back alone:
a bug in a reaction never fails the order, the approval or the import that caused it.
"""

from __future__ import annotations

import datetime
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentorship.models import Document, Organization

logger = logging.getLogger(__name__)


class Event(models.TextChoices):
    """The events the portal knows, as a person would name them in a roadmap."""

    PAIR_ORDER_ISSUED = (
        "pair_order_issued",
        gettext_lazy("издан приказ об утверждении наставнических пар/групп"),
    )
    ROADMAP_APPROVED = "roadmap_approved", gettext_lazy("утверждена дорожная карта")
    CAMPAIGN_ENDED = "campaign_ended", gettext_lazy("завершена кампания мониторинга")
    REGISTRY_IMPORTED = "registry_imported", gettext_lazy("загружен реестр участников")
    REPORT_GENERATED = "report_generated", gettext_lazy("сформирован отчёт")


@dataclass(frozen=True)
class Evidence:
    """What shows that the event happened, for the person who reads the tick."""

    # «издан приказ № 12 от 01.10.2026»: completes «Отмечено автоматически: …».
    note: str
    # The day it happened (the order's date): decides which roadmap periods it falls in.
    on: datetime.date
    # The page or document that shows it, and the access rule of that page: the link is
    # shown only to those the rule permits (a methodist never sees a link to a school's
    # order naming pupils).
    url: str = ""
    rule: str = ""
    # The row the event is about (the approved roadmap, the order), for subscribers that
    # need it; never stored.
    subject: Any = None


Subscriber = Callable[[str, Organization, Evidence], None]

_subscribers: list[Subscriber] = []
_lock = threading.Lock()


def subscribe(subscriber: Subscriber) -> None:
    """Call `subscriber(event, organization, evidence)` on every event; once per function."""
    with _lock:
        if subscriber not in _subscribers:
            _subscribers.append(subscriber)


def unsubscribe(subscriber: Subscriber) -> None:
    with _lock:
        if subscriber in _subscribers:
            _subscribers.remove(subscriber)


def emit(event: str, organization: Organization, *, evidence: Evidence) -> None:
    """Tell the subscribers that `event` happened in `organization` (see the module doc)."""
    event = Event(event)  # an unknown name is a bug of the emitter: fail loudly
    for subscriber in list(_subscribers):
        try:
            with transaction.atomic():
                subscriber(event.value, organization, evidence)
        except Exception:
            logger.exception(
                "Subscriber %r failed on %s in organisation %s", subscriber, event, organization.pk
            )


def document_evidence(document: Document, *, rule: str, note: str = "") -> Evidence:
    """A generated document as the evidence: «издан приказ № 12 от 01.10.2026» for a
    numbered one, its title and date otherwise; the link opens the document's page."""
    day = document.date.strftime("%d.%m.%Y")
    if not note:
        if document.number:
            note = _("издан приказ № %(n)s от %(d)s") % {"n": document.number, "d": day}
        else:
            note = _("сформирован документ «%(t)s» от %(d)s") % {"t": document.title, "d": day}
    url = reverse(
        "document_detail",
        kwargs={"org_slug": document.organization.slug, "document_id": document.pk},
    )
    return Evidence(note=note, on=document.date, url=url, rule=rule, subject=document)
