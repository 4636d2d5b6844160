"""Reads of competitions across the organisation tree, each named for the line it crosses.

A competition is its municipality's; the nominees are their schools'. The municipality
reads every nominee of its own competitions (adults, name and position as nominated), a
school reads the competitions of its municipality and only its own nominees, and a jury
member reads the nominees of the competitions they sit on — from their own organisation's
address, which must be the competition's municipality or one of its schools.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _

from mentorship.models import Organization, User
from mentorship.tenancy.scoping import unscoped_reads
from registry.models import (
    PRIZE_PLACES,
    Competition,
    CompetitionStatus,
    Criterion,
    JuryMember,
    Nomination,
    Nominee,
    Participant,
    Score,
)


def _not_found() -> Http404:
    return Http404(_("Запись не найдена."))


def competition_of(organization: Organization, competition_id: int) -> Competition:
    """The competition as `organization` sees it: its own, or (a school) its municipality's."""
    try:
        competition_id = int(competition_id)
    except (TypeError, ValueError):
        raise _not_found() from None
    if organization.is_educational:
        with unscoped_reads():
            competition = Competition.objects.filter(
                pk=competition_id, organization_id=organization.parent_id
            ).first()
    else:
        competition = Competition.objects.filter(pk=competition_id).first()
    if competition is None:
        raise _not_found()
    return competition


def competitions_for(organization: Organization) -> list[Competition]:
    if organization.is_educational:
        with unscoped_reads():
            return list(Competition.objects.filter(organization_id=organization.parent_id))
    return list(Competition.objects.all())


def nominations_and_criteria(competition: Competition) -> tuple[list, list]:
    with unscoped_reads():
        return (
            list(Nomination.objects.filter(competition=competition)),
            list(Criterion.objects.filter(competition=competition)),
        )


def unscoped_competition_nominees(competition: Competition) -> list[Nominee]:
    """Every nominee of a competition with its school: for the organiser and the jury."""
    with unscoped_reads():
        return list(
            Nominee.objects.filter(competition=competition)
            .select_related("organization", "nomination")
            .order_by("nomination__ordering", "place", "last_name", "practice_title", "pk")
        )


def school_nominees(competition: Competition) -> list[Nominee]:
    """The school's own nominees (the tenant scope keeps other schools' out)."""
    return list(
        Nominee.objects.filter(competition=competition)
        .select_related("nomination")
        .order_by("nomination__ordering", "last_name", "pk")
    )


def jury_of(competition: Competition) -> list[JuryMember]:
    with unscoped_reads():
        return list(
            JuryMember.objects.filter(competition=competition)
            .select_related("user")
            .prefetch_related(Prefetch("scores", queryset=Score.objects.only("id", "juror_id")))
        )


def _reachable(organization: Organization) -> list[int]:
    """Competitions a jury member opens from `organization`: its own or its parent's."""
    return [pk for pk in (organization.pk, organization.parent_id) if pk]


def unscoped_jury_seats(user: User, organization: Organization) -> list[JuryMember]:
    with unscoped_reads():
        return list(
            JuryMember.objects.filter(
                user=user, competition__organization_id__in=_reachable(organization)
            )
            .select_related("competition", "competition__organization")
            .order_by("-competition__judging_until", "-pk")
        )


def unscoped_jury_seat(user: User, organization: Organization, competition_id) -> JuryMember:
    """The user's seat on the jury of this competition; anything else is a 404."""
    try:
        competition_id = int(competition_id)
    except (TypeError, ValueError):
        raise _not_found() from None
    with unscoped_reads():
        seat = (
            JuryMember.objects.filter(
                user=user,
                competition_id=competition_id,
                competition__organization_id__in=_reachable(organization),
            )
            .select_related("competition", "competition__organization")
            .first()
        )
    if seat is None:
        raise _not_found()
    return seat


@dataclass
class SheetRow:
    nominee: Nominee
    cells: list[tuple[Criterion, int | None]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(v for _c, v in self.cells if v is not None)


def jury_sheet(seat: JuryMember) -> tuple[list[Criterion], list[SheetRow]]:
    """One jury member's screen: nominees × criteria with the scores they gave."""
    competition = seat.competition
    nominees = unscoped_competition_nominees(competition)
    with unscoped_reads():
        criteria = list(Criterion.objects.filter(competition=competition))
        given = {(s.nominee_id, s.criterion_id): s.value for s in Score.objects.filter(juror=seat)}
    rows = [SheetRow(n, [(c, given.get((n.pk, c.pk))) for c in criteria]) for n in nominees]
    return criteria, rows


def winners(competition: Competition) -> list[Nominee]:
    return [n for n in unscoped_competition_nominees(competition) if n.is_winner]


def awards_of(participant: Participant) -> list[Nominee]:
    """A mentor's prize places in published competitions, for their card."""
    return list(
        Nominee.objects.filter(
            participant=participant,
            place__lte=PRIZE_PLACES,
            competition__status=CompetitionStatus.PUBLISHED,
        )
        .select_related("competition", "nomination")
        .order_by("-competition__published_at")
    )


def total_text(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}".replace(".", ",")


def nominee_with_file(organization: Organization, competition: Competition, nominee_id) -> Nominee:
    """A nominee's materials as `organization` may open them: a school its own nominees',
    the competition's municipality every nominee's. Anything else is a 404."""
    try:
        nominee_id = int(nominee_id)
    except (TypeError, ValueError):
        raise _not_found() from None
    if organization.is_educational:
        nominee = Nominee.objects.filter(pk=nominee_id, competition=competition).first()
    else:
        with unscoped_reads():
            nominee = Nominee.objects.filter(
                pk=nominee_id, competition=competition, competition__organization=organization
            ).first()
    if nominee is None or not nominee.file:
        raise _not_found()
    return nominee


def unscoped_jury_nominee_with_file(seat: JuryMember, nominee_id) -> Nominee:
    """A nominee's materials for a jury member of its competition."""
    try:
        nominee_id = int(nominee_id)
    except (TypeError, ValueError):
        raise _not_found() from None
    with unscoped_reads():
        nominee = Nominee.objects.filter(pk=nominee_id, competition_id=seat.competition_id).first()
    if nominee is None or not nominee.file:
        raise _not_found()
    return nominee
