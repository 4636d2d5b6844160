"""Under /api/v1/o/<org_slug>/indicators/ (mentorship.urls.api_tenant_patterns), in the
namespace `indicators_api`."""

from django.urls import path

from monitoring.indicators.api.viewsets import IndicatorsViewSet

app_name = "indicators_api"

urlpatterns = [
    path("", IndicatorsViewSet.as_view({"get": "list"}), name="dashboard"),
]
