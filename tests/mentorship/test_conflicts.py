"""The core's one mapping of a collision: a Russian message and 409, never a 500."""

from __future__ import annotations

import json

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.db import IntegrityError
from django.test import RequestFactory
from django.urls import reverse

from mentorship.api import exception_handler
from mentorship.conflicts import Conflict, ConflictMiddleware, conflict_from, conflicts
from mentorship.models import Document, Membership, Role
from mentorship.tenancy.scoping import tenant_scope, unscoped_reads
from roadmaps.models import Roadmap
from tests.concurrency import codes, posts_at_once
from tests.factories import make_roadmap


def _duplicate_membership(cast) -> IntegrityError:
    try:
        with conflicts("—"):
            Membership.objects.create(
                user=cast.curator, organization=cast.school, role=Role.CURATOR
            )
    except Conflict as conflict:
        assert isinstance(conflict.__cause__, IntegrityError)
        return conflict.__cause__
    raise AssertionError("no unique violation")


def test_a_unique_violation_becomes_a_conflict_with_the_constraints_own_message(cast):
    roadmap = make_roadmap(cast.muni)
    with tenant_scope(cast.muni):
        Roadmap.objects.create(
            organization=cast.muni,
            title="v2",
            period_start=roadmap.period_start,
            period_end=roadmap.period_end,
            previous_version=roadmap,
        )
        with pytest.raises(Conflict) as caught, conflicts():
            Roadmap.objects.create(
                organization=cast.muni,
                title="v2 again",
                period_start=roadmap.period_start,
                period_end=roadmap.period_end,
                previous_version=roadmap,
            )
    assert caught.value.messages == [
        "Новая редакция этой дорожной карты уже создана: обновите страницу."
    ]
    # A constraint without a message of its own: the general one.
    general = conflict_from(_duplicate_membership(cast))
    assert "Такая запись уже есть" in general.messages[0]


def test_other_integrity_errors_are_bugs_not_conflicts():
    assert conflict_from(IntegrityError("null value in column violates not-null")) is None
    assert conflict_from(ValueError("x")) is None


def _request(path: str, **headers):
    request = RequestFactory().post(path, headers=headers)
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_the_middleware_answers_the_web_with_a_message_and_the_api_with_409(cast):
    middleware = ConflictMiddleware(lambda request: None)
    conflict = Conflict("Уже сделано.")

    back = _request("/o/school-a1/x/", referer="http://testserver/o/school-a1/page/")
    response = middleware.process_exception(back, conflict)
    assert response.status_code == 303
    assert response["Location"] == "http://testserver/o/school-a1/page/"
    assert [str(m) for m in get_messages(back)] == ["Уже сделано."]

    nowhere = _request("/o/school-a1/x/", referer="https://evil.example/")
    response = middleware.process_exception(nowhere, conflict)
    assert response.status_code == 409 and "Уже сделано." in response.content.decode()

    api = _request("/api/v1/o/school-a1/x/")
    response = middleware.process_exception(api, _duplicate_membership(cast))
    assert response.status_code == 409
    assert "Такая запись уже есть" in json.loads(response.content)["non_field_errors"][0]

    assert middleware.process_exception(api, ValueError("a bug")) is None


def test_the_api_handler_answers_409(cast):
    response = exception_handler(_duplicate_membership(cast), {})
    assert response.status_code == 409
    assert "Такая запись уже есть" in response.data["non_field_errors"][0]


@pytest.mark.django_db(transaction=True)
def test_two_requests_for_one_document_number_at_once_make_one_document(cast):
    path = reverse("document_request", args=[cast.school.slug])
    body = {"kind": "staff_list", "date": "2026-09-01", "number": "17"}

    responses = posts_at_once(cast.curator, path, body, body)

    assert codes(responses) == [302, 302]
    with unscoped_reads():
        assert Document.objects.filter(number="17").count() == 1
