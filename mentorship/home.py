"""What the apps add to an organisation's home page, without the core importing them.

An app registers a context provider in its AppConfig.ready()::

    register_home_context(upcoming_activities, levels=(SCHOOL,))

A provider takes the request's TenantContext and returns template variables; the core
home view merges them, in registration order, into the page of that level.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from mentorship.tenancy.resolution import TenantContext
from mentorship.tenancy.rules import LEVELS, level_of

__all__ = ["HomeContext", "home_context", "register_home_context"]

HomeContext = Callable[[TenantContext], Mapping[str, Any]]

_providers: list[tuple[HomeContext, tuple[str, ...]]] = []


def register_home_context(provider: HomeContext, *, levels: tuple[str, ...] = LEVELS) -> None:
    """Add `provider` to the home pages of these levels; registering it twice is a no-op."""
    if any(p is provider for p, _ in _providers):
        return
    unknown = set(levels) - set(LEVELS)
    if unknown:
        raise ValueError(f"Unknown levels {sorted(unknown)}")
    _providers.append((provider, tuple(levels)))


def home_context(tenant: TenantContext) -> dict[str, Any]:
    """Everything the apps add to this tenant's home page."""
    level = level_of(tenant.organization)
    context: dict[str, Any] = {}
    for provider, levels in _providers:
        if level in levels:
            context.update(provider(tenant))
    return context
