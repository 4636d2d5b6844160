"""Reads of the monitoring pages that span relations or tenants.

Upper levels see counts only: the municipal progress of a campaign is an aggregate over
the schools' invitations, never a list of people.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from mentorship.models import Organization
from mentorship.tenancy.scoping import unscoped_reads
from monitoring.models import Campaign, CampaignSchool, Invitation
from registry.models import PairMember, PairStatus, Participant
from registry.services.consent import can_process

INVITED_PAIR_STATUSES = (PairStatus.APPROVED, PairStatus.ACTIVE)


@dataclass
class Progress:
    invited: int = 0
    responded: int = 0
    revoked: int = 0

    @property
    def active(self) -> int:
        return self.invited - self.revoked

    @property
    def rate(self) -> int | None:
        """Response rate, % of the links that still work (None when nobody is invited)."""
        return round(100 * self.responded / self.active) if self.active else None


def running(prefix: str = "", today=None) -> Q:
    """Campaigns taking answers today (`Campaign.is_open` as a filter); `prefix` is the
    path to the campaign from the queried model, e.g. "campaign__"."""
    today = today or timezone.localdate()
    return Q(
        **{
            f"{prefix}closed_at__isnull": True,
            f"{prefix}starts_on__lte": today,
            f"{prefix}ends_on__gte": today,
        }
    )


_COUNTS = {
    "invited": Count("pk"),
    "responded": Count("pk", filter=Q(responded_at__isnull=False)),
    "revoked": Count("pk", filter=Q(revoked_at__isnull=False, responded_at__isnull=True)),
}


# Invitation counts that make a `Progress`, for aggregate() and annotate().
INVITATION_COUNTS = _COUNTS


def unscoped_campaign_progress(campaign: Campaign) -> list[tuple[Organization, Progress]]:
    """Per school of the campaign: invitation counts. Aggregates only, one query each for
    the schools and the counts."""
    with unscoped_reads():
        schools = [
            cs.organization
            for cs in CampaignSchool.objects.filter(campaign=campaign)
            .select_related("organization")
            .order_by("organization__short_name")
        ]
        rows = (
            Invitation.objects.filter(campaign=campaign)
            .values("organization_id")
            .annotate(**_COUNTS)
            .order_by()
        )
        counts = {r.pop("organization_id"): Progress(**r) for r in rows}
    return [(school, counts.get(school.pk, Progress())) for school in schools]


def unscoped_campaign_totals(campaign_ids: list[int]) -> dict[int, Progress]:
    """Campaign id → totals over all its schools, for the municipal list (one query)."""
    with unscoped_reads():
        rows = (
            Invitation.objects.filter(campaign_id__in=campaign_ids)
            .values("campaign_id")
            .annotate(**_COUNTS)
            .order_by()
        )
        return {r.pop("campaign_id"): Progress(**r) for r in rows}


def school_totals(campaign_ids: list[int]) -> dict[int, Progress]:
    """For the school's own list, in its scope: campaign id → the school's counts."""
    rows = (
        Invitation.objects.filter(campaign_id__in=campaign_ids)
        .values("campaign_id")
        .annotate(**_COUNTS)
        .order_by()
    )
    return {r.pop("campaign_id"): Progress(**r) for r in rows}


@dataclass(frozen=True)
class Member:
    participant: Participant
    role: str


def eligible_members(school: Organization) -> tuple[list[Member], int]:
    """The people of the school's approved and active pairs who may be invited, and how
    many others of those pairs may not (no valid consent). Call in the school's scope."""
    rows = (
        PairMember.objects.filter(organization=school, pair__status__in=INVITED_PAIR_STATUSES)
        .select_related("participant")
        .order_by("participant__last_name", "participant__first_name", "participant_id", "role")
    )
    seen: set[tuple[int, str]] = set()
    members: list[Member] = []
    refused: set[int] = set()
    for row in rows:
        key = (row.participant_id, row.role)
        if key in seen:
            continue
        seen.add(key)
        if can_process(row.participant):
            members.append(Member(row.participant, row.role))
        else:
            refused.add(row.participant_id)
    return members, len(refused)


@dataclass
class PersonRow:
    member: Member
    invitation: Invitation | None
    questionnaire_title: str


def school_people(campaign_school: CampaignSchool) -> tuple[list[PersonRow], int]:
    """The curator's list: everyone the campaign concerns at the school, with their link's
    state, and how many pair members cannot be invited for want of consent."""
    campaign = campaign_school.campaign
    members, refused = eligible_members(campaign_school.organization)
    invitations = {
        (inv.participant_id, inv.role): inv
        for inv in Invitation.objects.filter(
            campaign=campaign, organization=campaign_school.organization
        )
    }
    titles = {
        "mentor": campaign.mentor_questionnaire.title if campaign.mentor_questionnaire else "",
        "mentee": campaign.mentee_questionnaire.title if campaign.mentee_questionnaire else "",
    }
    rows = [
        PersonRow(m, invitations.get((m.participant.pk, m.role)), titles[m.role])
        for m in members
        if titles[m.role]
    ]
    return rows, refused
