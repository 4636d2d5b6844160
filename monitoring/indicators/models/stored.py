"""Per-school, per-year counts kept between requests: what the indicators are computed
from, stored so that a region's dashboard recomputes only the schools that changed.

A technical table, never shown as such: numbers only (no person, no name), written and
read by `monitoring.indicators.selectors.stored`, marked stale by
`monitoring.indicators.services.stored`. Each row belongs to its school (`organization`)
and is scoped like the answers it counts; the selectors read it across schools inside
`unscoped_reads()`, as they read the registry.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from mentorship.models import Organization
from mentorship.tenancy.scoping import TenantManager


class SchoolYearCounts(models.Model):
    """The three aggregate reads of one school for one year.

    - `people`: {metric: count} of `queries.PEOPLE_METRICS`, or {} when nobody of the
      school was in a counted pair that year; «pupils_without_birth_date» is kept only
      when the year was the last one of the read that made the row (the query counts
      it for the reporting year only);
    - `partners`: ids of the partner organisations whose representatives mentored there;
    - `satisfaction`: {indicator code: [answers 4–5, all answers, respondents]}.

    `computed_at` is when the reads that made the row began (None: a row claimed by a
    reader that is still computing it); `invalidated_at` when a write to the school's
    people, pairs or answers last made it stale. A row is used while it was computed
    after its last invalidation and is younger than `INDICATORS_STORED_MAX_AGE`.
    """

    # The unique (organization, year) index serves the lookups by school.
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    year = models.PositiveSmallIntegerField(_("Год"))
    people = models.JSONField(default=dict)
    partners = models.JSONField(default=list)
    satisfaction = models.JSONField(default=dict)
    computed_at = models.DateTimeField(null=True, blank=True)
    invalidated_at = models.DateTimeField(null=True, blank=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("Счётчики школы за год")
        verbose_name_plural = _("Счётчики школ по годам")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"], name="one_counts_row_a_school_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.year}"
