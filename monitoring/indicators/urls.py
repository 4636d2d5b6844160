"""Under /o/<org_slug>/indicators/ (included in mentorship.urls.tenant_patterns)."""

from django.urls import path

from monitoring.indicators import results_views, views

urlpatterns = [
    path("", views.dashboard, name="indicators"),
    path("contingent/", views.contingent, name="indicators_contingent"),
    path("targets/", views.targets, name="indicators_targets"),
    path("export.xlsx", views.export, name="indicators_export"),
    path("report/", views.report, name="indicators_report"),
    path(
        "campaigns/<int:campaign_id>/results/",
        results_views.campaign_results,
        name="campaign_results",
    ),
    path(
        "school-campaigns/<int:school_campaign_id>/results/",
        results_views.school_campaign_results,
        name="school_campaign_results",
    ),
]
