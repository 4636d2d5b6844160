"""A school's mentoring programmes: create, edit, close and reopen, each one audited
transaction with Russian refusals.

The programme pages and the API call these same functions: every rule on what a
programme may hold is checked here, not in a form or a serializer, so the browser and
the API refuse the same things with the same words. The edges only parse (a date, a
number, a form's code); blank text, a form missing, the capacity out of range, a
responsible person from outside the school are the service's to refuse.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorship import audit
from mentorship.conflicts import Conflict, conflicts, lock
from mentorship.models import Organization, User
from registry.models import MENTOR_CAPACITY_MAX, OPEN_STATUSES, MentoringForm, Pair, Programme
from registry.selectors.programmes import school_staff

FIELDS = (
    "name",
    "form",
    "operator",
    "responsible",
    "mentors_description",
    "mentor_role",
    "mentees_description",
    "period_text",
    "starts_on",
    "ends_on",
    "goals",
    "expected_results",
    "mentor_capacity",
)
TEXT_FIELDS = (
    "name",
    "operator",
    "mentors_description",
    "mentor_role",
    "mentees_description",
    "period_text",
    "goals",
    "expected_results",
)


def _responsible(organization: Organization, value: User | int | None) -> User | None:
    """The school's staff member named by a user or an id; anyone else is refused with
    the same words, so an id from outside the school reveals nothing about it."""
    if value is None or value == "":
        return None
    user_id = value.pk if isinstance(value, User) else value
    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        user_id = None
    user = school_staff(organization).filter(pk=user_id).first() if user_id else None
    if user is None:
        raise ValidationError(
            {
                "responsible": _(
                    "Ответственным за программу может быть только сотрудник школы: "
                    "куратор или другой сотрудник с доступом к порталу."
                )
            }
        )
    return user


def _clean(organization: Organization, data: dict[str, Any]) -> dict[str, Any]:
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ValueError(f"Unknown programme fields: {sorted(unknown)}")
    values = dict(data)
    for field in TEXT_FIELDS:
        if field in values:
            values[field] = (values[field] or "").strip()
    if "responsible" in values:
        values["responsible"] = _responsible(organization, values["responsible"])
    return values


def _check(programme: Programme) -> None:
    """Everything a programme must satisfy, all problems at once (field → messages)."""
    errors: dict[str, list[str]] = {}
    if not programme.name:
        errors["name"] = [_("Укажите наименование программы.")]
    if programme.form_id is None:
        errors["form"] = [_("Выберите форму наставничества.")]
    if not programme.mentors_description:
        errors["mentors_description"] = [_("Укажите, кто является наставниками в программе.")]
    if not programme.mentees_description:
        errors["mentees_description"] = [_("Укажите, кто является наставляемыми в программе.")]
    capacity = programme.mentor_capacity
    if not isinstance(capacity, int) or not 1 <= capacity <= MENTOR_CAPACITY_MAX:
        errors["mentor_capacity"] = [
            _("Наставник по умолчанию берёт от 1 до %(max)s наставляемых.")
            % {"max": MENTOR_CAPACITY_MAX}
        ]
    starts, ends = programme.starts_on, programme.ends_on
    if isinstance(starts, date) and isinstance(ends, date) and ends < starts:
        errors["ends_on"] = [_("Окончание программы раньше её начала.")]
    for field in ("name", "operator", "mentors_description", "mentees_description", "period_text"):
        limit = Programme._meta.get_field(field).max_length
        if len(getattr(programme, field)) > limit and field not in errors:
            errors[field] = [_("Не длиннее %(n)s символов.") % {"n": limit}]
    if errors:
        raise ValidationError(errors)
    # The school's row is locked first: two identical creates at once (a double click)
    # run one after the other, and the second is refused as existing (409).
    lock(programme.organization)
    taken = Programme.objects.filter(name__iexact=programme.name).exclude(pk=programme.pk)
    if taken.exists():
        raise Conflict(
            {"name": _("Программа «%(name)s» в школе уже есть.") % {"name": programme.name}}
        )


def check_open(programme: Programme) -> None:
    """Refuse new pairs and matching in a closed programme (its history stays)."""
    if programme.is_closed:
        raise ValidationError(
            _("Программа «%(name)s» закрыта: подбор и новые пары в ней недоступны.")
            % {"name": programme.name}
        )


def lock_open(programme: Programme) -> None:
    """Lock the programme's row and refuse if it is closed, as it is now in the database:
    a pair proposed while the curator closes the programme waits for the closing and is
    then refused, instead of landing in a closed programme. Call inside a transaction."""
    lock(programme)
    programme.closed_at = (
        Programme.objects.filter(pk=programme.pk).values_list("closed_at", flat=True).get()
    )
    check_open(programme)


@transaction.atomic
def programme_create(
    *,
    actor: User | None,
    organization: Organization,
    form: MentoringForm | None = None,
    **data: Any,
) -> Programme:
    if not organization.is_educational:
        raise ValidationError(_("Программы наставничества ведёт образовательная организация."))
    values = dict.fromkeys(TEXT_FIELDS, "") | {"mentor_capacity": 1} | _clean(organization, data)
    programme = Programme(organization=organization, form=form, **values)
    _check(programme)
    with conflicts():
        programme.save()
    audit.record(actor=actor, organization=organization, action="programme.create", obj=programme)
    return programme


@transaction.atomic
def programme_update(*, actor: User | None, programme: Programme, **data: Any) -> Programme:
    """Change the given fields. A programme's form is fixed once it has pairs: their
    form and the matching rules they were chosen by would no longer agree. A closed
    programme is history: it is reopened before it is changed."""
    if programme.is_closed:
        raise ValidationError(
            _("Программа закрыта: чтобы изменить её, сначала возобновите программу.")
        )
    values = _clean(programme.organization, data)
    if "form" in values and values["form"] is None:
        raise ValidationError({"form": _("Выберите форму наставничества.")})
    new_form = values.get("form")
    if new_form is not None and new_form.pk != programme.form_id and programme.pairs.exists():
        raise ValidationError(
            {"form": _("У программы уже есть пары: форму наставничества изменить нельзя.")}
        )
    changed = sorted(f for f, v in values.items() if getattr(programme, f) != v)
    # Check a copy: a refused edit must not leave the caller's object half-changed.
    candidate = Programme.objects.get(pk=programme.pk)
    for field, value in values.items():
        setattr(candidate, field, value)
    _check(candidate)
    for field, value in values.items():
        setattr(programme, field, value)
    programme.save()
    audit.record(
        actor=actor,
        organization=programme.organization,
        action="programme.update",
        obj=programme,
        fields=changed,
    )
    return programme


@transaction.atomic
def programme_close(*, actor: User | None, programme: Programme) -> Programme:
    """Close a programme that has run its course: it leaves matching and the choices of
    new pairs, and keeps its pairs, orders and history, readable as before.

    Its pairs are finished first (completed, ended early or rejected): a working pair
    in a programme nobody runs any more would drop out of every list that looks for it.
    """
    lock(programme)
    programme.refresh_from_db(fields=["closed_at"])
    if programme.is_closed:
        return programme
    open_pairs = Pair.objects.filter(programme=programme, status__in=OPEN_STATUSES).count()
    if open_pairs:
        raise ValidationError(
            _(
                "У программы есть незавершённые пары (%(n)s): завершите или отклоните их, "
                "затем закройте программу."
            )
            % {"n": open_pairs}
        )
    programme.closed_at = timezone.now()
    programme.save(update_fields=["closed_at"])
    audit.record(
        actor=actor, organization=programme.organization, action="programme.close", obj=programme
    )
    return programme


@transaction.atomic
def programme_reopen(*, actor: User | None, programme: Programme) -> Programme:
    """Undo a closing: the programme is back in matching and the new pair choices."""
    lock(programme)
    programme.refresh_from_db(fields=["closed_at"])
    if not programme.is_closed:
        return programme
    programme.closed_at = None
    programme.save(update_fields=["closed_at"])
    audit.record(
        actor=actor, organization=programme.organization, action="programme.reopen", obj=programme
    )
    return programme
