"""REST API of programmes, suggestions, pairs and meetings under /api/v1/o/<org_slug>/."""

urlpatterns: list = []
