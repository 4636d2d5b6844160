"""The Celery app: Redis broker from REDIS_URL, eager in-process when there is none."""

import logging
import os
import time

from celery import Celery
from celery.signals import task_postrun, task_prerun, worker_ready

from mentorship import queues

logger = logging.getLogger(__name__)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings")


class QueueTimeLimits:
    """Celery task annotation: a task without time limits of its own gets its queue's
    (settings.QUEUE_TIME_LIMITS; queues in mentorship/queues.py).

    Celery fills a task's unset limits from task_time_limit/task_soft_time_limit before
    annotating, so "without limits of its own" reads as "with exactly those defaults".
    """

    def annotate(self, task) -> dict | None:
        from django.conf import settings

        defaults = (settings.CELERY_TASK_SOFT_TIME_LIMIT, settings.CELERY_TASK_TIME_LIMIT)
        if (task.soft_time_limit, task.time_limit) != defaults:
            return None
        limits = getattr(settings, "QUEUE_TIME_LIMITS", {}).get(queues.queue_of(task.name))
        if limits is None:
            return None
        soft, hard = limits
        return {"soft_time_limit": soft, "time_limit": hard}

    def annotate_any(self) -> None:
        return None


queue_time_limits = QueueTimeLimits()

app = Celery("mentorship")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_annotations = (queue_time_limits,)
app.autodiscover_tasks()


def broker_status() -> str:
    """ "eager" without a broker, "ok" when Redis answers, else the error's name."""
    if app.conf.task_always_eager:
        return "eager"
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception as exc:  # noqa: BLE001 - any failure is reported, not raised
        return f"error: {exc.__class__.__name__}"


def check_time_limits(celery_app: Celery = app) -> list[str]:
    """What breaks the relation the settings explain, one line per task (empty if none).

    visibility timeout > longest retry countdown + hard time limit > soft time limit:
    otherwise Redis hands a message a live worker still holds (running, or waiting out a
    retry's countdown) to a second worker, or the soft limit never gets to fire.
    """
    conf = celery_app.conf
    visibility = conf.broker_transport_options.get("visibility_timeout", 3600)
    problems = []
    for name, task in sorted(celery_app.tasks.items()):
        if name.startswith("celery."):
            continue
        hard = task.time_limit or conf.task_time_limit
        soft = task.soft_time_limit or conf.task_soft_time_limit
        if not hard:
            problems.append(f"{name}: no hard time limit")
            continue
        if soft and soft >= hard:
            problems.append(f"{name}: soft limit {soft} s is not below the hard limit {hard} s")
        queue = queues.queue_of(name)
        queue_limits = queue_time_limits_setting().get(queue)
        if queue_limits and hard > queue_limits[1]:
            problems.append(
                f"{name}: hard limit {hard} s exceeds its queue {queue!r}'s {queue_limits[1]} s"
            )
        countdown = getattr(task, "max_retry_countdown", None)
        if countdown is None:
            # Celery's own defaults for tasks that do not say (autoretry's backoff cap: 600 s).
            backoff = getattr(task, "retry_backoff", False)
            countdown = getattr(task, "retry_backoff_max", 600) if backoff else None
            countdown = countdown if countdown is not None else task.default_retry_delay
        if countdown + hard >= visibility:
            problems.append(
                f"{name}: retry countdown {countdown} s + hard limit {hard} s "
                f"reach the visibility timeout {visibility} s"
            )
    return problems


def queue_time_limits_setting() -> dict[str, tuple[int, int]]:
    from django.conf import settings

    return getattr(settings, "QUEUE_TIME_LIMITS", {})


@worker_ready.connect
def _report_time_limits(**_kwargs) -> None:
    """Say at worker start if a task's limits no longer fit the broker's timeout."""
    for problem in check_time_limits():
        logger.error("Celery time limits: %s", problem)


# Task counts and durations for /metrics, counted in Redis by every worker process.
_started: dict[str, float] = {}


@task_prerun.connect
def _task_started(task_id: str | None = None, **_kwargs) -> None:
    if task_id:
        _started[task_id] = time.monotonic()


@task_postrun.connect
def _task_finished(task_id=None, task=None, state=None, **_kwargs) -> None:
    from mentorship.metrics import count_task

    started = _started.pop(task_id, None) if task_id else None
    if task is None or task.request.is_eager:
        return
    seconds = time.monotonic() - started if started is not None else None
    count_task(task.name, str(state or "UNKNOWN").lower(), seconds)
