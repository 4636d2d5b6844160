"""Every API route is in the OpenAPI schema, with every method it takes (as Zulip checks
its REST API against its OpenAPI document): a route missing from the schema is a route
nobody can discover, test against the schema, or generate a client for."""

from __future__ import annotations

import json
import re

import pytest
import requests
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from schemathesis.core.transport import Response

from tests.factories import make_participant, make_roadmap
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


# Issue 11, item 6: the schema documents the errors the API really answers, and values the
# API really writes (an empty e-mail or link) agree with it.

WRITES = {"post", "put", "patch", "delete"}


def _schema() -> dict:
    raw = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(raw))


def test_every_operation_documents_its_errors_with_the_one_error_body():
    schema = _schema()
    assert set(schema["components"]["schemas"]["Error"]["properties"]) >= {"detail"}
    missing = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            expected = {"401", "403"}
            if "{" in path:
                expected.add("404")
            if method in WRITES:
                expected.add("409")
            if method in WRITES - {"delete"} or any(
                p["in"] == "query" for p in operation.get("parameters", [])
            ):
                expected.add("400")
            for code in sorted(expected):
                response = operation["responses"].get(code)
                body = (response or {}).get("content", {}).get("application/json", {})
                ref = body.get("schema", {})
                # A view may document a body of its own, as long as Error is one of them.
                own = schema["components"]["schemas"].get(ref.get("$ref", "").split("/")[-1], {})
                refs = [ref, *own.get("oneOf", [])]
                if {"$ref": "#/components/schemas/Error"} not in refs:
                    missing.append(f"{method.upper()} {path} {code}")
    assert missing == []


def _validator(schema: dict, path: str, method: str = "GET"):
    return schemathesis.openapi.from_dict(schema)[path][method]


def _as_schemathesis(response, url: str) -> Response:
    headers = {k.lower(): [v] for k, v in response.headers.items()}
    request = requests.Request("GET", "http://testserver" + url).prepare()
    return Response(response.status_code, headers, response.content, request, 0.0, True)


@pytest.mark.parametrize(
    ("who", "url", "code"),
    [
        (None, "/api/v1/o/{school}/participants/", 401),
        ("viewer", "/api/v1/o/{school}/participants/?category=alien", 400),
        ("methodist", "/api/v1/o/{school}/participants/", 403),
        ("other_curator", "/api/v1/o/{school}/participants/", 404),
        ("curator", "/api/v1/o/{school}/participants/{foreign}/", 404),
    ],
)
def test_real_error_bodies_agree_with_the_schema(client, cast, who, url, code):
    foreign = make_participant(cast.other_school)
    if who:
        client.force_login(getattr(cast, who))
    template = url
    url = url.format(school=cast.school.slug, foreign=foreign.pk)
    response = client.get(url)
    assert response.status_code == code
    path = "/api/v1/o/{org_slug}/participants/"
    if "{foreign}" in template:
        path += "{participant_id}/"
    _validator(_schema(), path).validate_response(_as_schemathesis(response, url))


def test_empty_email_and_link_agree_with_the_schema(client, cast):
    """Before: Participant.email and Activity.evidence_url said format email / uri, and the
    API wrote "" for a person without e-mail and an activity without a link."""
    make_participant(cast.school, email="")
    roadmap = make_roadmap(cast.school)
    schema = _schema()
    client.force_login(cast.curator)
    for url, path in [
        (f"/api/v1/o/{cast.school.slug}/participants/", "/api/v1/o/{org_slug}/participants/"),
        (
            f"/api/v1/o/{cast.school.slug}/roadmaps/{roadmap.pk}/activities/",
            "/api/v1/o/{org_slug}/roadmaps/{roadmap_id}/activities/",
        ),
    ]:
        response = client.get(url)
        assert response.status_code == 200
        rows = response.json()["results"]
        assert rows and any(r.get("email", r.get("evidence_url")) == "" for r in rows)
        _validator(schema, path).validate_response(_as_schemathesis(response, url))


def test_the_home_endpoint_documents_its_sort_and_its_figures():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/o/{org_slug}/home/"]["get"]
    assert [p["name"] for p in operation["parameters"] if p["in"] == "query"] == ["sort"]
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    body = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert {"todos", "steps", "steps_done", "table", "approvals", "documents"} <= set(
        body["properties"]
    )
