"""Writes: an organisation's contingent for a year, and its own targets.

Both run inside the organisation's tenant scope (the web view is already in it) and
record an audit entry; the values are counts and percentages, not personal data.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorship import audit
from mentorship.conflicts import lock
from mentorship.models import Organization, OrganizationKind, User
from monitoring.indicators.definitions import FIRST_YEAR, Indicator
from monitoring.indicators.definitions import Contingent as Field
from monitoring.indicators.models import Contingent, Target

SCHOOL_FIELDS = (
    Field.PUPILS_10_19,
    Field.PUPILS_15_19,
    Field.YOUNG_SPECIALISTS,
    Field.YOUNG_TEACHERS,
)
COLLEGE_FIELDS = (Field.COLLEGE_STUDENTS, Field.YOUNG_SPECIALISTS, Field.YOUNG_TEACHERS)
# The municipality counts what belongs to the territory rather than to one school.
MUNICIPAL_FIELDS = (Field.ENTERPRISES, Field.COLLEGE_STUDENTS)
# Targets are set by the levels that plan: a municipality, a region.
TARGET_KINDS = (OrganizationKind.MUNICIPALITY, OrganizationKind.REGION)
TARGET_INDICATORS = tuple(Indicator)
MAX_COUNT = 1_000_000


def contingent_fields(organization: Organization) -> tuple[Field, ...]:
    if organization.kind == OrganizationKind.MUNICIPALITY:
        return MUNICIPAL_FIELDS
    if organization.kind == OrganizationKind.COLLEGE:
        return COLLEGE_FIELDS
    if organization.is_educational:
        return SCHOOL_FIELDS
    return ()


def check_year(year: int) -> None:
    last = timezone.localdate().year + 1
    if not FIRST_YEAR <= year <= last:
        raise ValidationError(
            _("Год должен быть от %(first)s до %(last)s.") % {"first": FIRST_YEAR, "last": last}
        )


@transaction.atomic
def contingent_save(
    *, actor: User | None, organization: Organization, year: int, values: dict[str, int | None]
) -> Contingent:
    """Set the organisation's counts for the year; None clears a count ("not entered")."""
    check_year(year)
    allowed = {f.value for f in contingent_fields(organization)}
    if not allowed:
        raise ValidationError(_("Эта организация не вносит контингент."))
    unknown = set(values) - allowed
    if unknown:
        raise ValidationError(_("Эти численности вносит другая организация."))
    errors = {}
    for name, value in values.items():
        if value is not None and not 0 <= value <= MAX_COUNT:
            errors[name] = _("Введите число от 0 до %(max)s.") % {"max": MAX_COUNT}
    older, younger = values.get(Field.PUPILS_10_19), values.get(Field.PUPILS_15_19)
    if older is not None and younger is not None and younger > older:
        # 15–19 is a part of 10–19: more of them is a typo that would skew both shares.
        errors[Field.PUPILS_15_19] = _(
            "Обучающихся 15–19 лет не может быть больше, чем обучающихся 10–19 лет."
        )
    if errors:
        raise ValidationError(errors)
    contingent, _created = Contingent.objects.select_for_update().get_or_create(
        organization=organization, year=year
    )
    for name, value in values.items():
        setattr(contingent, name, value)
    contingent.updated_by = actor if actor and actor.is_authenticated else None
    contingent.save()
    audit.record(
        actor=actor,
        organization=organization,
        action="indicators.contingent_save",
        obj=contingent,
        year=year,
        values=values,
    )
    return contingent


@transaction.atomic
def targets_save(
    *,
    actor: User | None,
    organization: Organization,
    year: int,
    values: dict[str, Decimal | None],
) -> int:
    """Set the organisation's own targets for the year; None returns an indicator to the
    level above (the region's or the target model's value). Returns the rows changed."""
    check_year(year)
    if organization.kind not in TARGET_KINDS:
        raise ValidationError(_("Целевые значения задают муниципалитет и регион."))
    codes = {i.value for i in TARGET_INDICATORS}
    if set(values) - codes:
        raise ValidationError(_("Неизвестный показатель."))
    # Two saves at once of one organisation's targets: the second waits and updates the
    # rows the first wrote, instead of inserting them twice.
    lock(organization)
    changed = 0
    for code, percent in values.items():
        existing = Target.objects.filter(organization=organization, indicator=code, year=year)
        if percent is None:
            changed += existing.delete()[0]
            continue
        if not Decimal(0) <= percent <= Decimal(100):
            raise ValidationError({code: _("Целевое значение — от 0 до 100 %.")})
        row = existing.first()
        if row is not None and row.percent == percent:
            continue
        if row is None:
            row = Target(organization=organization, indicator=code, year=year)
        row.percent = percent
        row.updated_by = actor if actor and actor.is_authenticated else None
        row.save()
        changed += 1
    audit.record(
        actor=actor,
        organization=organization,
        action="indicators.targets_save",
        year=year,
        values={k: (str(v) if v is not None else None) for k, v in values.items()},
    )
    return changed
