"""The defaults of a local act's form: the people and partners the act may name.

The same sets the builders (registry/documents/acts/common.py) take when nothing is
chosen: at a school its adult mentors with a valid consent, at a municipality its
mentor base; the organisation's partners; its curator (a municipality: its methodist).
Adults only: an act never names a pupil.
"""

from __future__ import annotations

from mentorship.models import Membership, Organization, OrganizationKind, Role
from registry.models import ConsentState, Participant, PartnerOrganization
from registry.selectors.municipal import MENTOR_BASE_CATEGORIES, unscoped_mentor_base


def act_curator(organization: Organization) -> tuple[str, str]:
    """(full name, position) of the organisation's first curator, or blanks."""
    role = Role.METHODIST if organization.kind == OrganizationKind.MUNICIPALITY else Role.CURATOR
    membership = (
        Membership.objects.filter(organization=organization, role=role)
        .exclude(user__last_name="")
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
        .first()
    )
    if membership is None:
        return "", ""
    user = membership.user
    name = " ".join(p for p in (user.last_name, user.first_name, user.patronymic) if p)
    return name, user.position


def act_people(organization: Organization) -> list[tuple[int, str]]:
    """(participant id, «Фамилия Имя Отчество — школа/должность») of adult mentors."""
    if organization.kind == OrganizationKind.MUNICIPALITY:
        return [
            (e.participant_id, f"{e.full_name} — {e.school_name}")
            for e in unscoped_mentor_base(organization)
        ]
    people = Participant.objects.filter(
        is_mentor=True,
        depersonalized_at__isnull=True,
        category__in=MENTOR_BASE_CATEGORIES,
        consent_state=ConsentState.VALID,
    ).order_by("last_name", "first_name", "patronymic", "pk")
    return [
        (p.pk, " ".join(x for x in (p.last_name, p.first_name, p.patronymic) if x))
        for p in people.only("pk", "last_name", "first_name", "patronymic")
    ]


def act_partners() -> list[tuple[int, str]]:
    """The current organisation's partners (the tenant scope is the filter)."""
    return list(PartnerOrganization.objects.order_by("name", "pk").values_list("pk", "name"))
