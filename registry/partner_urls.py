"""Partner organisations under /o/<org_slug>/partners/ (a municipality's or a school's),
and the municipal mentor base, which lives at the municipality's address only."""

from django.urls import path

from registry import partner_views as views

urlpatterns = [
    path("", views.partner_list, name="partner_list"),
    path("new/", views.partner_create, name="partner_create"),
    path("<int:partner_id>/edit/", views.partner_edit, name="partner_edit"),
    path("<int:partner_id>/delete/", views.partner_delete, name="partner_delete"),
    path("mentor-base/", views.mentor_base, name="mentor_base"),
]
