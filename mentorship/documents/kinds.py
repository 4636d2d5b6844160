"""The registry of document kinds: what a kind is called, which template renders it, who may.

Apps register their kinds in a module `<app>/documents.py`, discovered on the first use of
the registry in any process (web, worker, command), so no app has to be imported by hand::

    from mentorship.documents.kinds import register

    register(
        "pair_order",
        label=_("Приказ об утверждении наставнических пар"),
        template="documents/pair_order.html",
        build_context=build_pair_order_context,  # (Document) -> dict
        roles=(Role.CURATOR,),
    )
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, Any

from django.utils.module_loading import autodiscover_modules

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from mentorship.documents.models import Document

# Modules of this project that register kinds but are not `<app>/documents.py`.
BUILTIN_MODULES = ("mentorship.documents.staff_list",)
DISCOVERED_MODULE = "documents"
# Role.DEPARTMENT, spelled out so this module does not import the models at load time.
DEPARTMENT_ROLE = "department"


class UnknownDocumentKind(LookupError):
    """No kind with this code is registered."""


class DocumentDataError(Exception):
    """The data cannot make this document (a missing row, an empty list, a bad parameter).

    `build_context` raises it with a message in Russian for the user; the render is marked
    failed with that message and is not retried, since retrying cannot fix the data.
    """


@dataclass(frozen=True)
class DocumentKind:
    code: str
    label: str | Promise
    template: str
    build_context: Callable[[Document], dict[str, Any]]
    roles: tuple[str, ...]
    landscape: bool = False
    # Organisation kinds (OrganizationKind values) where the kind makes sense; None: all.
    org_kinds: tuple[str, ...] | None = None
    numbered: bool = True
    # Documents naming pupils stay in the school: such kinds opt out of the department.
    department_reads: bool = True

    def available_in(self, org_kind: str) -> bool:
        return self.org_kinds is None or org_kind in self.org_kinds

    @property
    def reader_roles(self) -> tuple[str, ...]:
        """Who may open and download: the kind's roles and the education department,
        which approves and files the documents of its municipality."""
        if not self.department_reads:
            return self.roles
        return tuple(dict.fromkeys((*self.roles, DEPARTMENT_ROLE)))


_registry: dict[str, DocumentKind] = {}
_discovered = False
_lock = threading.RLock()


def register(
    kind: str,
    *,
    label: str | Promise,
    template: str,
    build_context: Callable[[Document], dict[str, Any]],
    landscape: bool = False,
    roles: tuple[str, ...],
    org_kinds: tuple[str, ...] | None = None,
    numbered: bool = True,
    department_reads: bool = True,
    replace: bool = False,
) -> DocumentKind:
    """Register a kind. A second registration of the same code is a bug unless `replace`."""
    if not roles:
        # A kind nobody may request would silently vanish from the UI: refuse it loudly.
        raise ValueError(f"Document kind {kind!r} needs at least one role")
    definition = DocumentKind(
        code=kind,
        label=label,
        template=template,
        build_context=build_context,
        roles=tuple(roles),
        landscape=landscape,
        org_kinds=tuple(org_kinds) if org_kinds is not None else None,
        numbered=numbered,
        department_reads=department_reads,
    )
    with _lock:
        if kind in _registry and not replace and _registry[kind] != definition:
            raise ValueError(f"Document kind {kind!r} is already registered")
        _registry[kind] = definition
    return definition


def unregister(kind: str) -> None:
    """For tests that register a throw-away kind."""
    with _lock:
        _registry.pop(kind, None)


def _discover() -> None:
    global _discovered
    if _discovered:
        return
    with _lock:
        if _discovered:
            return
        for module in BUILTIN_MODULES:
            import_module(module)
        autodiscover_modules(DISCOVERED_MODULE)
        _discovered = True


def get(kind: str) -> DocumentKind:
    _discover()
    try:
        return _registry[kind]
    except KeyError:
        raise UnknownDocumentKind(kind) from None


def all_kinds() -> list[DocumentKind]:
    _discover()
    return sorted(_registry.values(), key=lambda k: str(k.label))


def reader_roles() -> tuple[str, ...]:
    """Everyone who may see the list of documents: the readers of any registered kind."""
    return tuple(dict.fromkeys(role for k in all_kinds() for role in k.reader_roles))


def kinds_for(roles: frozenset[str] | set[str], org_kind: str) -> list[DocumentKind]:
    """Kinds a holder of `roles` may request in an organisation of `org_kind`."""
    return [k for k in all_kinds() if k.available_in(org_kind) and set(k.roles) & set(roles)]
