"""The dashboard as JSON: the same published figures as the page (hidden ones are null
with their display text). Plain functions over the read objects: the shape is fixed and
read-only, so no DRF serializer classes are needed."""

from __future__ import annotations

from typing import Any

from monitoring.indicators.selectors.dashboards import Dashboard
from monitoring.indicators.selectors.figures import Figure


def figure_data(figure: Figure) -> dict[str, Any]:
    share = figure.share
    return {
        "state": figure.state,
        "numerator": figure.numerator,
        "numerator_display": figure.numerator_display,
        "denominator": figure.denominator,
        "share": float(share) if share is not None else None,
        "share_display": figure.share_display,
        "hidden": figure.hidden,
    }


def dashboard_data(board: Dashboard) -> dict[str, Any]:
    return {
        "organization": {"slug": board.organization.slug, "name": board.organization.short_name},
        "level": board.level,
        "year": board.year,
        "exact": board.exact,
        "indicators": [
            {
                "code": s.definition.code,
                "label": str(s.definition.label),
                **figure_data(s.figure),
                "target": float(s.target.percent) if s.target else None,
                "target_year": s.target.year if s.target else None,
                "status": s.status,
                "trend": [{"year": y, "share": figure_data(f)["share"]} for y, f in s.trend],
            }
            for s in board.summaries
        ],
        "units": [
            {
                "organization": {"slug": r.organization.slug, "name": r.organization.short_name},
                "participants": r.participants.numerator_display,
                "has_contingent": r.has_contingent,
                "introduced": r.introduced,
                "indicators": {d.code: figure_data(f) for d, f in r.labelled_cells},
                # A municipality that submitted the year: its figures above are as
                # submitted; the live ones that differ are here.
                "submitted_at": r.submitted_at.isoformat() if r.submitted_at else None,
                "live": {code: figure_data(f) for code, f in r.live.items()},
            }
            for r in board.rows
        ],
    }
