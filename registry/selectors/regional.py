"""The region's programme bank and mentor base, built from what its municipalities hold.

Named cross-tenant reads over the region's own tree (`unscoped_`):

- `unscoped_programme_bank`: the schools' programmes (a programme names no one: its
  title, form, operator, who mentors whom in words, period and goals), for the region
  to collect and pass on good ones;
- `unscoped_mentor_base_counts`: the adult mentors who consented to their municipal
  mentor base, as counts per municipality and category — never a person. The consent
  was given to the municipal base: passing names further up needs its own purpose.

A fixed number of queries whatever the size of the region.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from mentorship.models import EDUCATIONAL_KINDS, Organization, OrganizationKind
from mentorship.tenancy.scoping import unscoped_reads
from registry.models import ConsentState, Participant, Programme
from registry.selectors.municipal import (
    MENTOR_BASE_CATEGORIES,
    SUPPRESSION_THRESHOLD,
    Cell,
    Total,
    _adult_cutoff,
    suppress,
)


def _in_region(region: Organization, prefix: str = "organization__") -> Q:
    return Q(
        **{
            f"{prefix}parent__parent": region,
            f"{prefix}parent__kind": OrganizationKind.MUNICIPALITY,
            f"{prefix}kind__in": EDUCATIONAL_KINDS,
        }
    )


def unscoped_programme_bank(
    region: Organization, *, municipality_id: int | None = None, form_id: int | None = None
) -> QuerySet[Programme]:
    """Programmes of the region's schools, open ones first, with the school and its
    municipality (a lazy query: the page paginates it)."""
    query = _in_region(region)
    if municipality_id is not None:
        query &= Q(organization__parent_id=municipality_id)
    if form_id is not None:
        query &= Q(form_id=form_id)
    with unscoped_reads():
        return (
            Programme.objects.filter(query)
            .select_related("organization__parent", "form")
            .order_by("organization__parent__short_name", "organization__short_name", "name", "pk")
        )


@dataclass
class BaseRow:
    municipality: Organization
    cells: list[Cell] = field(default_factory=list)
    # Over the shown cells only (`partial` when some are hidden): a full total beside a
    # single hidden cell would give it back.
    total: Total = field(default_factory=lambda: Total(0, False))


def unscoped_mentor_base_counts(region: Organization) -> tuple[list[BaseRow], list[str]]:
    """Adult mentors in the municipal bases per municipality and category; counts under
    5 hidden. The filters are those of `municipal.unscoped_mentor_base`."""
    today = timezone.localdate()
    municipalities = list(
        Organization.objects.filter(parent=region, kind=OrganizationKind.MUNICIPALITY).order_by(
            "short_name", "pk"
        )
    )
    with unscoped_reads():
        rows = (
            Participant.objects.filter(
                _in_region(region),
                in_mentor_base=True,
                is_mentor=True,
                consent_state=ConsentState.VALID,
                depersonalized_at__isnull=True,
                category__in=MENTOR_BASE_CATEGORIES,
            )
            .filter(Q(consent_valid_until__isnull=True) | Q(consent_valid_until__gte=today))
            .exclude(birth_date__gt=_adult_cutoff(today))
            .exclude(category="college_student", birth_date__isnull=True)
            .values("organization__parent_id", "category")
            .annotate(n=Count("pk"))
            .order_by()
        )
        counts: dict[tuple[int, str], int] = defaultdict(int)
        for r in rows:
            counts[(r["organization__parent_id"], r["category"])] += r["n"]
    result = []
    for m in municipalities:
        values = [counts.get((m.pk, c.value), 0) for c in MENTOR_BASE_CATEGORIES]
        cells = [suppress(v) for v in values]
        shown = sum(c.value for c in cells if c.value is not None)
        result.append(BaseRow(m, cells, Total(shown, any(c.suppressed for c in cells))))
    labels = [str(c.label) for c in MENTOR_BASE_CATEGORIES]
    return result, labels


__all__ = [
    "SUPPRESSION_THRESHOLD",
    "BaseRow",
    "unscoped_mentor_base_counts",
    "unscoped_programme_bank",
]
