"""The manager of tenant-owned rows: queries need an active organisation scope.

Here, below the models, so that the core's own tenant models (Document) can use it
without the models importing the tenancy package, which reads the models. Apps import it
as `mentorship.tenancy.scoping.TenantManager`, next to `tenant_scope` that activates it.
"""

from __future__ import annotations

from django.db import models
from django_scopes import ScopedManager

# The django-scopes dimension every tenant-owned model filters on: its `organization`.
DIMENSION = "organization"


def TenantManager(manager_class: type[models.Manager] = models.Manager):  # noqa: N802
    """A manager that filters by the active organisation and raises when none is active.

    Every tenant-owned model declares `objects = TenantManager()` and a direct
    `organization` foreign key.
    """
    return ScopedManager(_manager_class=manager_class, **{DIMENSION: DIMENSION})
