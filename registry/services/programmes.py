"""Creating and editing a programme, audited, with Russian refusals.

The programme pages are read-only so far: the API writes programmes through these.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mentorship import audit
from mentorship.conflicts import Conflict, conflicts, lock
from mentorship.models import Organization, User
from registry.models import MentoringForm, Programme

FIELDS = (
    "name",
    "form",
    "operator",
    "mentors_description",
    "mentor_role",
    "mentees_description",
    "period_text",
    "starts_on",
    "ends_on",
)


def _check(programme: Programme) -> None:
    programme.name = programme.name.strip()
    if not programme.name:
        raise ValidationError({"name": _("Укажите наименование программы.")})
    starts, ends = programme.starts_on, programme.ends_on
    if isinstance(starts, date) and isinstance(ends, date) and ends < starts:
        raise ValidationError({"ends_on": _("Окончание программы раньше её начала.")})
    # The school's row is locked first: two identical creates at once (a double click)
    # run one after the other, and the second is refused as existing (409).
    lock(programme.organization)
    taken = Programme.objects.filter(name__iexact=programme.name).exclude(pk=programme.pk)
    if taken.exists():
        raise Conflict(
            {"name": _("Программа «%(name)s» в школе уже есть.") % {"name": programme.name}}
        )


@transaction.atomic
def programme_create(
    *, actor: User | None, organization: Organization, form: MentoringForm, **data: Any
) -> Programme:
    if not organization.is_educational:
        raise ValidationError(_("Программы наставничества ведёт образовательная организация."))
    programme = Programme(organization=organization, form=form, **data)
    _check(programme)
    with conflicts():
        programme.save()
    audit.record(actor=actor, organization=organization, action="programme.create", obj=programme)
    return programme


@transaction.atomic
def programme_update(*, actor: User | None, programme: Programme, **data: Any) -> Programme:
    """Change the given fields. A programme's form is fixed once it has pairs: their
    form and the matching rules they were chosen by would no longer agree."""
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ValueError(f"Unknown programme fields: {sorted(unknown)}")
    new_form = data.get("form")
    if new_form is not None and new_form.pk != programme.form_id and programme.pairs.exists():
        raise ValidationError(
            {"form": _("У программы уже есть пары: форму наставничества изменить нельзя.")}
        )
    changed = sorted(f for f, v in data.items() if getattr(programme, f) != v)
    for field, value in data.items():
        setattr(programme, field, value)
    _check(programme)
    programme.save()
    audit.record(
        actor=actor,
        organization=programme.organization,
        action="programme.update",
        obj=programme,
        fields=changed,
    )
    return programme
