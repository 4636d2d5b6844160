"""The Celery app: Redis broker from REDIS_URL, eager in-process when there is none."""

import logging
import os

from celery import Celery
from celery.signals import worker_ready

logger = logging.getLogger(__name__)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings")

app = Celery("mentorship")
app.config_from_object("django.conf:settings", namespace="CELERY")
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


@worker_ready.connect
def _report_time_limits(**_kwargs) -> None:
    """Say at worker start if a task's limits no longer fit the broker's timeout."""
    for problem in check_time_limits():
        logger.error("Celery time limits: %s", problem)
