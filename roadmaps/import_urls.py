"""Roadmap import from .docx/.xlsx: upload → preview → save (mounted under the tenant)."""

from django.urls import path

from roadmaps import import_views

urlpatterns = [
    path("", import_views.upload, name="roadmap_import"),
    # Before the token pattern: "deadline" would otherwise read as a (bad) token.
    path("deadline/", import_views.deadline_meaning, name="roadmap_import_deadline"),
    path("<slug:token>/", import_views.preview, name="roadmap_import_preview"),
]
