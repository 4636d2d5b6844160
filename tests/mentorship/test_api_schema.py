"""Every API route is in the OpenAPI schema, with every method it takes (as Zulip checks
its REST API against its OpenAPI document): a route missing from the schema is a route
nobody can discover, test against the schema, or generate a client for."""

from __future__ import annotations

import re

from drf_spectacular.generators import SchemaGenerator

from tests.mentorship.test_permission_matrix import all_routes


def _schema_path(pattern: str) -> str:
    # Django's "<int:pk>" → OpenAPI's "{pk}"; the schema's paths start with "/".
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", pattern)


def test_every_api_route_and_method_is_in_the_schema():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]
    api_routes = [r for r in all_routes() if r.pattern.startswith("api/v1/")]
    assert api_routes
    missing = []
    for route in api_routes:
        path = _schema_path(route.pattern)
        actions = getattr(route.callback, "actions", None) or {}
        # HEAD and OPTIONS mirror GET and the metadata: the schema documents neither.
        methods = (set(actions) or {"get"}) - {"head", "options"}
        documented = set(paths.get(path, {}))
        for method in sorted(methods - documented):
            missing.append(f"{method.upper()} {path}")
    assert missing == [], f"API routes missing from the OpenAPI schema: {missing}"


def test_the_home_endpoint_documents_its_sort_and_its_figures():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/o/{org_slug}/home/"]["get"]
    assert [p["name"] for p in operation["parameters"] if p["in"] == "query"] == ["sort"]
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    body = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert {"todos", "steps", "steps_done", "table", "approvals", "documents"} <= set(
        body["properties"]
    )
