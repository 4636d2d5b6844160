"""What every pair page shares: who reads, who writes, how a pair is fetched."""

from __future__ import annotations

from django.http import HttpRequest

from mentorship.models import EDUCATIONAL_KINDS, Role
from mentorship.tenancy.access import get_in_tenant_or_404
from registry.models import Pair, Programme
from registry.selectors import pairs as pair_selectors

SCHOOL_KINDS = tuple(EDUCATIONAL_KINDS)
# Pairs name pupils: they stay in the school. Municipal and regional roles hold a role
# here through their subtree and get 403; their view of pairs is aggregates elsewhere.
READERS = (Role.CURATOR, Role.SCHOOL_VIEWER)
WRITERS = (Role.CURATOR,)


def can_write(request: HttpRequest) -> bool:
    return request.tenant.has_any(*WRITERS)


def pair_or_404(pair_id: int) -> Pair:
    return get_in_tenant_or_404(Pair.objects.select_related("programme", "form"), pk=pair_id)


def full_pair_or_404(pair_id: int) -> Pair:
    pair = get_in_tenant_or_404(pair_selectors.pair_for_page(Pair.objects.all()), pk=pair_id)
    pair_selectors.decorate([pair])
    return pair


def programme_or_404(programme_id: int) -> Programme:
    return get_in_tenant_or_404(Programme.objects.select_related("form"), pk=programme_id)


def error_messages(error) -> list[str]:
    return list(getattr(error, "messages", [str(error)]))
