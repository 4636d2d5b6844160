"""participant_urls of the registry (filled in by its feature)."""

urlpatterns: list = []
