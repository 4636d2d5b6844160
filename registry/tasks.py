"""Registry tasks: they take ids, enter the tenant scope through the task base (or
`organization_scope` in a scan) and are safe to run twice."""

from __future__ import annotations

from datetime import date

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorship.http import absolute_url
from mentorship.models import Organization
from mentorship.tasks import organization_scope, tenant_task
from registry.models import Participant


@tenant_task(
    name="registry.notify_consent_withdrawn",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def notify_consent_withdrawn(organization: Organization, participant_id: int) -> int:
    """Tell the school's curators that a consent was withdrawn (no name in the subject)."""
    from registry.services.consent import curators_of

    participant = Participant.objects.get(pk=participant_id)
    url = participant_url(organization, participant)
    body = _(
        "Отозвано согласие на обработку персональных данных участника «%(name)s».\n"
        "Его наставнические пары приостановлены, анкетирование остановлено. "
        "Данные будут обезличены после %(date)s.\n\n%(url)s"
    ) % {
        "name": participant.short_name,
        "date": participant.depersonalize_after.strftime("%d.%m.%Y")
        if participant.depersonalize_after
        else "—",
        "url": url,
    }
    recipients = [u.email for u in curators_of(organization.pk)]
    if recipients:
        send_mail(_("Отозвано согласие участника программы наставничества"), body, None, recipients)
    return len(recipients)


def participant_url(organization: Organization, participant: Participant) -> str:
    try:
        path = reverse(
            "registry:participant_detail",
            kwargs={"org_slug": organization.slug, "participant_id": participant.pk},
        )
    except NoReverseMatch:  # the registry pages are not mounted in this deployment
        path = reverse("org_home", kwargs={"org_slug": organization.slug})
    return absolute_url(path)


@shared_task(name="registry.depersonalize_due", acks_late=True, time_limit=600)
def depersonalize_due(day_iso: str | None = None) -> int:
    """Daily: depersonalise everyone whose retention term after withdrawal has run out."""
    from registry.services.consent import (
        participant_depersonalize,
        unscoped_due_for_depersonalization,
    )

    day = date.fromisoformat(day_iso) if day_iso else timezone.localdate()
    done = 0
    for participant_id, organization_id in unscoped_due_for_depersonalization(day):
        with organization_scope(organization_id):
            participant = Participant.objects.get(pk=participant_id)
            participant_depersonalize(actor=None, participant=participant)
            done += 1
    return done


@shared_task(
    name="registry.send_decision_reminders",
    acks_late=True,
    reject_on_worker_lost=True,
    # Safe to retry: the delivery ledger skips whatever was already sent.
    autoretry_for=(Exception,),
    dont_autoretry_for=(ValueError,),
    retry_backoff=60,
    retry_backoff_max=settings.TASK_RETRY_BACKOFF_MAX,
    retry_jitter=True,
    max_retries=5,
    soft_time_limit=settings.LONG_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.LONG_TASK_TIME_LIMIT,
)
def send_decision_reminders(day: str | None = None) -> int:
    """Remind owners of the mentors' councils' decisions of their deadlines (the beat
    runs it each morning, after the roadmaps' reminders; safe to run twice: the ledger)."""
    from registry.services.council_reminders import send_decision_reminders as send

    on = date.fromisoformat(day) if day else timezone.localdate()
    return send(day=on)


# --- Letters to participants (registry/services/letters.py) ----------------------------


class LettersNotDelivered(Exception):
    """Some letters failed or were left for lack of time; their claims were released, so a
    retry sends only those."""


def _raise_undelivered(report) -> dict:
    if report.failed or report.deferred:
        raise LettersNotDelivered(f"{report.failed} failed, {report.deferred} left")
    return report.as_dict()


@tenant_task(
    name="registry.send_meeting_letters",
    acks_late=True,
    reject_on_worker_lost=True,
    # Safe to retry: the letter ledger skips whatever was already sent.
    autoretry_for=(LettersNotDelivered, OSError),
    retry_backoff=60,
    max_retries=5,
    soft_time_limit=120,
    time_limit=180,
)
def send_meeting_letters(organization: Organization, meeting_id: int, change: str) -> dict:
    """A planned meeting was planned, moved or cancelled: tell its people."""
    from registry.services import letters

    return _raise_undelivered(letters.send_meeting_letters(meeting_id, change))


@tenant_task(
    name="registry.send_pair_approved_letters",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(LettersNotDelivered, OSError),
    retry_backoff=60,
    max_retries=5,
    soft_time_limit=120,
    time_limit=180,
)
def send_pair_approved_letters(organization: Organization, pair_ids: list[int]) -> dict:
    """Pairs were approved by the order: tell their people."""
    from registry.services import letters

    return _raise_undelivered(letters.send_pair_approved_letters(pair_ids))


@shared_task(
    name="registry.send_meeting_reminders",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(LettersNotDelivered, OSError),
    retry_backoff=60,
    max_retries=5,
    soft_time_limit=300,
    time_limit=360,
)
def send_meeting_reminders(day_iso: str | None = None) -> dict:
    """Beat, each morning: the day-before reminders of tomorrow's planned meetings."""
    from registry.services import letters

    day = date.fromisoformat(day_iso) if day_iso else timezone.localdate()
    return _raise_undelivered(letters.send_meeting_reminders(day=day))
