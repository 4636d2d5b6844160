"""Under /o/<org_slug>/indicators/ (mentorship.urls.tenant_patterns), in the namespace
`indicators`."""

from django.urls import path

from monitoring.indicators.views import dashboard, inputs, regional, results

app_name = "indicators"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("contingent/", inputs.contingent, name="contingent"),
    path("targets/", inputs.targets, name="targets"),
    path("export.xlsx", dashboard.export, name="export"),
    path("report/", dashboard.report, name="report"),
    path("rollup/", regional.rollup, name="rollup"),
    path("federal-form.xlsx", regional.federal_form, name="federal_form"),
    path(
        "campaigns/<int:campaign_id>/results/",
        results.campaign_results,
        name="campaign_results",
    ),
    path(
        "school-campaigns/<int:school_campaign_id>/results/",
        results.school_campaign_results,
        name="school_campaign_results",
    ),
]
