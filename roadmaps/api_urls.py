"""REST API of roadmaps under /api/v1/o/<org_slug>/."""

urlpatterns: list = []
