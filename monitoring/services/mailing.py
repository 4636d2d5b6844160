"""Letters with personal links: the invitation and the reminder to non-respondents."""

from __future__ import annotations

import logging

from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorship.http import absolute_url
from mentorship.models import Organization
from mentorship.tenancy.scoping import tenant_scope
from monitoring.models import Channel, Invitation, Purpose
from registry.models import Category, Consent, ConsentGiver, Participant

logger = logging.getLogger(__name__)

# Below this age a candidate's letters go to the parent who consented (issue 15: pupils
# under 14 are asked through their parents).
PARENT_MAIL_BELOW_AGE = 14
# Without a birth date, a pupil up to this grade is taken for under 14.
PARENT_MAIL_MAX_GRADE = 7


def asked_through_parent(participant: Participant) -> bool:
    age = participant.age()
    if age is not None:
        return age < PARENT_MAIL_BELOW_AGE
    return participant.category == Category.PUPIL and (
        participant.grade is None or participant.grade <= PARENT_MAIL_MAX_GRADE
    )


def parent_email(participant: Participant) -> str:
    """The e-mail the parent or guardian gave with the newest standing consent, or ""."""
    with tenant_scope(Organization(pk=participant.organization_id)):
        contacts = Consent.objects.filter(
            participant_id=participant.pk,
            given_by__in=(ConsentGiver.PARENT, ConsentGiver.GUARDIAN),
            withdrawn_on__isnull=True,
        ).values_list("giver_contact", flat=True)
        for contact in contacts:
            contact = (contact or "").strip()
            if "@" in contact and " " not in contact:
                return contact
    return ""


def address_for(participant: Participant, purpose: str) -> str:
    """Where a personal link is mailed: the person, or for a young candidate the parent.
    Monitoring campaigns keep mailing the person as before."""
    if purpose != Purpose.MONITORING and asked_through_parent(participant):
        return parent_email(participant)
    return participant.email


def recipient_of(invitation: Invitation) -> str:
    return address_for(invitation.participant, invitation.campaign.purpose)


def public_link(token: str) -> str:
    return absolute_url(reverse("monitoring_public:answer", kwargs={"token": token}))


def invitation_message(
    invitation: Invitation, *, reminder: bool = False, connection=None
) -> EmailMessage:
    campaign = invitation.campaign
    context = {
        "name": " ".join(
            p for p in (invitation.participant.first_name, invitation.participant.patronymic) if p
        ),
        "school": invitation.organization.short_name,
        "campaign": campaign.title,
        "questionnaire": invitation.questionnaire.title,
        "link": public_link(invitation.token),
        "ends_on": campaign.ends_on.strftime("%d.%m.%Y"),
        "reminder": reminder,
    }
    subject = (_("Напоминание: анкета «%(q)s»") if reminder else _("Анкета «%(q)s»")) % {
        "q": invitation.questionnaire.title
    }
    return EmailMessage(
        subject=subject,
        body=render_to_string("monitoring/email/invitation.txt", context),
        to=[recipient_of(invitation)],
        connection=connection,
    )


def invitations_send(campaign_id: int, school_id: int) -> int:
    """Mail the school's unsent e-mail invitations of a campaign; returns how many went.

    Each invitation is locked (skipping ones another run holds), sent and marked in its
    own short transaction, so a second run at the same time sends nothing twice and a
    failure leaves the rest for the next run.
    """
    school = Organization.objects.get(pk=school_id)
    sent = 0
    with tenant_scope(school):
        pending = list(
            Invitation.objects.filter(
                campaign_id=campaign_id,
                channel=Channel.EMAIL,
                sent_at__isnull=True,
                revoked_at__isnull=True,
                responded_at__isnull=True,
            ).values_list("pk", flat=True)
        )
        with get_connection() as connection:
            for pk in pending:
                with transaction.atomic():
                    invitation = (
                        Invitation.objects.select_for_update(skip_locked=True, of=("self",))
                        .select_related("campaign", "questionnaire", "participant", "organization")
                        .filter(pk=pk, sent_at__isnull=True)
                        .first()
                    )
                    if invitation is None or not recipient_of(invitation):
                        continue
                    try:
                        delivered = connection.send_messages(
                            [invitation_message(invitation, connection=connection)]
                        )
                    except Exception:
                        logger.exception("Invitation %s could not be mailed", pk)
                        continue
                    if delivered:
                        invitation.sent_at = timezone.now()
                        invitation.save(update_fields=["sent_at"])
                        sent += 1
    return sent
