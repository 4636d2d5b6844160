"""The region over its municipalities in the API (issue 17), by the same rules as the pages:

- `GET  …/o/<municipality>/indicators/submission/?year=` — the year as submitted (frozen)
  beside the live figures, the status and the region's comment;
- `POST …/o/<municipality>/indicators/submission/` — «сдать отчёт» (`{"year": 2026}`);
- `POST …/o/<municipality>/indicators/submission/return/` — the region returns it
  (`{"year": 2026, "comment": "…"}`);
- `GET  …/o/<region>/indicators/submissions/?year=` — every municipality and its state.

Figures are published as on the pages: counts and shares, small ones hidden.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from mentorship.api import TenantViewSet
from mentorship.tenancy.access import get_in_tenant_or_404
from monitoring.indicators import access
from monitoring.indicators.api.serializers import figure_data
from monitoring.indicators.forms.inputs import YearForm
from monitoring.indicators.models import YearSubmission
from monitoring.indicators.selectors import oversight as selectors
from monitoring.indicators.services import oversight as services
from monitoring.indicators.services.oversight import MAX_TEXT

YEAR_PARAMETER = OpenApiParameter("year", int, description="Год; без него — текущий")


class YearSerializer(serializers.Serializer):
    year = serializers.IntegerField()


class ReturnSerializer(YearSerializer):
    comment = serializers.CharField(max_length=MAX_TEXT)


def _submission_data(municipality, year: int) -> dict[str, Any]:
    found = YearSubmission.objects.filter(year=year).first()
    frozen = selectors.YearFigures.from_json(found.figures) if found else None
    live = selectors.unscoped_year_figures(municipality, year)
    return {
        "organization": {"slug": municipality.slug, "name": municipality.short_name},
        "year": year,
        "status": found.status if found else None,
        "submitted_at": found.submitted_at.isoformat() if found else None,
        "times_submitted": found.times_submitted if found else 0,
        "returned_at": found.returned_at.isoformat() if found and found.returned_at else None,
        "return_comment": found.return_comment if found else "",
        "indicators": [
            {
                "code": row.code,
                "label": row.label,
                "submitted": figure_data(row.frozen) if row.frozen else None,
                "live": figure_data(row.live),
                "changed": row.changed,
            }
            for row in selectors.compare(frozen, live)
        ],
    }


class SubmissionViewSet(TenantViewSet):
    schema_tags = ["indicators"]
    action_summaries = {
        "list": _("Отчёт муниципалитета в регион за год: сданные показатели и текущие"),
        "submit": _("Сдать отчёт за год в регион: показатели фиксируются"),
        "send_back": _("Вернуть сданный отчёт муниципалитету на доработку с комментарием"),
    }
    action_roles = {
        "list": access.SUBMISSION,
        "submit": access.SUBMIT,
        "send_back": access.SUBMISSION_RETURN,
    }
    input_serializers = {"submit": YearSerializer, "send_back": ReturnSerializer}
    serializer_class = YearSerializer
    pagination_class = None

    @extend_schema(parameters=[YEAR_PARAMETER], responses=OpenApiTypes.OBJECT)
    def list(self, request: Request, org_slug: str) -> Response:
        year = YearForm.year_of(request.query_params)
        return Response(_submission_data(self.tenant.organization, year))

    @extend_schema(request=YearSerializer, responses={201: OpenApiTypes.OBJECT})
    def submit(self, request: Request, org_slug: str) -> Response:
        year = YearForm.year_of(self.valid_input(request))
        municipality = self.tenant.organization
        services.submission_submit(actor=request.user, municipality=municipality, year=year)
        return Response(_submission_data(municipality, year), status=status.HTTP_201_CREATED)

    @extend_schema(request=ReturnSerializer, responses=OpenApiTypes.OBJECT)
    def send_back(self, request: Request, org_slug: str) -> Response:
        data = self.valid_input(request)
        year = YearForm.year_of(data)
        found = get_in_tenant_or_404(YearSubmission, year=year)
        services.submission_return(actor=request.user, submission=found, comment=data["comment"])
        return Response(_submission_data(self.tenant.organization, year))


class SubmissionsViewSet(TenantViewSet):
    schema_tags = ["indicators"]
    action_summaries = {"list": _("Сдача отчётов муниципалитетами региона за год")}
    action_roles = {"list": access.SUBMISSIONS}
    serializer_class = YearSerializer
    pagination_class = None

    @extend_schema(parameters=[YEAR_PARAMETER], responses=OpenApiTypes.OBJECT)
    def list(self, request: Request, org_slug: str) -> Response:
        year = YearForm.year_of(request.query_params)
        overview = selectors.unscoped_submissions_overview(self.tenant.organization, year)
        return Response(
            {
                "year": year,
                "submitted": overview.submitted,
                "returned": overview.returned,
                "missing": overview.missing,
                "municipalities": [
                    {
                        "slug": line.municipality.slug,
                        "name": line.municipality.short_name,
                        "status": line.submission.status if line.submission else None,
                        "submitted_at": line.submission.submitted_at.isoformat()
                        if line.submission
                        else None,
                        "awaiting_answer": line.awaiting_answer,
                    }
                    for line in overview.lines
                ],
            }
        )
