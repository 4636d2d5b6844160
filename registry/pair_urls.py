"""Pages of pairs and groups: matching, the lifecycle, meetings, development plans."""

urlpatterns: list = []
