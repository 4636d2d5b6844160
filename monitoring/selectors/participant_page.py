"""The participant's page (registry/participant_page.py): questionnaires waiting for them."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from monitoring.models import Invitation
from registry.models import Participant
from registry.participant_page import ParticipantSection, SectionItem


def waiting_questionnaires(participant: Participant) -> ParticipantSection:
    """This person's unanswered invitations of the campaigns running today (one query)."""
    today = timezone.localdate()
    invitations = (
        Invitation.objects.filter(
            participant=participant,
            responded_at__isnull=True,
            revoked_at__isnull=True,
            campaign__starts_on__lte=today,
            campaign__ends_on__gte=today,
            campaign__closed_at__isnull=True,
        )
        .select_related("campaign", "questionnaire")
        .order_by("campaign__ends_on", "pk")
    )
    return ParticipantSection(
        key="questionnaires",
        title=_("Анкеты, которые ждут ответа"),
        items=[
            SectionItem(
                title=inv.questionnaire.title,
                detail=_("Ответить до %(d)s") % {"d": f"{inv.campaign.ends_on:%d.%m.%Y}"},
                url=reverse("monitoring_public:answer", kwargs={"token": inv.token}),
                action=_("Ответить"),
            )
            for inv in invitations
        ],
        empty=_("Анкет, ожидающих ответа, нет."),
    )
