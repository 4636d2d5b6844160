"""What every registry page shares: who may read and write, and how rows are fetched."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import Http404
from django.utils.translation import gettext as _

from mentorship.models import EDUCATIONAL_KINDS, Role
from mentorship.tenancy.access import get_in_tenant_or_404
from registry.models import Participant
from registry.selectors import consent as consent_selectors
from registry.selectors import people as selectors

SCHOOL_KINDS = tuple(EDUCATIONAL_KINDS)
# Pupils' names stay in the school: municipal and regional roles get counts elsewhere,
# never these pages (they hold a role in the school through their subtree: 403 here).
READERS = (Role.CURATOR, Role.SCHOOL_VIEWER)
WRITERS = (Role.CURATOR,)


def can_write(request) -> bool:
    return request.tenant.has_any(*WRITERS)


def participant_or_404(participant_id: int) -> Participant:
    return get_in_tenant_or_404(Participant, pk=participant_id)


def living_participant_or_404(participant_id: int) -> Participant:
    """A record whose personal data still exist; a depersonalised one has nothing to edit."""
    participant = participant_or_404(participant_id)
    if participant.depersonalized_at:
        raise Http404(_("Данные участника обезличены."))
    return participant


def decorate(participants: Iterable[Participant]) -> None:
    """Attach what the row prints (badge, class or position) without touching the DB."""
    for participant in participants:
        participant.badge = consent_selectors.consent_badge(participant.consent_state)
        participant.place = selectors.position_label(participant)
