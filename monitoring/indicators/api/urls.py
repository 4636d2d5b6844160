"""Under /api/v1/o/<org_slug>/indicators/ (mentorship.urls.api_tenant_patterns), in the
namespace `indicators_api`."""

from django.urls import path

from monitoring.indicators.api.oversight import SubmissionsViewSet, SubmissionViewSet
from monitoring.indicators.api.viewsets import IndicatorsViewSet

app_name = "indicators_api"

urlpatterns = [
    path("", IndicatorsViewSet.as_view({"get": "list"}), name="dashboard"),
    # The region over its municipalities (issue 17).
    path(
        "submission/",
        SubmissionViewSet.as_view({"get": "list", "post": "submit"}),
        name="submission",
    ),
    path(
        "submission/return/",
        SubmissionViewSet.as_view({"post": "send_back"}),
        name="submission_return",
    ),
    path("submissions/", SubmissionsViewSet.as_view({"get": "list"}), name="submissions"),
]
