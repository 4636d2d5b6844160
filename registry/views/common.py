"""What the registry's pages share: fetching a row of the tenant or 404, and row labels."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from mentorship.tenancy.access import get_in_tenant_or_404
from registry.models import Pair, Participant, Programme
from registry.selectors import pairs as pair_selectors
from registry.selectors.consent import consent_badge
from registry.selectors.people import position_label


def participant_or_404(participant_id: int) -> Participant:
    return get_in_tenant_or_404(Participant, pk=participant_id)


def living_participant_or_404(participant_id: int) -> Participant:
    """A record whose personal data still exist; a depersonalised one has nothing to edit."""
    participant = participant_or_404(participant_id)
    if participant.depersonalized_at:
        raise Http404(_("Данные участника обезличены."))
    return participant


def decorate_people(participants: Iterable[Participant]) -> None:
    """Attach what the row prints (badge, class or position) without touching the DB."""
    for participant in participants:
        participant.badge = consent_badge(participant.consent_state)
        participant.place = position_label(participant)


def programme_or_404(programme_id: int) -> Programme:
    return get_in_tenant_or_404(Programme.objects.select_related("form"), pk=programme_id)


def pair_or_404(pair_id: int) -> Pair:
    return get_in_tenant_or_404(Pair.objects.select_related("programme", "form"), pk=pair_id)


def full_pair_or_404(pair_id: int) -> Pair:
    pair = get_in_tenant_or_404(pair_selectors.pair_for_page(Pair.objects.all()), pk=pair_id)
    pair_selectors.decorate([pair])
    return pair


def error_messages(error: ValidationError) -> list[str]:
    return list(getattr(error, "messages", [str(error)]))
