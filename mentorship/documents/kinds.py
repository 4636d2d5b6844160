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
        on_ready=approve_pairs,  # optional: (Document) -> None, see DocumentKind.on_ready
    )

A kind that people edit before signing (orders, regulations, letters) gives
`build_content` instead of a template and a context: one structured text
(mentorship/documents/content.py) that is printed as PDF through
`documents/act.html` and written as an editable .docx (mentorship/documents/word.py),
so both files hold the same words::

    register("curator_order", label=..., build_content=build_curator_order, roles=...)

A kind's app may react to its document being finished through `on_ready`: an explicit
hook declared with the kind, called by the documents service, never a signal receiver
that works only if some module happens to be imported.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, Any

from django.utils.module_loading import autodiscover_modules

from mentorship.models import EDUCATIONAL_KINDS, ROLE_LEVEL, OrganizationKind, Role

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from mentorship.documents.content import DocumentContent
    from mentorship.models import Document

# Modules of this project that register kinds but are not `<app>/documents.py`.
BUILTIN_MODULES = ("mentorship.documents.staff_list",)
DISCOVERED_MODULE = "documents"
# The template every structured (`build_content`) kind is printed with.
CONTENT_TEMPLATE = "documents/act.html"
DEPARTMENT_ROLE = Role.DEPARTMENT
# The regional centre reads what its municipalities and schools file (issue 17: the
# municipal reports and documents read from above), never a document naming pupils.
REGIONAL_ROLE = Role.REGIONAL
# The roles held inside a school: the only ones that may issue or open a document naming
# its pupils. Read from the roles' levels, so a new school role is covered by itself.
SCHOOL_ROLES = frozenset(role for role, level in ROLE_LEVEL.items() if level == "educational")


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
    # Carries pupils' (or other participants') personal data: names, classes, birth
    # dates. Such a document is issued and opened only inside its school, by the school's
    # own staff; upper levels see that it exists (number, date, `summary`), never the file.
    personal_data: bool = False
    # A line for those who may not open the file: "35 пар", never a name.
    summary: Callable[[Document], str] | None = None
    # Called when a render's file is stored: inside the transaction that saves the file
    # and the status «ready», with the row locked (mentorship/documents/services.py
    # `_store`). What it writes commits with the file or not at all; if it raises,
    # nothing of the render commits and the error goes up to the task, which retries.
    # It runs on every successful render, regenerations included: make it idempotent.
    on_ready: Callable[[Document], None] | None = None
    # The structured text of the document (see the module docstring): the kind is then
    # printed through CONTENT_TEMPLATE and also written as .docx from the same blocks.
    build_content: Callable[[Document], DocumentContent] | None = None
    # Who issues the kind at each level ("school", "municipality", "region"), for a kind
    # made at more than one level: the school's curator prepares the director's order,
    # the municipality's methodist the department's. None: `roles` at every level.
    issuers: Mapping[str, tuple[str, ...]] | None = None

    def issuer_roles(self, org_kind: str) -> tuple[str, ...]:
        """The roles that may request (and regenerate) the kind in an `org_kind`."""
        if self.issuers is None:
            return self.roles
        return tuple(self.issuers.get(level_of_kind(org_kind), ()))

    @property
    def has_word(self) -> bool:
        """Does the kind come as an editable .docx besides the PDF?"""
        return self.build_content is not None

    def available_in(self, org_kind: str) -> bool:
        return self.org_kinds is None or org_kind in self.org_kinds

    @property
    def reader_roles(self) -> tuple[str, ...]:
        """Who may open and download. A school's personal-data kind: its own roles only.
        Any other kind: its roles, the education department, which approves and files
        the documents of its municipality, and the regional centre, which supervises."""
        if self.personal_data:
            return self.roles
        return tuple(dict.fromkeys((*self.roles, DEPARTMENT_ROLE, REGIONAL_ROLE)))

    def summary_of(self, document: Document) -> str:
        return self.summary(document) if self.summary else ""


def level_of_kind(org_kind: str) -> str:
    """The level of the organisation tree (mentorship.tenancy.rules) of an `org_kind`."""
    if org_kind in EDUCATIONAL_KINDS:
        return "school"
    return "municipality" if org_kind == OrganizationKind.MUNICIPALITY else "region"


_registry: dict[str, DocumentKind] = {}
_discovered = False
_lock = threading.RLock()


def register(
    kind: str,
    *,
    label: str | Promise,
    template: str = "",
    build_context: Callable[[Document], dict[str, Any]] | None = None,
    build_content: Callable[[Document], DocumentContent] | None = None,
    landscape: bool = False,
    roles: tuple[str, ...] = (),
    org_kinds: tuple[str, ...] | None = None,
    numbered: bool = True,
    personal_data: bool = False,
    summary: Callable[[Document], str] | None = None,
    on_ready: Callable[[Document], None] | None = None,
    issuers: Mapping[str, tuple[str, ...]] | None = None,
    replace: bool = False,
) -> DocumentKind:
    """Register a kind. A second registration of the same code is a bug unless `replace`."""
    if issuers is not None:
        issuers = {level: tuple(r) for level, r in issuers.items()}
        roles = tuple(dict.fromkeys(r for level_roles in issuers.values() for r in level_roles))
    if not roles:
        # A kind nobody may request would silently vanish from the UI: refuse it loudly.
        raise ValueError(f"Document kind {kind!r} needs at least one role")
    if personal_data and not set(roles) <= SCHOOL_ROLES:
        # A role above the school reaches the school through its subtree: giving it a
        # personal-data kind would carry pupils' names out of the school.
        raise ValueError(f"Document kind {kind!r} names people: only school roles may hold it")
    if build_content is not None:
        if template or build_context is not None:
            raise ValueError(f"Document kind {kind!r}: build_content replaces template and context")
        template = CONTENT_TEMPLATE
        build_context = _content_context(build_content)
    elif not template or build_context is None:
        raise ValueError(f"Document kind {kind!r} needs a template and build_context")
    definition = DocumentKind(
        code=kind,
        label=label,
        template=template,
        build_context=build_context,
        build_content=build_content,
        roles=tuple(roles),
        landscape=landscape,
        org_kinds=tuple(org_kinds) if org_kinds is not None else None,
        numbered=numbered,
        personal_data=personal_data,
        summary=summary,
        on_ready=on_ready,
        issuers=issuers,
    )
    with _lock:
        if kind in _registry and not replace and _registry[kind] != definition:
            raise ValueError(f"Document kind {kind!r} is already registered")
        _registry[kind] = definition
    return definition


@functools.cache  # one wrapper per builder: registering the same kind twice stays equal
def _content_context(
    build_content: Callable[[Document], DocumentContent],
) -> Callable[[Document], dict[str, Any]]:
    def build_context(document: Document) -> dict[str, Any]:
        return {"content": build_content(document)}

    return build_context


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


def may_read(kind: DocumentKind, roles: frozenset[str] | set[str]) -> bool:
    """May a holder of `roles` in the document's organisation open its file?"""
    return bool(set(kind.reader_roles) & set(roles))


def may_see_listed(kind: DocumentKind, roles: frozenset[str] | set[str]) -> bool:
    """May they see the row (number, date, summary)? Readers; and anyone who may open the
    list, for a school's personal-data kind: upper levels know the order exists, never
    whom it names."""
    return may_read(kind, roles) or (kind.personal_data and bool(roles))


def kinds_for(roles: frozenset[str] | set[str], org_kind: str) -> list[DocumentKind]:
    """Kinds a holder of `roles` may request in an organisation of `org_kind`."""
    return [
        k
        for k in all_kinds()
        if k.available_in(org_kind) and set(k.issuer_roles(org_kind)) & set(roles)
    ]
