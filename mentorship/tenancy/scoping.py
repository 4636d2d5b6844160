"""Query scoping for tenant-owned models, on top of django-scopes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django_scopes import scope, scopes_disabled

# The manager lives below the models (the core's models use it); re-exported here, where
# the apps' models have always found it.
from mentorship.models.managers import DIMENSION, TenantManager

if TYPE_CHECKING:
    from mentorship.models import Organization


@contextmanager
def tenant_scope(*organizations: Organization) -> Iterator[None]:
    """Activate the scope of exactly these organisations.

    django-scopes treats a None value as "no filter"; refusing it here keeps a missing
    organisation from silently widening the scope to everything.
    """
    if not organizations or any(org is None or org.pk is None for org in organizations):
        raise ValueError("tenant_scope() needs saved organisations")
    with scope(**{DIMENSION: [org.pk for org in organizations]}):
        yield


@contextmanager
def unscoped_reads() -> Iterator[None]:
    """Lift the scope for an explicit, named cross-tenant read (aggregates, tasks, admin).

    Callers must filter by organisation themselves and return aggregates, not people.
    """
    with scopes_disabled():
        yield


__all__ = ["DIMENSION", "TenantManager", "tenant_scope", "unscoped_reads"]
