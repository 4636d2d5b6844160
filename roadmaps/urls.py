"""Roadmap pages under /o/<org_slug>/, namespace "roadmaps"."""

from django.urls import path

from roadmaps.views import editing, importing, progress, roadmaps

app_name = "roadmaps"

urlpatterns = [
    path("roadmaps/", roadmaps.roadmap_list, name="roadmap_list"),
    # Import from .docx/.xlsx: upload → preview → save. "deadline/" comes before the
    # token pattern, which would otherwise read it as a (bad) token.
    path("roadmaps/import/", importing.upload, name="roadmap_import"),
    path("roadmaps/import/deadline/", importing.deadline_meaning, name="roadmap_import_deadline"),
    path("roadmaps/import/<slug:token>/", importing.preview, name="roadmap_import_preview"),
    path("roadmaps/<int:roadmap_id>/", roadmaps.roadmap_detail, name="roadmap_detail"),
    path("roadmaps/<int:roadmap_id>/edit/", roadmaps.roadmap_edit, name="roadmap_edit"),
    path("roadmaps/<int:roadmap_id>/approve/", roadmaps.roadmap_approve, name="roadmap_approve"),
    path(
        "roadmaps/<int:roadmap_id>/new-draft/",
        roadmaps.roadmap_new_draft,
        name="roadmap_new_draft",
    ),
    path("roadmaps/<int:roadmap_id>/cascade/", roadmaps.roadmap_cascade, name="roadmap_cascade"),
    path("roadmaps/<int:roadmap_id>/matrix/", roadmaps.roadmap_matrix, name="roadmap_matrix"),
    path("roadmaps/<int:roadmap_id>/pdf/", roadmaps.roadmap_pdf, name="roadmap_pdf"),
    path("roadmaps/<int:roadmap_id>/sections/add/", editing.section_add, name="section_add"),
    path("roadmaps/sections/<int:section_id>/", editing.section_action, name="section_action"),
    path(
        "roadmaps/activities/<int:activity_id>/edit/", editing.activity_edit, name="activity_edit"
    ),
    path("roadmaps/activities/<int:activity_id>/row/", editing.activity_row, name="activity_row"),
    path(
        "roadmaps/activities/<int:activity_id>/action/",
        editing.activity_action,
        name="activity_action",
    ),
    path(
        "roadmaps/activities/<int:activity_id>/progress/",
        progress.activity_progress,
        name="activity_progress",
    ),
    path(
        "roadmaps/activities/<int:activity_id>/evidence/",
        progress.activity_evidence,
        name="activity_evidence",
    ),
    path("activities/", progress.school_activities, name="school_activities"),
]
