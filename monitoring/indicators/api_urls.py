"""Under /api/v1/o/<org_slug>/indicators/ (mentorship.urls.api_tenant_patterns)."""

from django.urls import path

from monitoring.indicators.api import IndicatorsViewSet

urlpatterns = [
    path("", IndicatorsViewSet.as_view({"get": "list"}), name="api_indicators"),
]
