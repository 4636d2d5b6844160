"""Query scoping for tenant-owned models, on top of django-scopes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.db import models
from django_scopes import ScopedManager, scope, scopes_disabled

if TYPE_CHECKING:
    from mentorship.models import Organization

DIMENSION = "organization"


def TenantManager(manager_class: type[models.Manager] = models.Manager):  # noqa: N802
    """A manager that filters by the active organisation and raises when none is active.

    Every tenant-owned model declares `objects = TenantManager()` and a direct
    `organization` foreign key.
    """
    return ScopedManager(_manager_class=manager_class, **{DIMENSION: DIMENSION})


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
