"""Checking the rows against the portal: what each would do, and its errors in Russian."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from mentorship.models import (
    Invitation,
    Membership,
    Organization,
    OrganizationKind,
    Role,
    User,
    inn_validator,
)
from mentorship.tenancy.resolution import roles_in

from ..grants import check_grant
from ..invitations import normalize_email
from .columns import COLUMNS, CURATOR_KEYS, KIND_WORDS


def split_name(text: str) -> tuple[str, str, str]:
    parts = text.split()
    return (
        parts[0] if parts else "",
        parts[1] if len(parts) > 1 else "",
        " ".join(parts[2:]),
    )


def _kind(text: str) -> str | None:
    if not text:
        return OrganizationKind.SCHOOL
    return KIND_WORDS.get(text.lower())


def _school_errors(row: dict, kind: str | None) -> list[str]:
    errors = []
    if not row["full_name"]:
        errors.append(_("Не указано полное наименование."))
    if kind is None:
        errors.append(
            _(
                "Неизвестный вид «%(kind)s»: укажите школа, колледж, "
                "центр дополнительного образования или иная."
            )
            % {"kind": row["kind"]}
        )
    limits = {
        "full_name": 500,
        "short_name": 200,
        "address": 500,
        "head_name": 200,
        "head_position": 200,
    }
    for key, limit in limits.items():
        if len(row[key]) > limit:
            header = next(c.header for c in COLUMNS if c.key == key)
            errors.append(
                _("«%(column)s» длиннее %(limit)s знаков.") % {"column": header, "limit": limit}
            )
    return errors


def _inn_errors(inn: str) -> list[str]:
    if not inn:
        return [_("Не указан ИНН.")]
    try:
        inn_validator(inn)
    except ValidationError as exc:
        return list(exc.messages)
    if len(inn) != 10:
        return [_("ИНН организации состоит из 10 цифр.")]
    return []


def bulk_start_check(
    *, actor: User, municipality: Organization, rows: Iterable[dict]
) -> list[dict]:
    """Each row with what will happen to it: `action` ("create" or "match"), `invite`,
    `note` and `errors` (Russian). Writes nothing; a fixed number of queries."""
    rows = [dict(row) for row in rows]
    inns = [row["inn"].replace(" ", "") for row in rows]
    existing = {
        org.inn: org
        for org in Organization.objects.filter(inn__in=[i for i in inns if i]).select_related(
            "parent"
        )
    }
    matched_ids = [o.pk for o in existing.values() if o.parent_id == municipality.pk]
    curators = set(
        Membership.objects.filter(organization_id__in=matched_ids, role=Role.CURATOR).values_list(
            "organization_id", "user__email"
        )
    )
    invited = set(
        Invitation.objects.filter(organization_id__in=matched_ids, role=Role.CURATOR)
        .open()
        .values_list("organization_id", "email")
    )
    held = roles_in(actor, municipality)
    seen: dict[str, int] = {}
    for row, inn in zip(rows, inns, strict=True):
        row["inn"] = inn
        errors: list[str] = []
        kind = _kind(row["kind"])
        row["kind_code"] = kind or ""
        row["kind_label"] = str(OrganizationKind(kind).label) if kind else row["kind"]
        errors += _school_errors(row, kind)
        errors += _inn_errors(inn)
        if inn in seen:
            errors.append(_("ИНН повторяется: он уже есть в строке %(row)s.") % {"row": seen[inn]})
        elif inn:
            seen[inn] = row["row"]
        school = existing.get(inn)
        row["action"], row["existing_id"], row["note"] = "create", None, ""
        if school is not None:
            if school.parent_id != municipality.pk or not school.is_educational:
                errors.append(
                    _(
                        "ИНН принадлежит организации «%(name)s», "
                        "которая не входит в %(municipality)s."
                    )
                    % {"name": school.short_name, "municipality": municipality.short_name}
                )
            elif school.is_closed:
                errors.append(
                    _(
                        "Организация «%(name)s» с этим ИНН закрыта: "
                        "восстановите её на странице «Организации»."
                    )
                    % {"name": school.short_name}
                )
            else:
                row["action"], row["existing_id"] = "match", school.pk
                row["note"] = _("Уже есть в портале: «%(name)s»; данные школы не меняются.") % {
                    "name": school.short_name
                }
        errors += _curator_check(row, actor, municipality, held, curators, invited)
        row["errors"] = errors
    return rows


def _curator_check(row, actor, municipality, held, curators, invited) -> list[str]:
    row["invite"] = False
    row["curator_email"] = normalize_email(row["curator_email"])
    if not any(row[k] for k in CURATOR_KEYS):
        return []
    errors = []
    email = row["curator_email"]
    if not email:
        errors.append(_("Для куратора не указана электронная почта."))
    else:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(
                _("Неправильный адрес электронной почты куратора: %(email)s.") % {"email": email}
            )
    if not row["curator_name"]:
        errors.append(_("Не указаны фамилия и имя куратора."))
    if errors:
        return errors
    school = Organization(kind=row["kind_code"] or OrganizationKind.SCHOOL, parent=municipality)
    try:
        check_grant(actor=actor, organization=school, role=Role.CURATOR, person=email, held=held)
    except ValidationError as exc:
        return list(exc.messages)
    key = (row["existing_id"], email)
    if row["existing_id"] and key in {(o, e.lower()) for o, e in curators}:
        row["note"] = " ".join(filter(None, [row["note"], _("Этот куратор уже работает в школе.")]))
    elif row["existing_id"] and key in invited:
        row["note"] = " ".join(filter(None, [row["note"], _("Куратор уже приглашён.")]))
    else:
        row["invite"] = True
    return []
