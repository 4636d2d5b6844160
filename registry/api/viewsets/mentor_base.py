"""The municipal base of adult mentors, and counts per school, at the municipality only."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from mentorship.api import TenantViewSet
from registry import access
from registry.api.serializers.mentor_base import (
    CountsSerializer,
    MentorBaseEntrySerializer,
    MentorBaseQuerySerializer,
    counts_data,
)
from registry.models import Participant
from registry.selectors.municipal import unscoped_mentor_base, unscoped_school_counts
from registry.services.subject_rights import mentor_base_record_view


class MentorBaseViewSet(TenantViewSet):
    """The municipal base of adult mentors, and counts per school: named cross-tenant
    reads (registry/selectors/municipal.py), at the municipality's address only."""

    schema_tags = ["mentor base"]
    action_summaries = {
        "list": _("Муниципальная база наставников: взрослые, давшие согласие на включение"),
        "counts": _("Участники по школам; значения меньше 5 скрыты"),
    }
    serializer_class = MentorBaseEntrySerializer
    # Filtering is done by the selector, in SQL; no FilterSet on a list of records.
    filter_backends: list = []
    action_roles = {"list": access.MENTOR_BASE, "counts": access.MENTOR_BASE}

    def get_queryset(self) -> QuerySet[Participant]:
        # Only so the schema generator has a model to look at; never queried.
        return Participant.objects.none()

    @extend_schema(parameters=[MentorBaseQuerySerializer])
    def list(self, request: Request, org_slug: str) -> Response:
        query = MentorBaseQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = query.validated_data
        municipality = self.tenant.organization
        entries = unscoped_mentor_base(
            municipality,
            search=filters.get("search", ""),
            school_id=filters.get("school"),
            category=filters.get("category", ""),
        )
        page = self.paginate_queryset(entries)
        mentor_base_record_view(
            actor=request.user,
            municipality=municipality,
            participant_ids=[(e.participant_id, e.school_id, e.full_name) for e in page],
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(responses=CountsSerializer)
    def counts(self, request: Request, org_slug: str) -> Response:
        table = unscoped_school_counts(self.tenant.organization)
        return Response(CountsSerializer(counts_data(table)).data)
