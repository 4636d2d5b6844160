"""The choice after a group meeting on personal links (issue 15, stage 5).

Everyone who attended gets a personal link (the monitoring machinery: token, public page,
mail or QR sheet, revocation with the consent) to a campaign of purpose PARTNER_CHOICE
tied to the meeting. The page offers the people of the other side who came; the ranking
is stored by the registry's `preferences_record`, the comment as an ordinary response.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorship import audit
from mentorship.conflicts import conflicts, lock
from mentorship.models import Organization, User
from mentorship.tenancy.scoping import tenant_scope
from monitoring.models import Campaign, CampaignSchool, Purpose, Questionnaire
from monitoring.services.answering import Parsed, response_save
from monitoring.services.intake import SendResult, links_create
from monitoring.services.links import Link
from registry.models import GroupMeeting, GroupMeetingParticipant, MentorPreference, Participant
from registry.services.consent import can_process
from registry.services.group_meetings import choice_options, preferences_record

# Days the choice stays open after the meeting.
CHOICE_DAYS = 14


def choice_questionnaire() -> Questionnaire:
    return Questionnaire.objects.get(organization__isnull=True, standard_code="partner_choice")


def choice_campaign(meeting: GroupMeeting) -> Campaign | None:
    return Campaign.objects.filter(purpose=Purpose.PARTNER_CHOICE, group_meeting=meeting).first()


@transaction.atomic
def choice_links_send(*, actor: User, meeting: GroupMeeting) -> SendResult:
    """Links for everyone who attended and may be processed; again: only the new ones."""
    lock(meeting)
    today = timezone.localdate()
    if meeting.held_on > today:
        raise ValidationError(_("Встреча ещё не прошла: выбор открывается после неё."))
    attendees = list(
        GroupMeetingParticipant.objects.filter(meeting=meeting, attended=True).select_related(
            "participant"
        )
    )
    if not attendees:
        raise ValidationError(_("Отметьте, кто был на встрече: ссылки получат только они."))
    questionnaire = choice_questionnaire()
    school = meeting.organization
    campaign = choice_campaign(meeting)
    if campaign is None:
        with conflicts():
            campaign = Campaign.objects.create(
                organization=school,
                title=_("Выбор после групповой встречи %(d)s (№ %(n)s)")
                % {"d": meeting.held_on.strftime("%d.%m.%Y"), "n": meeting.pk},
                stage="entry",
                purpose=Purpose.PARTNER_CHOICE,
                group_meeting=meeting,
                starts_on=meeting.held_on,
                ends_on=max(meeting.held_on, today) + datetime.timedelta(days=CHOICE_DAYS),
                mentor_questionnaire=questionnaire,
                mentee_questionnaire=questionnaire,
                created_by=actor,
            )
            CampaignSchool.objects.create(
                organization=school, campaign=campaign, invited_at=timezone.now()
            )
    elif campaign.has_ended():
        raise ValidationError(_("Выбор после этой встречи уже закрыт."))
    result = SendResult(campaign_id=campaign.pk)
    wanted = []
    for row in attendees:
        if can_process(row.participant):
            wanted.append((row.participant, row.role, questionnaire))
        else:
            result.refused.append(
                _("%(name)s: нет действующего согласия на обработку данных")
                % {"name": row.participant.short_name}
            )
    links_create(campaign=campaign, school=school, wanted=wanted, result=result)
    audit.record(
        actor=actor,
        organization=school,
        action="partner_choice.send",
        obj=campaign,
        created=result.created,
        restored=result.restored,
    )
    return result


def _meeting(link: Link) -> GroupMeeting:
    return GroupMeeting.objects.select_related("programme").get(pk=link.campaign.group_meeting_id)


def choice_page(link: Link) -> tuple[list[Participant], list[int]]:
    """Whom the link's person may rank, and their current ranking (ids, best first)."""
    with tenant_scope(Organization(pk=link.organization_id)):
        meeting = _meeting(link)
        options = choice_options(meeting, link.participant_id, link.role)
        mine = MentorPreference.objects.filter(
            programme_id=meeting.programme_id, chosen_by=link.role
        ).order_by("rank", "pk")
        if link.role == "mentor":
            current = list(
                mine.filter(mentor_id=link.participant_id).values_list("mentee_id", flat=True)
            )
        else:
            current = list(
                mine.filter(mentee_id=link.participant_id).values_list("mentor_id", flat=True)
            )
    return options, current


def choice_save(link: Link, chosen_ids: list[int], parsed: Parsed) -> None:
    """Store the ranking (registry) and the comment (the response) together."""
    with tenant_scope(Organization(pk=link.organization_id)), transaction.atomic():
        meeting = _meeting(link)
        chooser = Participant.objects.get(pk=link.participant_id)
        preferences_record(
            actor=None, meeting=meeting, chooser=chooser, role=link.role, chosen_ids=chosen_ids
        )
        response_save(link, parsed)
