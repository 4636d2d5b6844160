"""GET /api/v1/o/<slug>/indicators/?year=YYYY: the dashboard of the organisation's level
as JSON, with the same published figures as the page (hidden ones are null with their
display text), for the same roles."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from mentorship.api import TenantViewSet
from mentorship.tenancy.rules import MUNICIPALITY, SCHOOL, level_of
from monitoring.indicators import access
from monitoring.indicators.dashboards import (
    Dashboard,
    school_dashboard,
    unscoped_municipal_dashboard,
    unscoped_regional_dashboard,
)
from monitoring.indicators.figures import Figure
from monitoring.indicators.forms import YearForm


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
            }
            for r in board.rows
        ],
    }


class IndicatorsViewSet(TenantViewSet):
    schema_tags = ["indicators"]
    action_summaries = {
        "list": _("Показатели целевой модели за год: доли против целей, динамика, по единицам")
    }
    action_roles = {"list": access.DASHBOARD}
    pagination_class = None

    @extend_schema(
        parameters=[OpenApiParameter("year", int, description="Год; без него — текущий")],
        responses=OpenApiTypes.OBJECT,
    )
    def list(self, request: Request, org_slug: str) -> Response:
        tenant = self.tenant
        year = YearForm.year_of(request.query_params)
        level = level_of(tenant.organization)
        if level == SCHOOL:
            board = school_dashboard(
                tenant.organization, year, exact=tenant.has_any(*access.EXACT_ROLES)
            )
        elif level == MUNICIPALITY:
            board = unscoped_municipal_dashboard(tenant.organization, year)
        else:
            board = unscoped_regional_dashboard(tenant.organization, year)
        return Response(dashboard_data(board))
