"""The first real kind: «Список сотрудников с доступом к порталу» of an organisation.

It proves the pipeline end to end and is useful on its own: schools and departments are
asked who has access to systems holding personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentorship.documents.kinds import DocumentDataError, register
from mentorship.models import Document, Role
from mentorship.selectors import staff_of

KIND = "staff_list"


@dataclass(frozen=True)
class StaffRow:
    full_name: str
    position: str
    roles: str


def build_context(document: Document) -> dict[str, Any]:
    # One row per person: someone who is both curator and viewer is one employee.
    people: dict[int, tuple[Any, list[str]]] = {}
    for membership in staff_of(document.organization):
        user = membership.user
        people.setdefault(user.pk, (user, []))[1].append(str(membership.get_role_display()))
    if not people:
        raise DocumentDataError(_("В организации нет сотрудников с доступом к порталу."))
    rows = sorted(
        (
            StaffRow(
                full_name=user.get_full_name() or user.email,
                position=user.position,
                roles=", ".join(roles),
            )
            for user, roles in people.values()
        ),
        key=lambda row: row.full_name.casefold(),
    )
    return {"rows": rows}


register(
    KIND,
    label=gettext_lazy("Список сотрудников с доступом к порталу"),
    template="documents/staff_list.html",
    build_context=build_context,
    roles=(Role.CURATOR, Role.METHODIST, Role.REGIONAL),
)
