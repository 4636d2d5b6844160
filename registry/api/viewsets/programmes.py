"""Programmes of a school, and matching suggestions for a programme."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from mentorship.api import TenantViewSet
from mentorship.query import query_ints
from registry import access
from registry.api.serializers.matching import (
    AcceptSerializer,
    CapacitySerializer,
    SuggestionsSerializer,
)
from registry.api.serializers.pairs import PairSerializer
from registry.api.serializers.programmes import ProgrammeSerializer, ProgrammeWriteSerializer
from registry.models import Programme
from registry.services.matching import (
    MatchingRun,
    mentor_capacities_set,
    programme_match,
    suggestions_accept,
    unmatched_blockers,
)
from registry.services.programmes import (
    check_open,
    programme_close,
    programme_create,
    programme_reopen,
    programme_update,
)


def suggestions_data(run: MatchingRun) -> dict[str, Any]:
    people = run.pool.people

    def ref(participant_id: int) -> dict[str, Any]:
        return {"id": participant_id, "full_name": people[participant_id].full_name}

    unmatched = [*run.result.unmatched_mentee_ids, *run.skipped_mentee_ids]
    return {
        "programme": run.programme.pk,
        "suggestions": [
            {
                "mentor": ref(s.mentor_id),
                "mentee": ref(s.mentee_id),
                "score": s.score.total,
                "reasons": [
                    {"code": r.code, "text": r.text, "points": r.points} for r in s.score.reasons
                ],
            }
            for s in run.result.suggestions
        ],
        "unmatched": [ref(i) for i in unmatched],
        "blocked": [
            {
                "mentee": {"id": b.mentee.pk, "full_name": b.mentee.full_name},
                "code": b.code,
                "text": b.text,
                "fix": b.fix,
                "mentor_ids": list(b.mentor_ids),
            }
            for b in unmatched_blockers(run)
        ],
        "mentors": [
            {
                **ref(m.id),
                "capacity": run.pool.capacities[m.id].total,
                "load": run.pool.capacities[m.id].load,
                "free": m.capacity,
                "source": run.pool.capacities[m.id].source,
                "filled_on": run.pool.capacities[m.id].filled_on,
            }
            for m in sorted(run.pool.mentors, key=lambda m: people[m.id].full_name)
        ],
        "without_consent": run.pool.without_consent,
        "total_score": run.result.total_score,
    }


class ProgrammeViewSet(TenantViewSet):
    lookup_url_kwarg = "programme_id"
    schema_tags = ["programmes"]
    action_summaries = {
        "list": _("Программы наставничества школы"),
        "retrieve": _("Программа наставничества"),
        "create": _("Добавить программу"),
        "partial_update": _("Изменить программу"),
        "close": _("Закрыть программу: пары и история сохраняются, подбор недоступен"),
        "reopen": _("Возобновить закрытую программу"),
        "suggestions": _("Подбор пар по программе: предложения с причинами и оставшиеся без пары"),
        "accept": _("Принять выбранные предложения: пары создаются предложенными"),
        "capacity": _(
            "Число мест наставников программы (как в анкете): все или ничего; в ответе — "
            "подбор, пересчитанный с новыми местами"
        ),
    }
    serializer_class = ProgrammeSerializer
    input_serializers = {
        "create": ProgrammeWriteSerializer,
        "partial_update": ProgrammeWriteSerializer,
        "accept": AcceptSerializer,
        "capacity": CapacitySerializer,
    }
    action_roles = {
        "list": access.PROGRAMMES_READ,
        "retrieve": access.PROGRAMMES_READ,
        "create": access.PROGRAMMES_WRITE,
        "partial_update": access.PROGRAMMES_WRITE,
        "close": access.PROGRAMMES_WRITE,
        "reopen": access.PROGRAMMES_WRITE,
        # Matching is the curator's (registry/access.py); accepting proposes pairs.
        "suggestions": access.MATCHING,
        "accept": access.MATCHING,
        "capacity": access.MATCHING,
    }

    def get_queryset(self) -> QuerySet[Programme]:
        if self.is_schema_view:
            return Programme.objects.none()
        return Programme.objects.select_related("form", "responsible")

    def list(self, request: Request, org_slug: str) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, org_slug: str, programme_id: int) -> Response:
        return self.output(self.get_object())

    @extend_schema(request=ProgrammeWriteSerializer, responses={201: ProgrammeSerializer})
    def create(self, request: Request, org_slug: str) -> Response:
        data = self.valid_input(request)
        programme = programme_create(
            actor=request.user, organization=self.tenant.organization, **data
        )
        return self.output(programme, status.HTTP_201_CREATED)

    @extend_schema(request=ProgrammeWriteSerializer, responses=ProgrammeSerializer)
    def partial_update(self, request: Request, org_slug: str, programme_id: int) -> Response:
        programme = self.get_object()
        serializer = self.get_serializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        programme = programme_update(
            actor=request.user, programme=programme, **serializer.validated_data
        )
        return self.output(programme)

    @extend_schema(request=None, responses=ProgrammeSerializer)
    def close(self, request: Request, org_slug: str, programme_id: int) -> Response:
        return self.output(programme_close(actor=request.user, programme=self.get_object()))

    @extend_schema(request=None, responses=ProgrammeSerializer)
    def reopen(self, request: Request, org_slug: str, programme_id: int) -> Response:
        return self.output(programme_reopen(actor=request.user, programme=self.get_object()))

    @extend_schema(
        responses=SuggestionsSerializer,
        parameters=[
            OpenApiParameter(
                "skip",
                int,
                many=True,
                description=_("Наставляемые, отложенные в этом круге подбора."),
            )
        ],
    )
    def suggestions(self, request: Request, org_slug: str, programme_id: int) -> Response:
        programme = self.get_object()
        check_open(programme)
        skip = query_ints(request.query_params, "skip", _("Неверный номер наставляемого."))
        run = programme_match(programme, skip_mentee_ids=skip)
        return Response(SuggestionsSerializer(suggestions_data(run)).data)

    @extend_schema(request=AcceptSerializer, responses={201: PairSerializer(many=True)})
    def accept(self, request: Request, org_slug: str, programme_id: int) -> Response:
        programme = self.get_object()
        data = self.valid_input(request)
        pairs = suggestions_accept(
            actor=request.user,
            programme=programme,
            chosen=[(p["mentor"], p["mentee"]) for p in data["pairs"]],
        )
        body = PairSerializer(pairs, many=True, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=CapacitySerializer, responses=SuggestionsSerializer)
    def capacity(self, request: Request, org_slug: str, programme_id: int) -> Response:
        programme = self.get_object()
        data = self.valid_input(request)
        capacities: dict[int, int] = {}
        for item in data["capacities"]:
            if item["mentor"] in capacities:
                raise ValidationError({"capacities": [_("Наставник указан дважды.")]})
            capacities[item["mentor"]] = item["capacity"]
        mentor_capacities_set(actor=request.user, programme=programme, capacities=capacities)
        run = programme_match(programme)
        return Response(SuggestionsSerializer(suggestions_data(run)).data)
