"""Under /o/<org_slug>/pairs/order/ (mounted in registry/urls.py before the pair pages)."""

from django.urls import path

from registry.pair_order_views import pair_order_issue_view

urlpatterns = [
    path("", pair_order_issue_view, name="pair_order_issue"),
]
