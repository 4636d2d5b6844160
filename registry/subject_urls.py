"""The data subject's rights under /o/<org_slug>/registry/<participant_id>/ (152-ФЗ)."""

from django.urls import path

from registry import subject_views as views

urlpatterns = [
    path(
        "<int:participant_id>/access-log/",
        views.participant_access_log,
        name="participant_access_log",
    ),
    path(
        "<int:participant_id>/subject-export/",
        views.participant_subject_export,
        name="participant_subject_export",
    ),
]
