"""What the portal's health looks like from outside: queue lengths, documents waiting.

Read by /healthz (JSON) and /metrics (Prometheus). Aggregates across every tenant, by
design and by name (`unscoped_`): counts and ages only, never a row of anybody's.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Min
from django.utils import timezone

from mentorship import queues

logger = logging.getLogger(__name__)


def queue_lengths() -> dict[str, int] | None:
    """Messages waiting in each queue (Redis LLEN); None without a broker (eager mode).

    A message a worker has taken is no longer in the list: this is the backlog.
    Raises on an unreachable broker: the callers report that as they see fit.
    """
    if not getattr(settings, "REDIS_URL", ""):
        return None
    from mentorship.ratelimit import redis_client

    prefix = getattr(settings, "QUEUE_PREFIX", "")
    pipe = redis_client().pipeline()
    for queue in queues.QUEUES:
        pipe.llen(prefix + queue)
    return dict(zip(queues.QUEUES, (int(n) for n in pipe.execute()), strict=True))


@dataclass(frozen=True)
class PendingDocuments:
    count: int
    oldest_age_seconds: float | None


def unscoped_pending_documents() -> PendingDocuments:
    """Documents queued or rendering in every organisation, and how long the oldest waits."""
    from mentorship.models import Document, DocumentStatus
    from mentorship.tenancy.scoping import unscoped_reads

    with unscoped_reads():
        found = Document.objects.filter(
            status__in=(DocumentStatus.PENDING, DocumentStatus.RENDERING)
        ).aggregate(count=Count("pk"), oldest=Min("updated_at"))
    oldest = found["oldest"]
    age = (timezone.now() - oldest).total_seconds() if oldest else None
    return PendingDocuments(count=found["count"], oldest_age_seconds=age)
