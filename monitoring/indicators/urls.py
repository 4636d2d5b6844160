"""Under /o/<org_slug>/indicators/ (mentorship.urls.tenant_patterns), in the namespace
`indicators`."""

from django.urls import path

from monitoring.indicators.views import dashboard, inputs, oversight, regional, results

app_name = "indicators"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("contingent/", inputs.contingent, name="contingent"),
    path("targets/", inputs.targets, name="targets"),
    path("export.xlsx", dashboard.export, name="export"),
    path("report/", dashboard.report, name="report"),
    # The region over its municipalities (issue 17).
    path("submission/", oversight.submission, name="submission"),
    path("submission/submit/", oversight.submission_submit, name="submission_submit"),
    path("submission/return/", oversight.submission_return, name="submission_return"),
    path("submissions/", oversight.submissions, name="submissions"),
    path("reviews/", oversight.reviews, name="reviews"),
    path("reviews/<int:review_id>/", oversight.review, name="review"),
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
