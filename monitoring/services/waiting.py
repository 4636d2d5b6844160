"""«A questionnaire is waiting for you»: a letter for the invitations monitoring did not
mail itself (a printed QR sheet, or a person without their own address) when the person,
or a minor's consenting parent, can be written to (issue 15, item 5).

Through the participants' letter ledger (registry/services/letters.py): one letter per
invitation, ever; never to a person whose data may not be processed (a withdrawn consent
also revokes the invitation); a minor's letter goes to the parent, not to the child.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from mentorship.tenancy.scoping import unscoped_reads
from monitoring.models import Channel, Invitation
from monitoring.services.mailing import public_link
from registry.models import Consent
from registry.services.consent import can_process
from registry.services.letters import Letter, LetterReport, deliver
from registry.services.links import participant_address

TOPIC = "monitoring.invitation"
KIND = "questionnaire"


def unscoped_waiting(day: dt.date) -> list[Invitation]:
    """Every school's unanswered, unmailed invitations of the campaigns open on `day`:
    a cross-tenant scan by design, two queries whatever the number of schools."""
    with unscoped_reads():
        return list(
            Invitation.objects.filter(
                # What monitoring's own letters do not reach: a printed sheet, or a
                # person without an address of their own (a pupil: the parent's).
                Q(channel=Channel.PRINT) | Q(participant__email=""),
                campaign__starts_on__lte=day,
                campaign__ends_on__gte=day,
                campaign__closed_at__isnull=True,
                sent_at__isnull=True,
                responded_at__isnull=True,
                revoked_at__isnull=True,
                organization__closed_at__isnull=True,
            )
            .select_related("campaign", "questionnaire", "participant", "organization")
            .prefetch_related(
                Prefetch("participant__consents", queryset=Consent.objects.order_by("-given_on"))
            )
            .order_by("pk")
        )


def waiting_letters(day: dt.date) -> list[Letter]:
    letters = []
    for invitation in unscoped_waiting(day):
        participant = invitation.participant
        if not can_process(participant):
            continue
        address = participant_address(participant)
        if not address:
            continue
        context = {
            "name": " ".join(p for p in (participant.first_name, participant.patronymic) if p),
            "minor": participant.is_minor(),
            "school": invitation.organization.short_name,
            "questionnaire": invitation.questionnaire.title,
            "link": public_link(invitation.token),
            "ends_on": invitation.campaign.ends_on.strftime("%d.%m.%Y"),
        }
        letters.append(
            Letter(
                participant=participant,
                topic=TOPIC,
                object_id=invitation.pk,
                day=invitation.campaign.starts_on,
                kind=KIND,
                subject=_("Анкета ждёт ответа: «%(q)s»") % {"q": invitation.questionnaire.title},
                body=render_to_string("monitoring/email/waiting.txt", context),
                address=address,
            )
        )
    return letters


def send_waiting_letters(*, day: dt.date) -> LetterReport:
    """Claim, send and confirm the day's letters. Call outside any transaction."""
    with unscoped_reads():
        letters = waiting_letters(day)
    return deliver(letters, stale_topics=[TOPIC])
