"""A personal link as the public page needs it: one raw SELECT by token.

The public page must take hundreds of submissions a second on two cores, and building
an ORM query with four select_related joins cost more CPU than running it. So the link
is read with one fixed SQL statement (table and column names from the models' _meta,
the token as a parameter) into small frozen records the page and the save use.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from functools import cache

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from monitoring.models import Campaign, Invitation, Questionnaire
from monitoring.models.campaigns import early_end
from registry.models import ConsentState, Participant

TOKEN_MAX = 64


class LinkState(Enum):
    OK = "ok"
    NOT_FOUND = "not_found"  # forged or mistyped: 404, says nothing about existence
    REVOKED = "revoked"  # consent withdrawn: 410
    CLOSED = "closed"  # the campaign was ended early: 410
    EXPIRED = "expired"  # past the campaign's end date: 410
    NOT_STARTED = "not_started"  # before the start date: 403


@dataclass(frozen=True, slots=True)
class CampaignInfo:
    title: str
    starts_on: date
    ends_on: date
    closed_at: datetime | None
    # Purpose.MONITORING, INTAKE or PARTNER_CHOICE; the group meeting of a choice.
    purpose: str = "monitoring"
    group_meeting_id: int | None = None

    @property
    def ended_early_on(self) -> date | None:
        return early_end(self.closed_at, self.ends_on)


@dataclass(frozen=True, slots=True)
class QuestionnaireInfo:
    pk: int
    title: str
    description: str
    updated_at: datetime
    # Its `Kind`: a satisfaction questionnaire's answers feed the indicators.
    kind: str = ""


@dataclass(frozen=True, slots=True)
class SchoolInfo:
    pk: int
    short_name: str


@dataclass(frozen=True, slots=True)
class Link:
    pk: int
    campaign_id: int
    participant_id: int
    role: str
    responded_at: datetime | None
    revoked_at: datetime | None
    consent_state: str
    depersonalized_at: datetime | None
    school: SchoolInfo
    campaign: CampaignInfo
    questionnaire: QuestionnaireInfo

    @property
    def organization_id(self) -> int:
        return self.school.pk


@cache
def _sql() -> str:
    """The lookup, built once from the models' table and column names."""
    qn = connection.ops.quote_name

    def col(model, name: str) -> str:
        return f"{qn(model._meta.db_table)}.{qn(model._meta.get_field(name).column)}"

    inv, camp, quest, person = Invitation, Campaign, Questionnaire, Participant
    org = Invitation._meta.get_field("organization").related_model
    columns = [
        col(inv, "id"), col(inv, "campaign"), col(inv, "participant"), col(inv, "role"),
        col(inv, "responded_at"), col(inv, "revoked_at"),
        col(person, "consent_state"), col(person, "depersonalized_at"),
        col(org, "id"), col(org, "short_name"),
        col(camp, "title"), col(camp, "starts_on"), col(camp, "ends_on"), col(camp, "closed_at"),
        col(camp, "purpose"), col(camp, "group_meeting"),
        col(quest, "id"), col(quest, "title"), col(quest, "description"), col(quest, "updated_at"),
        col(quest, "kind"),
    ]  # fmt: skip
    t = {m: qn(m._meta.db_table) for m in (inv, camp, quest, person, org)}
    return (
        f"SELECT {', '.join(columns)} FROM {t[inv]} "  # noqa: S608 - names from _meta only
        f"JOIN {t[camp]} ON {col(camp, 'id')} = {col(inv, 'campaign')} "
        f"JOIN {t[quest]} ON {col(quest, 'id')} = {col(inv, 'questionnaire')} "
        f"JOIN {t[person]} ON {col(person, 'id')} = {col(inv, 'participant')} "
        f"JOIN {t[org]} ON {col(org, 'id')} = {col(inv, 'organization')} "
        f"WHERE {col(inv, 'token')} = %s"
    )


def _dt(value):
    # SQLite (the embedded mode) hands back text; PostgreSQL hands back datetimes.
    if isinstance(value, str):
        parsed = parse_datetime(value)
        return timezone.make_aware(parsed, timezone.utc) if timezone.is_naive(parsed) else parsed
    return value


def _d(value):
    return parse_date(value) if isinstance(value, str) else value


def find_link(token: str) -> Link | None:
    """The link of a token, or None. The token is the credential: the lookup is not
    tenant-scoped, and the link's school comes from the row itself."""
    if not token or len(token) > TOKEN_MAX:
        return None
    with connection.cursor() as cursor:
        cursor.execute(_sql(), [token])
        row = cursor.fetchone()
    if row is None:
        return None
    (pk, campaign_id, participant_id, role, responded, revoked, consent, depersonalized,
     school_id, school_name, title, starts_on, ends_on, closed_at, purpose, meeting_id,
     q_id, q_title, q_description, q_updated, q_kind) = row  # fmt: skip
    return Link(
        pk=pk,
        campaign_id=campaign_id,
        participant_id=participant_id,
        role=role,
        responded_at=_dt(responded),
        revoked_at=_dt(revoked),
        consent_state=consent,
        depersonalized_at=_dt(depersonalized),
        school=SchoolInfo(school_id, school_name),
        campaign=CampaignInfo(
            title, _d(starts_on), _d(ends_on), _dt(closed_at), purpose, meeting_id
        ),
        questionnaire=QuestionnaireInfo(q_id, q_title, q_description, _dt(q_updated), q_kind),
    )


def link_state(link: Link | None, today: date | None = None) -> LinkState:
    if link is None:
        return LinkState.NOT_FOUND
    if (
        link.revoked_at is not None
        or link.consent_state != ConsentState.VALID
        or link.depersonalized_at is not None
    ):
        return LinkState.REVOKED
    campaign = link.campaign
    today = today or timezone.localdate()
    if campaign.closed_at is not None:
        return LinkState.CLOSED
    if today > campaign.ends_on:
        return LinkState.EXPIRED
    if today < campaign.starts_on:
        return LinkState.NOT_STARTED
    return LinkState.OK
