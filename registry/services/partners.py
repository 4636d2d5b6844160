"""Partner organisations: enterprises, universities and colleges that give mentors.

A municipality keeps the partners it signed agreements with; a school keeps its own.
Each write is one audited transaction; the organisation is set here, never by a form.
"""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mentorship import audit
from mentorship.models import Organization, OrganizationKind, User
from registry.models import PartnerKind, PartnerOrganization

PARTNER_FIELDS = (
    "kind",
    "name",
    "inn",
    "contact_person",
    "phone",
    "email",
    "agreement_number",
    "agreement_date",
)

# Weights of the INN check digits (Federal Tax Service order ММВ-7-6/435@): one digit
# for a legal entity's 10-digit INN, two for a person's or sole trader's 12-digit one.
_WEIGHTS_10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_WEIGHTS_11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_WEIGHTS_12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def _check_digit(digits: list[int], weights: tuple[int, ...]) -> int:
    return sum(d * w for d, w in zip(digits, weights, strict=False)) % 11 % 10


def inn_error(inn: str) -> str | None:
    """A Russian message if `inn` is not a valid INN, else None. An empty INN is allowed."""
    if not inn:
        return None
    if not inn.isdigit() or len(inn) not in (10, 12):
        return _("ИНН состоит из 10 цифр (у организации) или 12 цифр (у ИП).")
    digits = [int(c) for c in inn]
    if len(inn) == 10:
        valid = _check_digit(digits, _WEIGHTS_10) == digits[9]
    else:
        valid = (
            _check_digit(digits, _WEIGHTS_11) == digits[10]
            and _check_digit(digits, _WEIGHTS_12) == digits[11]
        )
    # A typo in one digit is caught by the check digits; tell the person what to look at.
    return None if valid else _("ИНН указан с ошибкой: не сходятся контрольные цифры.")


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    values = {k: v for k, v in data.items() if k in PARTNER_FIELDS}
    values = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
    if "inn" in values:
        # People paste INNs with spaces from letterheads: "16 50 032058".
        values["inn"] = "".join((values["inn"] or "").split())
    return values


def _validate(partner: PartnerOrganization) -> None:
    errors: dict[str, list[str]] = {}
    if not partner.name:
        errors["name"] = [_("Укажите наименование организации.")]
    if partner.kind not in PartnerKind.values:
        errors["kind"] = [_("Укажите вид: предприятие, вуз, колледж или иная организация.")]
    message = inn_error(partner.inn)
    if message:
        errors["inn"] = [message]
    elif partner.inn:
        twin = PartnerOrganization.objects.filter(
            organization=partner.organization, inn=partner.inn
        ).exclude(pk=partner.pk)
        if twin.exists():
            errors["inn"] = [_("Партнёр с таким ИНН уже есть в списке.")]
    try:
        # Lengths and the e-mail format, with Django's Russian messages.
        partner.full_clean(exclude=["organization", *errors])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _check_level(organization: Organization) -> None:
    if organization.kind == OrganizationKind.REGION:
        raise ValidationError(
            _("Партнёров ведут муниципалитет и образовательные организации, а не регион.")
        )


@transaction.atomic
def partner_create(
    *, actor: User | None, organization: Organization, **data: Any
) -> PartnerOrganization:
    _check_level(organization)
    values = dict.fromkeys(PARTNER_FIELDS, "") | {"agreement_date": None} | _clean(data)
    partner = PartnerOrganization(organization=organization, **values)
    _validate(partner)
    partner.save()
    audit.record(actor=actor, organization=organization, action="partner.create", obj=partner)
    return partner


@transaction.atomic
def partner_update(
    *, actor: User | None, partner: PartnerOrganization, **data: Any
) -> PartnerOrganization:
    values = _clean(data)
    changed = [f for f, v in values.items() if getattr(partner, f) != v]
    # Validate a copy: a refused edit must not leave the caller's object half-changed.
    candidate = copy.copy(partner)
    for field, value in values.items():
        setattr(candidate, field, value)
    _validate(candidate)
    for field, value in values.items():
        setattr(partner, field, value)
    partner.save()
    audit.record(
        actor=actor,
        organization=partner.organization,
        action="partner.update",
        obj=partner,
        fields=changed,
    )
    return partner


@transaction.atomic
def partner_delete(*, actor: User | None, partner: PartnerOrganization) -> None:
    """Delete a partner nobody in any registry represents.

    A municipal partner's representatives sit in the schools' registries; deleting it
    would silently blank their "organisation" there, so it is refused instead.
    """
    from registry.selectors.municipal import unscoped_partner_representative_count

    if unscoped_partner_representative_count(partner):
        raise ValidationError(
            _(
                "В реестрах есть представители этой организации: сначала укажите им "
                "другую организацию."
            )
        )
    audit.record(
        actor=actor,
        organization=partner.organization,
        action="partner.delete",
        obj=partner,
        inn=partner.inn,
    )
    partner.delete()
