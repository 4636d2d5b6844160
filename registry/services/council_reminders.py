"""Deadline reminders of the mentors' councils' decisions, on the roadmaps' ledger.

A council's decision with an owner (a member of staff) and a deadline is reminded like a
roadmap activity (roadmaps/services/reminders.py): due tomorrow, due within the week,
overdue; never once it is done. Each (owner, decision, due date, kind) is claimed in the
same delivery ledger (mentorship/notifications/ledger.py) under its own topic, so a
decision is reminded at most once per kind however often the run is repeated, and a
dead worker's claims are taken over by the next run. The owner gets an in-app
notification and one e-mail digest per run.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.core.mail import send_mail
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from mentorship.http import absolute_url
from mentorship.models import User
from mentorship.notifications import ledger
from mentorship.notifications.ledger import DeliveryKey
from mentorship.notifications.services import NewNotification, notifications_create_many
from mentorship.tenancy.scoping import unscoped_reads
from registry.models import CouncilDecision

logger = logging.getLogger(__name__)

TOPIC = "registry.council_decision"
WINDOW_DAYS = 7
TITLE_LIMIT = 200


@dataclass(frozen=True)
class DecisionDue:
    decision_id: int
    owner_id: int
    organization_id: int
    kind: str  # "overdue", "tomorrow", "week": the roadmaps' reminder kinds
    due_on: date
    title: str
    path: str


def _path(slug: str, meeting_id: int) -> str:
    try:
        return reverse(
            "registry:council_meeting_detail",
            kwargs={"org_slug": slug, "council_meeting_id": meeting_id},
        )
    except NoReverseMatch:  # the registry pages are not mounted in this deployment
        return reverse("org_home", kwargs={"org_slug": slug})


def unscoped_decisions_due(day: date) -> list[DecisionDue]:
    """Open decisions with an owner due within the week or overdue: every tenant's, by
    design (one morning run), one query."""
    tomorrow = day + timedelta(days=1)
    items = []
    with unscoped_reads():
        rows = (
            CouncilDecision.objects.filter(
                done_on__isnull=True,
                owner__isnull=False,
                owner__is_active=True,
                due_on__lte=day + timedelta(days=WINDOW_DAYS),
            )
            .exclude(due_on=day)  # "tomorrow" yesterday, "overdue" tomorrow, as roadmaps do
            .order_by("due_on", "pk")
            .values_list(
                "pk", "owner_id", "organization_id", "due_on", "text", "meeting_id",
                "organization__slug",
            )
        )  # fmt: skip
        for pk, owner_id, org_id, due_on, text, meeting_id, slug in rows:
            if due_on < day:
                kind = "overdue"
            elif due_on == tomorrow:
                kind = "tomorrow"
            else:
                kind = "week"
            title = " ".join(text.split())
            if len(title) > TITLE_LIMIT:
                title = title[: TITLE_LIMIT - 1].rstrip() + "…"
            items.append(
                DecisionDue(pk, owner_id, org_id, kind, due_on, title, _path(slug, meeting_id))
            )
    return items


def send_decision_reminders(*, day: date) -> int:
    """Claim, notify and confirm the day's reminders; returns how many were delivered.
    Call outside any transaction (the claim commits before anything is sent)."""
    items = unscoped_decisions_due(day)
    if not items:
        return 0
    wanted = {
        DeliveryKey(i.owner_id, TOPIC, i.decision_id, i.due_on, i.kind): i.organization_id
        for i in items
    }
    by_key = {(i.decision_id, i.due_on, i.kind): i for i in items}
    run_id = uuid.uuid4()
    lease = ledger.Lease.start()
    held = ledger.claim(wanted, run_id=run_id, lease=lease)
    digests: dict[int, list[DecisionDue]] = defaultdict(list)
    for key in held:
        digests[key.recipient_id].append(by_key[(key.object_id, key.due_on, key.kind)])
    delivered = 0
    when = {
        "overdue": _("Просрочено решение совета наставников: срок был %(d)s."),
        "tomorrow": _("Срок решения совета наставников — завтра, %(d)s."),
        "week": _("Срок решения совета наставников — %(d)s."),
    }
    failed = 0
    try:
        for user in User.objects.filter(pk__in=list(digests)).order_by("pk"):
            if not lease.allows_another():
                break  # the claims would expire under the letter: the next run takes them
            mine = sorted(digests[user.pk], key=lambda i: (i.due_on, i.decision_id))
            lines = [
                f"— {i.title}\n  {when[i.kind] % {'d': f'{i.due_on:%d.%m.%Y}'}}\n"
                f"  {absolute_url(i.path)}"
                for i in mine
            ]
            if user.email:
                try:
                    send_mail(
                        _("Сроки решений совета наставников на %(d)s") % {"d": f"{day:%d.%m.%Y}"},
                        "\n\n".join(lines),
                        None,
                        [user.email],
                    )
                except SoftTimeLimitExceeded:
                    raise
                except Exception:
                    # Released below: the next run (the task's retry) sends it again.
                    logger.exception("Council decision digest to user %s failed", user.pk)
                    failed += 1
                    continue
            with transaction.atomic():
                ledger.mark_sent(run_id=run_id, recipient_id=user.pk)
                notifications_create_many(
                    NewNotification(
                        user.pk,
                        i.organization_id,
                        i.title,
                        when[i.kind] % {"d": f"{i.due_on:%d.%m.%Y}"},
                        i.path,
                    )
                    for i in mine
                )
            delivered += len(mine)
    finally:
        ledger.release(run_id=run_id)
    if failed:
        raise RemindersNotDelivered(f"{failed} council decision digest(s) failed on {day}")
    return delivered


class RemindersNotDelivered(Exception):
    """Some letters were not sent; their claims are released and a retry sends them."""
