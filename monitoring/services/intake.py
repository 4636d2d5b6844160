"""Candidates' intake questionnaires on their personal links (issue 15, stages 2–3).

The curator picks candidates from the registry and sends each a personal link (by mail,
or on the QR sheet): the same Invitation, token, public page, reminders and revocation as
the monitoring campaigns, in the school's running intake campaign (`Purpose.INTAKE`).
Consent first: a person whose data may not be processed gets no link, and a withdrawn
consent kills the link (monitoring.apps → `invitations_revoke_for`). Mentors get the
questionnaire «Чем я могу быть полезен в качестве наставника?», mentees the mentee one:
the school's own adapted copy if it has one, else the standard one.

Answers are not written into the registry when they arrive: they wait in the review
list until the curator accepts them (`intake_accept`, `intake_accept_all`), which calls
the registry's own service (`registry.services.intake.intake_apply`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from celery import current_app
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorship import audit
from mentorship.conflicts import Conflict, conflicts, lock
from mentorship.models import EDUCATIONAL_KINDS, Organization, User
from monitoring.models import (
    Answer,
    Campaign,
    CampaignSchool,
    Channel,
    Invitation,
    InvitationRole,
    Kind,
    Purpose,
    QuestionKind,
    Questionnaire,
    Response,
)
from monitoring.services.campaigns import new_token
from monitoring.services.mailing import address_for
from registry.models import Participant
from registry.services.consent import can_process
from registry.services.intake import IntakeAnswers, intake_apply

# How long an intake campaign takes answers from the day it is started.
INTAKE_DAYS = 30
INTAKE_KINDS = {
    InvitationRole.MENTOR: Kind.MENTOR_INTAKE,
    InvitationRole.MENTEE: Kind.MENTEE_INTAKE,
}


def intake_questionnaire(school: Organization, role: str) -> Questionnaire | None:
    """The school's own current intake questionnaire of this side, else the standard one."""
    kind = INTAKE_KINDS[role]
    rows = Questionnaire.objects.available_at(school).filter(kind=kind, is_current=True)
    own = [q for q in rows if q.organization_id == school.pk]
    if own:
        return max(own, key=lambda q: q.created_at)
    return next((q for q in rows if q.organization_id is None), None)


def running_intake(school: Organization, today: datetime.date | None = None) -> Campaign | None:
    today = today or timezone.localdate()
    return (
        Campaign.objects.filter(
            organization=school,
            purpose=Purpose.INTAKE,
            closed_at__isnull=True,
            starts_on__lte=today,
            ends_on__gte=today,
        )
        .select_related("mentor_questionnaire", "mentee_questionnaire")
        .order_by("-starts_on", "-pk")
        .first()
    )


def _intake_campaign(actor: User, school: Organization) -> Campaign:
    campaign = running_intake(school)
    if campaign is not None:
        return campaign
    today = timezone.localdate()
    mentor_q = intake_questionnaire(school, InvitationRole.MENTOR)
    mentee_q = intake_questionnaire(school, InvitationRole.MENTEE)
    if mentor_q is None or mentee_q is None:
        raise ValidationError(_("Нет анкет кандидатов: обратитесь к администратору портала."))
    with conflicts(_("Анкетирование кандидатов только что начато: обновите страницу.")):
        campaign = Campaign.objects.create(
            organization=school,
            title=_("Анкеты кандидатов от %(d)s") % {"d": today.strftime("%d.%m.%Y")},
            stage="entry",
            purpose=Purpose.INTAKE,
            starts_on=today,
            ends_on=today + datetime.timedelta(days=INTAKE_DAYS),
            mentor_questionnaire=mentor_q,
            mentee_questionnaire=mentee_q,
            created_by=actor,
        )
        CampaignSchool.objects.create(
            organization=school, campaign=campaign, invited_at=timezone.now()
        )
    return campaign


@dataclass
class SendResult:
    created: int = 0
    restored: int = 0
    by_email: int = 0
    by_sheet: int = 0
    already: int = 0
    # "Фамилия И. О.: why" for each candidate who got no link.
    refused: list[str] = field(default_factory=list)
    campaign_id: int | None = None


def links_create(
    *,
    campaign: Campaign,
    school: Organization,
    wanted: Iterable[tuple[Participant, str, Questionnaire]],
    result: SendResult,
) -> list[Invitation]:
    """Create (or restore after a renewed consent) the personal links; shared by the
    intake and the choice after a group meeting. Call inside the caller's transaction."""
    # One working link per person and side: a questionnaire adapted since keeps the
    # links already given (their answers stay comparable), new ones get the new version.
    existing = {
        (inv.participant_id, inv.role): inv
        for inv in Invitation.objects.filter(campaign=campaign, organization=school)
    }
    new: list[Invitation] = []
    for person, role, questionnaire in wanted:
        address = address_for(person, campaign.purpose)
        channel = Channel.EMAIL if address else Channel.PRINT
        invitation = existing.get((person.pk, role))
        if invitation is not None:
            if invitation.revoked_at is not None:
                invitation.token, invitation.revoked_at, invitation.sent_at = (
                    new_token(),
                    None,
                    None,
                )
                invitation.channel = channel
                invitation.save(update_fields=["token", "revoked_at", "sent_at", "channel"])
                result.restored += 1
                result.by_email += channel == Channel.EMAIL
                result.by_sheet += channel == Channel.PRINT
            else:
                result.already += 1
            continue
        new.append(
            Invitation(
                organization=school,
                campaign=campaign,
                participant=person,
                questionnaire=questionnaire,
                role=role,
                token=new_token(),
                channel=channel,
            )
        )
    with conflicts():
        Invitation.objects.bulk_create(new)
    result.created += len(new)
    result.by_email += sum(inv.channel == Channel.EMAIL for inv in new)
    result.by_sheet += sum(inv.channel == Channel.PRINT for inv in new)
    campaign_id, school_id = campaign.pk, school.pk
    transaction.on_commit(
        lambda: current_app.tasks["monitoring.send_invitation_emails"].delay(school_id, campaign_id)
    )
    return new


@transaction.atomic
def intake_send(*, actor: User, school: Organization, participant_ids: Iterable[int]) -> SendResult:
    """Send intake links to the chosen candidates of the school.

    A mentor candidate gets the mentor questionnaire, a mentee candidate the mentee one, a
    person who is both gets both. Who has no valid consent, or is neither, gets nothing and
    is named in `refused`; who already has a working link keeps it (no second letter).
    """
    if school.kind not in EDUCATIONAL_KINDS:
        raise ValidationError(_("Анкеты кандидатов рассылает школа."))
    ids = {int(i) for i in participant_ids}
    if not ids:
        raise ValidationError({"participants": [_("Выберите хотя бы одного кандидата.")]})
    lock(school)
    people = list(
        Participant.objects.filter(
            pk__in=ids, organization=school, depersonalized_at__isnull=True
        ).order_by("last_name", "first_name", "pk")
    )
    if len(people) != len(ids):
        raise ValidationError({"participants": [_("Некоторые кандидаты не найдены в реестре.")]})
    campaign = _intake_campaign(actor, school)
    # The school's current version (adapted in the builder) for the links made now.
    current = {role: intake_questionnaire(school, role) for role in INTAKE_KINDS}
    result = SendResult(campaign_id=campaign.pk)
    wanted = []
    for person in people:
        if not can_process(person):
            result.refused.append(
                _("%(name)s: нет действующего согласия на обработку данных")
                % {"name": person.short_name}
            )
            continue
        roles = []
        if person.is_mentor:
            roles.append((InvitationRole.MENTOR, current[InvitationRole.MENTOR]))
        if person.is_mentee:
            roles.append((InvitationRole.MENTEE, current[InvitationRole.MENTEE]))
        if not roles:
            result.refused.append(
                _("%(name)s: не отмечен(а) ни наставником, ни наставляемым")
                % {"name": person.short_name}
            )
        wanted += [(person, role, q) for role, q in roles if q is not None]
    links_create(campaign=campaign, school=school, wanted=wanted, result=result)
    audit.record(
        actor=actor,
        organization=school,
        action="intake.send",
        obj=campaign,
        created=result.created,
        restored=result.restored,
        by_email=result.by_email,
        refused=len(result.refused),
    )
    return result


# ---- review and acceptance ----------------------------------------------------------


def pending_reviews() -> Q:
    """Intake responses not yet taken into the registry, or changed after that."""
    return Q(campaign__purpose=Purpose.INTAKE) & (
        Q(accepted_at__isnull=True) | Q(updated_at__gt=F("accepted_at"))
    )


def answers_of(response: Response) -> IntakeAnswers:
    """The response's answers by question code, as the registry's service takes them."""
    values: dict[str, object] = {}
    for answer in Answer.objects.filter(response=response).select_related("question"):
        q = answer.question
        if q.kind == QuestionKind.MULTIPLE:
            values[q.code] = [q.options[i] for i in answer.choices or [] if 0 <= i < len(q.options)]
        elif q.kind == QuestionKind.SINGLE:
            index = answer.value
            values[q.code] = (
                q.options[index] if index is not None and 0 <= index < len(q.options) else ""
            )
        elif q.kind == QuestionKind.YES_NO:
            values[q.code] = answer.value == 1
        elif answer.value is not None:
            values[q.code] = str(answer.value)
        else:
            values[q.code] = answer.text
    return IntakeAnswers.from_codes(values, filled_on=timezone.localdate(response.updated_at))


@transaction.atomic
def intake_accept(*, actor: User, response: Response) -> Response:
    """Take one intake response into the registry (needs, competences, capacity …)."""
    lock(response)
    response.refresh_from_db(fields=["accepted_at", "updated_at"])
    if response.campaign.purpose != Purpose.INTAKE:
        raise ValidationError(_("Это не анкета кандидата."))
    if response.accepted_at is not None and response.updated_at <= response.accepted_at:
        raise Conflict(_("Эта анкета уже принята в реестр."))
    participant = Participant.objects.get(pk=response.participant_id)
    if not can_process(participant):
        raise ValidationError(
            _("Согласие на обработку данных не действует: анкету принять нельзя.")
        )
    intake_apply(
        actor=actor, participant=participant, role=response.role, answers=answers_of(response)
    )
    response.accepted_at = timezone.now()
    response.accepted_by = actor
    response.save(update_fields=["accepted_at", "accepted_by"])
    return response


def intake_accept_all(*, actor: User) -> tuple[int, list[str]]:
    """Accept every pending response of the school in scope; each in its own transaction,
    so one refused answer (consent withdrawn since) leaves the others accepted."""
    accepted, refused = 0, []
    rows = list(
        Response.objects.filter(pending_reviews())
        .select_related("campaign", "participant")
        .order_by("submitted_at", "pk")
    )
    for response in rows:
        try:
            intake_accept(actor=actor, response=response)
        except ValidationError as error:
            refused.append(f"{response.participant.short_name}: {' '.join(error.messages)}")
        else:
            accepted += 1
    return accepted, refused
