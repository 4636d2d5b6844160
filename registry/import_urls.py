"""Registry import and export (mounted at /o/<org_slug>/registry/import/)."""

from django.urls import path

from registry import import_views

urlpatterns = [
    path("", import_views.upload, name="registry_import"),
    # Before the token patterns: these words would otherwise read as (bad) tokens.
    path("template/", import_views.template, name="registry_import_template"),
    # The export lives beside the import: the registry pages' URLs belong to that feature.
    path("export/", import_views.export, name="registry_export"),
    path("<slug:token>/", import_views.preview, name="registry_import_preview"),
    path("<slug:token>/failed/", import_views.failed_rows, name="registry_import_failed"),
]
