from django.urls import include, path

from roadmaps import editing_views, views

urlpatterns = [
    path("roadmaps/", views.roadmap_list, name="roadmap_list"),
    path("roadmaps/import/", include("roadmaps.import_urls")),
    path("roadmaps/<int:roadmap_id>/", views.roadmap_detail, name="roadmap_detail"),
    path("roadmaps/<int:roadmap_id>/edit/", views.roadmap_edit, name="roadmap_edit"),
    path("roadmaps/<int:roadmap_id>/approve/", views.roadmap_approve, name="roadmap_approve"),
    path("roadmaps/<int:roadmap_id>/new-draft/", views.roadmap_new_draft, name="roadmap_new_draft"),
    path("roadmaps/<int:roadmap_id>/cascade/", views.roadmap_cascade, name="roadmap_cascade"),
    path("roadmaps/<int:roadmap_id>/matrix/", views.roadmap_matrix, name="roadmap_matrix"),
    path("roadmaps/<int:roadmap_id>/pdf/", views.roadmap_pdf, name="roadmap_pdf"),
    path("roadmaps/<int:roadmap_id>/sections/add/", editing_views.section_add, name="section_add"),
    path(
        "roadmaps/sections/<int:section_id>/", editing_views.section_action, name="section_action"
    ),
    path(
        "roadmaps/activities/<int:activity_id>/edit/",
        editing_views.activity_edit,
        name="activity_edit",
    ),
    path(
        "roadmaps/activities/<int:activity_id>/row/",
        editing_views.activity_row,
        name="activity_row",
    ),
    path(
        "roadmaps/activities/<int:activity_id>/action/",
        editing_views.activity_action,
        name="activity_action",
    ),
    path(
        "roadmaps/activities/<int:activity_id>/progress/",
        views.activity_progress,
        name="activity_progress",
    ),
    path(
        "roadmaps/activities/<int:activity_id>/evidence/",
        views.activity_evidence,
        name="activity_evidence",
    ),
    path("activities/", views.school_activities, name="school_activities"),
]
