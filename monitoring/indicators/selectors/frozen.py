"""A municipality's year figures as submitted to the region (issue 17, item 4): the
stored snapshot of a `YearSubmission`, read back as true values.

Here, below `dashboards` and `oversight`, so that the region's dashboard, its roll-up and
its report can put the submitted figures in a submitted municipality's row (live ones
beside them) without an import cycle. Counts only, never a person.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mentorship.models import Organization
from mentorship.tenancy.scoping import unscoped_reads
from monitoring.indicators.models import SubmissionStatus, YearSubmission
from monitoring.indicators.selectors.values import Value


@dataclass(frozen=True)
class YearFigures:
    """A municipality's own totals for a year: what is submitted and frozen."""

    values: dict[str, Value]
    participants: int
    schools: int
    introduced: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "values": {
                code: {
                    "numerator": v.numerator,
                    "denominator": v.denominator,
                    "applicable": v.applicable,
                    "respondents": v.respondents,
                }
                for code, v in self.values.items()
            },
            "participants": self.participants,
            "schools": self.schools,
            "introduced": self.introduced,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> YearFigures:
        values = {
            code: Value(
                numerator=int(v.get("numerator") or 0),
                denominator=v.get("denominator"),
                applicable=bool(v.get("applicable", True)),
                respondents=int(v.get("respondents") or 0),
            )
            for code, v in data.get("values", {}).items()
        }
        return cls(
            values=values,
            participants=int(data.get("participants") or 0),
            schools=int(data.get("schools") or 0),
            introduced=bool(data.get("introduced")),
        )


@dataclass(frozen=True)
class SubmittedFigures:
    """A municipality's frozen figures for a year, with when they were submitted."""

    municipality: Organization
    year: int
    submitted_at: datetime
    figures: YearFigures


def unscoped_submitted(
    municipalities: Iterable[Organization], years: Sequence[int]
) -> dict[tuple[int, int], SubmittedFigures]:
    """{(municipality id, year): its frozen figures} for each of these municipalities that
    has submitted one of these years and not had it returned (a returned submission
    counts again only once submitted again). One query.

    A named cross-tenant read: the caller passes the municipalities it may read (the
    region's own), and gets their counts.
    """
    by_id = {m.pk: m for m in municipalities}
    if not by_id or not years:
        return {}
    with unscoped_reads():
        rows = YearSubmission.objects.filter(
            organization_id__in=list(by_id),
            year__in=list(years),
            status=SubmissionStatus.SUBMITTED,
        )
        # No ordering: the model's default one would join the organisations.
        rows = rows.order_by().values_list("organization_id", "year", "submitted_at", "figures")
        return {
            (org_id, year): SubmittedFigures(
                municipality=by_id[org_id],
                year=year,
                submitted_at=submitted_at,
                figures=YearFigures.from_json(figures or {}),
            )
            for org_id, year, submitted_at, figures in rows
        }
