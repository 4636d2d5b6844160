"""Under /o/<org_slug>/documents/ (included in mentorship.urls.tenant_patterns)."""

from django.urls import path

from mentorship.documents import views

urlpatterns = [
    path("", views.document_list, name="document_list"),
    path("request/", views.document_request_view, name="document_request"),
    path("<int:document_id>/", views.document_detail, name="document_detail"),
    path("<int:document_id>/status/", views.document_status, name="document_status"),
    path(
        "<int:document_id>/regenerate/",
        views.document_regenerate_view,
        name="document_regenerate",
    ),
    path("<int:document_id>/download/", views.document_download_view, name="document_download"),
]
