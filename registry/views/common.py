"""What the registry's pages share: fetching a row of the tenant or 404, and row labels."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from mentorship.tenancy.access import get_in_tenant_or_404
from registry.models import Pair, Participant, Programme
from registry.selectors import pairs as pair_selectors
from registry.selectors.consent import consent_badge
from registry.selectors.people import position_label
from registry.services.programmes import check_open


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
    return get_in_tenant_or_404(
        Programme.objects.select_related("form", "responsible"), pk=programme_id
    )


def closed_programme_redirect(request: HttpRequest, programme: Programme) -> HttpResponse | None:
    """A closed programme's matching and new-pair pages send the curator back to the
    programme with the service's reason; None when the programme is open."""
    try:
        check_open(programme)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(
            "registry:programme_detail",
            org_slug=request.tenant.organization.slug,
            programme_id=programme.pk,
        )
    return None


def pair_or_404(pair_id: int) -> Pair:
    return get_in_tenant_or_404(Pair.objects.select_related("programme", "form"), pk=pair_id)


def full_pair_or_404(pair_id: int) -> Pair:
    pair = get_in_tenant_or_404(pair_selectors.pair_for_page(Pair.objects.all()), pk=pair_id)
    pair_selectors.decorate([pair])
    return pair


def error_messages(error: ValidationError) -> list[str]:
    return list(getattr(error, "messages", [str(error)]))
