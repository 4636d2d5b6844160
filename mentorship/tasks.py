"""The task base of the project, and the worker probe.

A task of one organisation takes the organisation's id as its first argument (tasks take
ids, never rows: a row pickled into the broker is stale by the time the worker runs) and
must read and write inside that organisation's tenant scope. `tenant_task` does both, so
no task re-enters the scope by hand::

    @tenant_task(name="registry.notify_consent_withdrawn", acks_late=True)
    def notify_consent_withdrawn(organization: Organization, participant_id: int) -> int:
        ...  # scoped managers see this organisation's rows

    notify_consent_withdrawn.delay(organization.pk, participant.pk)

Options (`acks_late`, retries, time limits) are passed on to Celery unchanged. A scan that
visits many organisations (a daily job) is not a tenant task; it enters each one with
`organization_scope`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from celery import Task, shared_task

__all__ = ["TenantTask", "organization_scope", "ping", "send_invitation", "tenant_task"]


@contextmanager
def organization_scope(organization_id: int) -> Iterator[Any]:
    """Load the organisation by id and run the block inside its tenant scope."""
    from mentorship.models import Organization
    from mentorship.tenancy.scoping import tenant_scope

    organization = Organization.objects.get(pk=organization_id)
    with tenant_scope(organization):
        yield organization


class TenantTask(Task):
    """Called with an organisation id first; the body gets the Organization, scoped."""

    abstract = True

    def __call__(self, organization_id: int, *args: Any, **kwargs: Any) -> Any:
        with organization_scope(organization_id) as organization:
            return super().__call__(organization, *args, **kwargs)


def tenant_task(*args: Any, **options: Any) -> Callable:
    """`shared_task` with `TenantTask` as the base; same options, same bare-decorator use."""
    return shared_task(*args, base=TenantTask, **options)


@shared_task(name="mentorship.ping")
def ping() -> str:
    """The worker probe: a task that round-trips through the broker and back."""
    return "pong"


@tenant_task(
    name="mentorship.send_invitation",
    acks_late=True,
    reject_on_worker_lost=True,
    # Safe to retry: a failed sending rolls back its token; a served request is skipped.
    autoretry_for=(ConnectionError, OSError),
    retry_backoff=60,
    max_retries=5,
    soft_time_limit=60,
    time_limit=90,
)
def send_invitation(organization: Any, invitation_id: int) -> bool:
    """Mail the invitation's letter with a fresh single-use link (services schedule it by
    name after their commit; see mentorship/services/invitations.py)."""
    from mentorship.services.invitations import invitation_send

    return invitation_send(invitation_id)
