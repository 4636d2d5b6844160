"""/api/schema/ (a module of its own: drf-spectacular's views import the default schema
class, mentorship.api.schema, while they load)."""

from __future__ import annotations

import threading

from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView

__all__ = ["SchemaView"]


_generating = threading.Lock()


class SchemaView(SpectacularAPIView):
    """/api/schema/, built by one request at a time.

    drf-spectacular sets and unsets attributes on the view classes while it walks them;
    two requests building the schema at once in threads (runserver, gthread workers)
    saw each other's half-built state: a 500 "Schema generation REQUIRES a view instance"
    (two schemathesis runs starting together).
    """

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        with _generating:
            return super().get(request, *args, **kwargs)
