"""GET /api/v1/o/<slug>/indicators/?year=YYYY: the dashboard of the organisation's level
as JSON, with the same published figures as the page (hidden ones are null with their
display text), for the same rule (`indicators.dashboard`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from mentorship.api import TenantViewSet
from monitoring.indicators import access
from monitoring.indicators.api.serializers import dashboard_data
from monitoring.indicators.forms.inputs import YearForm
from monitoring.indicators.selectors.dashboards import unscoped_dashboard


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
        board = unscoped_dashboard(tenant.organization, year, exact=access.EXACT.permits(tenant))
        return Response(dashboard_data(board))
