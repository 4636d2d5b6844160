"""Reads of a school's programmes: the list with its pair counts, a programme's pairs by
status and its orders, the staff who may be responsible for one. Each is one query,
whatever the number of rows."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet

from mentorship.models import Document, Organization, User
from registry.models import OPEN_STATUSES, Pair, PairStatus, Programme


def school_staff(organization: Organization) -> QuerySet[User]:
    """People with a role at the school itself (the curator, the school's viewers): the
    ones a programme may name as responsible. Upper levels' staff are not the school's."""
    return (
        User.objects.filter(is_active=True, memberships__organization=organization)
        .distinct()
        .order_by("last_name", "first_name", "patronymic", "pk")
    )


def programme_rows() -> QuerySet[Programme]:
    """The school's programmes, open ones first, with their pairs counted by stage."""
    return (
        Programme.objects.select_related("form", "responsible")
        .annotate(
            proposed_count=Count("pairs", filter=Q(pairs__status=PairStatus.PROPOSED)),
            working_count=Count(
                "pairs", filter=Q(pairs__status__in=(PairStatus.APPROVED, PairStatus.ACTIVE))
            ),
        )
        .order_by(F("closed_at").asc(nulls_first=True), "name", "pk")
    )


@dataclass
class ProgrammePairs:
    """A programme's pairs as its page shows them: counts per status, the proposed ones
    (what the order on pairs would approve) and the orders that approved its pairs."""

    counts: dict[str, int]
    proposed_ids: list[int] = field(default_factory=list)
    orders: list[Document] = field(default_factory=list)

    def count(self, status: str) -> int:
        return self.counts.get(status, 0)

    @property
    def proposed(self) -> int:
        return self.count(PairStatus.PROPOSED)

    @property
    def approved(self) -> int:
        return self.count(PairStatus.APPROVED)

    @property
    def active(self) -> int:
        return self.count(PairStatus.ACTIVE)

    @property
    def suspended(self) -> int:
        return self.count(PairStatus.SUSPENDED)

    @property
    def finished(self) -> int:
        return sum(
            self.count(s)
            for s in (PairStatus.COMPLETED, PairStatus.ENDED_EARLY, PairStatus.REJECTED)
        )

    @property
    def open(self) -> int:
        return sum(self.count(s) for s in OPEN_STATUSES)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def programme_pairs(programme: Programme) -> ProgrammePairs:
    """Three queries: the counts, the proposed ids, the orders."""
    counts = dict(
        Pair.objects.filter(programme=programme)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    proposed_ids = list(
        Pair.objects.filter(programme=programme, status=PairStatus.PROPOSED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    orders = list(
        Document.objects.filter(
            pk__in=Pair.objects.filter(programme=programme, order__isnull=False).values("order")
        ).order_by("-date", "-pk")
    )
    return ProgrammePairs(counts=counts, proposed_ids=proposed_ids, orders=orders)
