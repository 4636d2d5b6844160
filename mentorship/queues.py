"""Celery queues by kind of work, each with its own workers and time limits.

Read by settings.py before Django is set up, so it imports nothing of Django's.

- `mail`: letters and reminders (the morning digest, invitations, campaign letters,
  consent notices). Short tasks that people wait for: a batch of reports must never
  stand in front of them. The default queue: a task nobody routed lands here, so a new
  heavy task must be routed below.
- `documents`: rendering PDF and Word documents (WeasyPrint: ~0.05 s a page, seconds for
  a big table) and the sweep of renders whose worker died.
- `heavy`: imports, depersonalisation runs and aggregates across many organisations.

Each queue has its own worker (docker-compose.yml, `make worker-mail` …) so that 1,500
report PDFs keep the documents worker busy while the mail worker sends the reminders.
A task's own time limits must stay within its queue's (checked by
mentorship.celery.check_time_limits, with the broker's visibility timeout).
"""

from __future__ import annotations

MAIL = "mail"
DOCUMENTS = "documents"
HEAVY = "heavy"
QUEUES = (MAIL, DOCUMENTS, HEAVY)
DEFAULT_QUEUE = MAIL

# Task names (glob patterns as Celery's task_routes read them) → queue. First match wins.
ROUTES: tuple[tuple[str, str], ...] = (
    ("mentorship.documents.*", DOCUMENTS),
    ("*.documents.*", DOCUMENTS),
    ("registry.depersonalize_due", HEAVY),
    ("*.import_*", HEAVY),
    ("*.aggregate*", HEAVY),
    ("monitoring.indicators.*", HEAVY),
)


def routes(prefix: str = "") -> dict[str, dict[str, str]]:
    """Celery's task_routes; `prefix` keeps a test's queues apart on a shared Redis."""
    return {pattern: {"queue": prefix + queue} for pattern, queue in ROUTES}


def queue_of(task_name: str) -> str:
    """The queue a task goes to (without a prefix), as Celery's router would pick it."""
    from fnmatch import fnmatchcase

    for pattern, queue in ROUTES:
        if fnmatchcase(task_name, pattern):
            return queue
    return DEFAULT_QUEUE
