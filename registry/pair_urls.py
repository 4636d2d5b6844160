"""Pages of pairs and groups under /o/<org_slug>/pairs/: matching, the lifecycle, meetings,
development plans. URL kwargs are `pair_id`, `programme_id` and `plan_id` only: the
permission matrix knows how to make a foreign one of each."""

from django.urls import path

from registry.pairs_web import detail, lists, matching, records

urlpatterns = [
    path("", lists.pair_list, name="pair_list"),
    path("stale/", lists.pair_stale_panel, name="pair_stale_panel"),
    path(
        "programmes/<int:programme_id>/matching/",
        matching.programme_matching,
        name="programme_matching",
    ),
    path(
        "programmes/<int:programme_id>/matching/options/",
        matching.programme_matching_options,
        name="programme_matching_options",
    ),
    path("programmes/<int:programme_id>/new/", detail.pair_create, name="pair_create"),
    path("<int:pair_id>/", detail.pair_detail, name="pair_detail"),
    path("<int:pair_id>/edit/", detail.pair_edit, name="pair_edit"),
    path("<int:pair_id>/status/", detail.pair_status, name="pair_status"),
    path("<int:pair_id>/resume/", detail.pair_resume_view, name="pair_resume"),
    path("<int:pair_id>/meetings/", records.meeting_add, name="meeting_add"),
    path("<int:pair_id>/plans/", records.plan_add, name="plan_add"),
    path("plans/<int:plan_id>/", records.plan_detail, name="plan_detail"),
    path("plans/<int:plan_id>/tasks/", records.plan_task, name="plan_task"),
]
