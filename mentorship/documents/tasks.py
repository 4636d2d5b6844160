"""The Celery task that renders a document. It takes an id and is safe to run twice.

Imported by MentorshipConfig.ready() so that workers register it; it must not import
models at module level for that reason (services are imported inside the task).
"""

from __future__ import annotations

import logging
import random

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

MAX_RETRIES = 3
COUNTDOWN_CAP = 600


def retry_countdown(retries: int) -> int:
    """Exponential backoff with jitter: ~30 s, ~60 s, ~120 s, never more than 12.5 minutes."""
    base: int = min(COUNTDOWN_CAP, 30 * 2**retries)
    return base + random.randint(0, base // 4)  # noqa: S311 - jitter, not a secret


@shared_task(
    bind=True,
    name="mentorship.documents.render",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
    # The longest countdown retry_countdown gives: checked against the broker's visibility
    # timeout by mentorship.celery.check_time_limits.
    max_retry_countdown=COUNTDOWN_CAP + COUNTDOWN_CAP // 4,
    soft_time_limit=settings.DOCUMENT_RENDER_SOFT_TIME_LIMIT,
    time_limit=settings.DOCUMENT_RENDER_TIME_LIMIT,
)
def render_document_task(self, document_id: int) -> str:
    from mentorship.documents.services import (
        document_mark,
        document_render,
        unexpected_error_message,
    )
    from mentorship.models import DocumentStatus

    try:
        document = document_render(document_id)
    except SoftTimeLimitExceeded:
        # The same data would take as long again: tell the user instead of retrying.
        document_mark(
            document_id,
            DocumentStatus.FAILED,
            _(
                "Документ формировался слишком долго. "
                "Сократите объём данных или обратитесь к администратору."
            ),
        )
        return "timeout"
    except Exception as exc:
        # An eager run that propagates errors (the embedded mode) cannot retry: Celery
        # would raise Retry to the caller and the document would wait forever.
        cannot_retry = self.request.is_eager and self.app.conf.task_eager_propagates
        if cannot_retry or self.request.retries >= MAX_RETRIES:
            logger.exception("Document %s failed after %s retries", document_id, MAX_RETRIES)
            document_mark(document_id, DocumentStatus.FAILED, unexpected_error_message())
            raise
        document_mark(document_id, DocumentStatus.PENDING)
        raise self.retry(exc=exc, countdown=retry_countdown(self.request.retries)) from exc
    return "missing" if document is None else document.status


@shared_task(
    name="mentorship.documents.requeue_stuck", acks_late=True, soft_time_limit=50, time_limit=60
)
def requeue_stuck_documents() -> dict:
    """Every two minutes (beat): queue again the renders whose worker died."""
    from mentorship.documents.services import unscoped_requeue_stuck

    again, given_up = unscoped_requeue_stuck()
    return {"queued_again": again, "given_up": given_up}
