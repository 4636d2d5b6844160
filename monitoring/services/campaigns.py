"""Campaigns: start and close one, invite a school's participants, stop a person's links.

Who is invited: the members of the school's approved and active pairs whose data the
programme may process (`monitoring.selectors.campaigns.eligible_members`). Mentors get
the campaign's questionnaire for mentors, mentees the one for mentees; a person who is
both (in different pairs) gets both.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from celery import current_app
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorship import audit
from mentorship.conflicts import Conflict, conflicts, lock
from mentorship.models import EDUCATIONAL_KINDS, Organization, OrganizationKind, User
from mentorship.tenancy.scoping import tenant_scope
from monitoring.models import (
    Campaign,
    CampaignSchool,
    Channel,
    Invitation,
    InvitationRole,
    Purpose,
    Questionnaire,
)
from monitoring.models.questionnaires import PARTICIPANT_KINDS
from monitoring.selectors.campaigns import eligible_members
from monitoring.services.ended import campaign_announce_ended
from registry.models import MemberRole, Participant


def new_token() -> str:
    # 24 random bytes: 32 URL-safe characters, unguessable and short enough for a QR code.
    return secrets.token_urlsafe(24)


def schools_of(organization: Organization) -> list[Organization]:
    """The schools a campaign started here covers: the school itself, a municipality's
    schools, or every school of every municipality of a region."""
    if organization.kind in EDUCATIONAL_KINDS:
        return [organization]
    if organization.kind == OrganizationKind.REGION:
        return list(
            Organization.objects.filter(
                parent__parent=organization,
                parent__kind=OrganizationKind.MUNICIPALITY,
                kind__in=EDUCATIONAL_KINDS,
            ).order_by("parent_id", "short_name")
        )
    return list(
        Organization.objects.filter(parent=organization, kind__in=EDUCATIONAL_KINDS).order_by(
            "short_name"
        )
    )


@transaction.atomic
def campaign_create(
    *,
    actor: User,
    organization: Organization,
    title: str,
    stage: str,
    starts_on: date,
    ends_on: date,
    mentor_questionnaire: Questionnaire | None,
    mentee_questionnaire: Questionnaire | None,
    remind_every_days: int = 3,
) -> Campaign:
    """Start a campaign at a region (every school of its municipalities), a municipality
    (all its schools) or at one school.

    The organisation's row is locked first: two identical requests at once (a double
    click) run one after the other, and the second is refused as a duplicate (409)."""
    errors: dict[str, list[str]] = {}
    if organization.kind not in (
        OrganizationKind.REGION,
        OrganizationKind.MUNICIPALITY,
        *EDUCATIONAL_KINDS,
    ):
        errors["__all__"] = [
            _("Кампанию проводит регион, муниципалитет или образовательная организация.")
        ]
    if ends_on < starts_on:
        errors["ends_on"] = [_("Окончание раньше начала.")]
    if mentor_questionnaire is None and mentee_questionnaire is None:
        errors["__all__"] = [_("Выберите анкету для наставников, для наставляемых или обе.")]
    for field, questionnaire in (
        ("mentor_questionnaire", mentor_questionnaire),
        ("mentee_questionnaire", mentee_questionnaire),
    ):
        if questionnaire is None:
            continue
        if questionnaire.organization_id not in (None, organization.pk):
            errors[field] = [_("Эта анкета недоступна организации.")]
        elif questionnaire.kind in PARTICIPANT_KINDS:
            errors[field] = [_("Анкеты кандидатов и выбора после встречи — не для мониторинга.")]
        elif not questionnaire.is_current:
            errors[field] = [_("Выберите текущую версию анкеты.")]
        elif not questionnaire.questions.exists():
            errors[field] = [_("В анкете нет вопросов.")]
    if remind_every_days < 1:
        errors["remind_every_days"] = [_("Не реже одного дня.")]
    if errors:
        raise ValidationError(errors)
    lock(organization)
    title = title.strip()
    duplicate = Campaign.objects.filter(
        organization=organization, title__iexact=title, starts_on=starts_on
    )
    if duplicate.exists():
        raise Conflict(_("Кампания «%(title)s» с этой датой начала уже есть.") % {"title": title})
    with conflicts():
        campaign = Campaign.objects.create(
            organization=organization,
            title=title,
            stage=stage,
            starts_on=starts_on,
            ends_on=ends_on,
            mentor_questionnaire=mentor_questionnaire,
            mentee_questionnaire=mentee_questionnaire,
            remind_every_days=remind_every_days,
            created_by=actor,
        )
    schools = schools_of(organization)
    if schools:
        # Each school's row is the school's own, written in the schools' scope; one
        # statement for a region's 1,500 schools.
        with tenant_scope(*schools):
            CampaignSchool.objects.bulk_create(
                [CampaignSchool(organization=school, campaign=campaign) for school in schools],
                batch_size=1000,
            )
    audit.record(
        actor=actor,
        organization=organization,
        action="campaign.create",
        obj=campaign,
        schools=len(schools),
    )
    return campaign


@transaction.atomic
def campaigns_join_new_school(school: Organization) -> list[Campaign]:
    """A school added to a municipality joins the campaigns still running of the
    municipality and of its region.

    Otherwise its curator would see no campaign and could invite nobody until the next
    one. Campaigns that have ended or were closed stay as they were. Idempotent.
    """
    if school.kind not in EDUCATIONAL_KINDS or school.parent_id is None:
        return []
    lock(school)  # joined once, however many hooks fire at once
    municipality = school.parent
    owners = [municipality]
    if municipality.parent_id is not None and municipality.parent.kind == OrganizationKind.REGION:
        owners.append(municipality.parent)
    with tenant_scope(*owners):
        running = [
            c
            for c in Campaign.objects.filter(organization__in=owners, closed_at__isnull=True)
            if not c.has_ended()
        ]
    joined = []
    with tenant_scope(school):
        present = set(
            CampaignSchool.objects.filter(campaign__in=running).values_list(
                "campaign_id", flat=True
            )
        )
        for campaign in running:
            if campaign.pk in present:
                continue
            CampaignSchool.objects.create(organization=school, campaign=campaign)
            audit.record(actor=None, organization=school, action="campaign.join", obj=campaign)
            joined.append(campaign)
    return joined


@transaction.atomic
def campaign_close(*, actor: User, campaign: Campaign) -> Campaign:
    """End a campaign before its end date: its links stop accepting answers."""
    lock(campaign)
    campaign.closed_at = Campaign.objects.values_list("closed_at", flat=True).get(pk=campaign.pk)
    if campaign.closed_at is not None:
        raise Conflict(_("Кампания уже завершена."))
    if timezone.localdate() > campaign.ends_on:
        # Closing after the end would call an ordinary end «early».
        raise ValidationError(
            _("Кампания закончилась %(day)s: завершать её досрочно не нужно.")
            % {"day": campaign.ends_on.strftime("%d.%m.%Y")}
        )
    campaign.closed_at = timezone.now()
    campaign.save(update_fields=["closed_at"])
    audit.record(
        actor=actor, organization=campaign.organization, action="campaign.close", obj=campaign
    )
    campaign_announce_ended(campaign, timezone.localdate())
    return campaign


def _questionnaire_for(campaign: Campaign, role: str) -> Questionnaire | None:
    if role == MemberRole.MENTOR:
        return campaign.mentor_questionnaire
    return campaign.mentee_questionnaire


@dataclass
class InviteResult:
    created: int = 0
    by_email: int = 0
    by_sheet: int = 0
    restored: int = 0


@transaction.atomic
def campaign_invite(*, actor: User, campaign_school: CampaignSchool) -> InviteResult:
    """Create the personal links of everyone eligible who has none yet; links of people
    with an e-mail address are mailed after commit, the rest go on the printable sheet.

    Running it again invites only those added since (new pairs, new consents) and gives
    a fresh link to someone whose consent was withdrawn and has been given again.
    """
    campaign = campaign_school.campaign
    school = campaign_school.organization
    # Two invitations at once of one school: the second waits, then finds the links made.
    lock(campaign_school)
    if campaign.has_ended():
        raise ValidationError(_("Кампания завершена: приглашать больше нельзя."))
    if campaign.purpose != Purpose.MONITORING:
        # Intake and choice links are sent from their own pages, to the people chosen there.
        raise ValidationError(_("Ссылки этой кампании отправляются со страницы анкет кандидатов."))
    members, _refused = eligible_members(school)
    existing = {
        (inv.participant_id, inv.questionnaire_id): inv
        for inv in Invitation.objects.filter(campaign=campaign, organization=school)
    }
    result = InviteResult()
    new: list[Invitation] = []
    for member in members:
        questionnaire = _questionnaire_for(campaign, member.role)
        if questionnaire is None:
            continue
        channel = Channel.EMAIL if member.participant.email else Channel.PRINT
        invitation = existing.get((member.participant.pk, questionnaire.pk))
        if invitation is not None:
            if invitation.revoked_at is not None:
                # Consent given again: the old link stays dead, a new one replaces it.
                invitation.token, invitation.revoked_at, invitation.sent_at = (
                    new_token(),
                    None,
                    None,
                )
                invitation.channel = channel
                invitation.save(update_fields=["token", "revoked_at", "sent_at", "channel"])
                result.restored += 1
            continue
        new.append(
            Invitation(
                organization=school,
                campaign=campaign,
                participant=member.participant,
                questionnaire=questionnaire,
                role=InvitationRole(member.role),
                token=new_token(),
                channel=channel,
            )
        )
    with conflicts():
        Invitation.objects.bulk_create(new)
    result.created = len(new)
    result.by_email = sum(inv.channel == Channel.EMAIL for inv in new)
    result.by_sheet = result.created - result.by_email
    if campaign_school.invited_at is None:
        campaign_school.invited_at = timezone.now()
        campaign_school.save(update_fields=["invited_at"])
    audit.record(
        actor=actor,
        organization=school,
        action="campaign.invite",
        obj=campaign,
        created=result.created,
        by_email=result.by_email,
        restored=result.restored,
    )
    campaign_id, school_id = campaign.pk, school.pk
    transaction.on_commit(lambda: _mail_later(campaign_id, school_id))
    return result


def _mail_later(campaign_id: int, school_id: int) -> None:
    # By the task's name: services never import monitoring.tasks, which calls services
    # (registered in every process by MonitoringConfig.ready; eager without a broker).
    current_app.tasks["monitoring.send_invitation_emails"].delay(school_id, campaign_id)


def invitations_revoke_for(participant: Participant) -> int:
    """Consent withdrawn: every link of this person stops working at once."""
    with tenant_scope(participant.organization):
        return Invitation.objects.filter(participant=participant, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )


def answers_forget_free_text(participant: Participant) -> int:
    """Depersonalisation: the person's free-text answers may name people, so they go.

    Scale and choice answers stay: they hold nothing personal, are now tied to a row with
    no name, and keep the school's results and growth figures intact."""
    from monitoring.models import Answer

    with tenant_scope(participant.organization):
        return (
            Answer.objects.filter(response__participant=participant)
            .exclude(text="")
            .update(text="")
        )
