"""Viewsets of the roadmaps API: each write is one call of a `roadmaps.services` function,
each action guarded by a rule of `roadmaps.access`, the same the web pages use.

Querysets are the tenant's by construction (TenantMiddleware activates the scope of the
URL's organisation), so another organisation's id is simply not found: 404.
"""

from __future__ import annotations

from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from mentorship.api import TenantViewSet
from mentorship.query import query_flag
from mentorship.tenancy.access import get_in_tenant_or_404
from roadmaps import access, selectors
from roadmaps.api.filters import ActivityFilter, RoadmapFilter
from roadmaps.api.serializers import (
    ActivityCreateSerializer,
    ActivitySerializer,
    ActivityWriteSerializer,
    ApproveSerializer,
    CascadeResultSerializer,
    MatrixSerializer,
    MoveSerializer,
    ProgressSerializer,
    RoadmapCreateSerializer,
    RoadmapSerializer,
    RoadmapUpdateSerializer,
    SectionSerializer,
    matrix_data,
)
from roadmaps.models import Activity, Roadmap, Section
from roadmaps.services import authoring
from roadmaps.services.cascade import roadmap_cascade
from roadmaps.services.progress import activity_set_progress


class _RoadmapViewSet(TenantViewSet):
    """The roadmaps' viewsets: the base, and the roadmap named by the URL."""

    def roadmap_from_url(self) -> Roadmap:
        return get_in_tenant_or_404(Roadmap, pk=self.kwargs["roadmap_id"])


class RoadmapViewSet(_RoadmapViewSet):
    lookup_url_kwarg = "roadmap_id"
    schema_tags = ["roadmaps"]
    action_summaries = {
        "list": _("Дорожные карты организации"),
        "retrieve": _("Дорожная карта"),
        "create": _("Создать дорожную карту (пустую или по типовой форме)"),
        "partial_update": _("Изменить наименование и период (сроки пересчитываются)"),
        "approve": _("Утвердить приказом"),
        "new_draft": _("Новая редакция утверждённой карты (или уже начатый черновик)"),
        "cascade": _(
            "Передать обязанности ОО в планы всех школ муниципалитета (региональной карты — "
            "в планы всех муниципалитетов региона)"
        ),
        "matrix": _(
            "Школы (у региональной карты — муниципалитеты) × мероприятия: статусы и проценты "
            "выполнения"
        ),
    }
    serializer_class = RoadmapSerializer
    filterset_class = RoadmapFilter
    input_serializers = {
        "create": RoadmapCreateSerializer,
        "partial_update": RoadmapUpdateSerializer,
        "approve": ApproveSerializer,
    }
    action_roles = {
        "list": access.READ,
        "retrieve": access.READ,
        "create": access.WRITE,
        "partial_update": access.WRITE,
        "approve": access.APPROVE,
        "new_draft": access.WRITE,
        "cascade": access.CASCADE,
        "matrix": access.MATRIX,
    }

    def get_queryset(self) -> QuerySet[Roadmap]:
        return Roadmap.objects.none() if self.is_schema_view else Roadmap.objects.all()

    def list(self, request: Request, org_slug: str) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, org_slug: str, roadmap_id: int) -> Response:
        return self.output(self.get_object())

    @extend_schema(request=RoadmapCreateSerializer, responses={201: RoadmapSerializer})
    def create(self, request: Request, org_slug: str) -> Response:
        data = self.valid_input(request)
        roadmap = authoring.roadmap_create(
            actor=request.user, organization=self.tenant.organization, **data
        )
        return self.output(roadmap, status.HTTP_201_CREATED)

    @extend_schema(request=RoadmapUpdateSerializer, responses=RoadmapSerializer)
    def partial_update(self, request: Request, org_slug: str, roadmap_id: int) -> Response:
        roadmap = self.get_object()
        data = self.valid_input(request)
        current = {f: getattr(roadmap, f) for f in ("title", "period_start", "period_end")}
        authoring.roadmap_update(actor=request.user, roadmap=roadmap, **{**current, **data})
        return self.output(roadmap)

    @extend_schema(request=ApproveSerializer, responses=RoadmapSerializer)
    def approve(self, request: Request, org_slug: str, roadmap_id: int) -> Response:
        roadmap = self.get_object()
        data = self.valid_input(request)
        return self.output(authoring.roadmap_approve(actor=request.user, roadmap=roadmap, **data))

    @extend_schema(request=None, responses=RoadmapSerializer)
    def new_draft(self, request: Request, org_slug: str, roadmap_id: int) -> Response:
        roadmap = self.get_object()
        return self.output(authoring.roadmap_new_draft(actor=request.user, roadmap=roadmap))

    @extend_schema(request=None, responses=CascadeResultSerializer)
    def cascade(self, request: Request, org_slug: str, roadmap_id: int) -> Response:
        roadmap = self.get_object()
        created = roadmap_cascade(actor=request.user, roadmap=roadmap)
        schools = len(selectors.units_below(roadmap.organization))
        return Response(CascadeResultSerializer({"created": created, "schools": schools}).data)

    @extend_schema(
        responses=MatrixSerializer,
        parameters=[
            OpenApiParameter("overdue", bool, description=_("Только школы с просрочками."))
        ],
    )
    def matrix(self, request: Request, org_slug: str, roadmap_id: int) -> Response:
        roadmap = self.get_object()
        only_overdue = query_flag(request.query_params, "overdue")
        matrix = selectors.unscoped_progress_matrix(roadmap, only_overdue=only_overdue)
        return Response(MatrixSerializer(matrix_data(matrix)).data)


class SectionViewSet(_RoadmapViewSet):
    lookup_url_kwarg = "section_id"
    schema_tags = ["roadmap sections"]
    action_summaries = {
        "list": _("Разделы дорожной карты"),
        "retrieve": _("Раздел"),
        "create": _("Добавить раздел"),
        "partial_update": _("Изменить раздел"),
        "destroy": _("Удалить раздел с его мероприятиями"),
        "move": _("Переместить раздел вверх или вниз"),
    }
    serializer_class = SectionSerializer
    input_serializers = {"move": MoveSerializer}
    action_roles = {
        "list": access.READ,
        "retrieve": access.READ,
        "create": access.EDIT,
        "partial_update": access.EDIT,
        "destroy": access.EDIT,
        "move": access.EDIT,
    }

    def get_queryset(self) -> QuerySet[Section]:
        if self.is_schema_view:
            return Section.objects.none()
        return Section.objects.select_related("roadmap").order_by("position", "pk")

    def list(self, request: Request, org_slug: str, roadmap_id: int) -> Response:
        roadmap = self.roadmap_from_url()
        page = self.paginate_queryset(self.get_queryset().filter(roadmap=roadmap))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, org_slug: str, section_id: int) -> Response:
        return self.output(self.get_object())

    def create(self, request: Request, org_slug: str, roadmap_id: int) -> Response:
        # The roadmap first: a foreign id is a 404 whatever the body holds.
        roadmap = self.roadmap_from_url()
        data = self.valid_input(request)
        section = authoring.section_create(
            actor=request.user,
            roadmap=roadmap,
            title=data["title"],
            for_every_school=data.get("for_every_school", False),
        )
        return self.output(section, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, org_slug: str, section_id: int) -> Response:
        section = self.get_object()
        serializer = self.get_serializer(section, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = {"title": section.title, "for_every_school": section.for_every_school}
        data.update(serializer.validated_data)
        return self.output(authoring.section_update(actor=request.user, section=section, **data))

    def destroy(self, request: Request, org_slug: str, section_id: int) -> Response:
        authoring.section_delete(actor=request.user, section=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=MoveSerializer, responses=SectionSerializer)
    def move(self, request: Request, org_slug: str, section_id: int) -> Response:
        section = self.get_object()
        data = self.valid_input(request)
        authoring.section_move(actor=request.user, section=section, offset=data["offset"])
        section.refresh_from_db()
        return self.output(section)


class ActivityViewSet(_RoadmapViewSet):
    lookup_url_kwarg = "activity_id"
    schema_tags = ["roadmap activities"]
    action_summaries = {
        "list": _("Мероприятия дорожной карты"),
        "retrieve": _("Мероприятие"),
        "create": _("Добавить мероприятие или подпункт"),
        "partial_update": _("Изменить мероприятие (срок разбирается заново)"),
        "destroy": _("Удалить мероприятие"),
        "move": _("Переместить мероприятие вверх или вниз"),
        "progress": _("Отметить выполнение: статус, комментарий, ссылка или файл"),
    }
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter
    input_serializers = {
        "create": ActivityCreateSerializer,
        "partial_update": ActivityWriteSerializer,
        "move": MoveSerializer,
        "progress": ProgressSerializer,
    }
    action_roles = {
        "list": access.READ_ACTIVITIES,
        "retrieve": access.READ_ACTIVITIES,
        "create": access.EDIT,
        "partial_update": access.EDIT,
        "destroy": access.EDIT,
        "move": access.EDIT,
        "progress": access.REPORT,
    }

    def get_queryset(self) -> QuerySet[Activity]:
        if self.is_schema_view:
            return Activity.objects.none()
        # Services read activity.roadmap (is it editable? archived?): one join, not a query.
        return Activity.objects.select_related("roadmap")

    def list(self, request: Request, org_slug: str, roadmap_id: int) -> Response:
        roadmap = self.roadmap_from_url()
        activities = self.filter_queryset(
            Activity.objects.filter(roadmap=roadmap).order_by(
                # Roadmap order: sections, then each item followed by its sub-items.
                "section__position",
                Coalesce("parent__position", "position"),
                Coalesce("parent_id", "id"),
                F("parent_id").asc(nulls_first=True),
                "position",
                "pk",
            )
        )
        page = self.paginate_queryset(activities)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, org_slug: str, activity_id: int) -> Response:
        return self.output(self.get_object())

    @extend_schema(request=ActivityCreateSerializer, responses={201: ActivitySerializer})
    def create(self, request: Request, org_slug: str, roadmap_id: int) -> Response:
        roadmap = self.roadmap_from_url()
        data = self.valid_input(request, roadmap=roadmap)
        activity = authoring.activity_create(actor=request.user, **data)
        return self.output(activity, status.HTTP_201_CREATED)

    @extend_schema(request=ActivityWriteSerializer, responses=ActivitySerializer)
    def partial_update(self, request: Request, org_slug: str, activity_id: int) -> Response:
        activity = self.get_object()
        data = self.valid_input(request)
        return self.output(authoring.activity_update(actor=request.user, activity=activity, **data))

    def destroy(self, request: Request, org_slug: str, activity_id: int) -> Response:
        authoring.activity_delete(actor=request.user, activity=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=MoveSerializer, responses=ActivitySerializer)
    def move(self, request: Request, org_slug: str, activity_id: int) -> Response:
        activity = self.get_object()
        data = self.valid_input(request)
        authoring.activity_move(actor=request.user, activity=activity, offset=data["offset"])
        activity.refresh_from_db()
        return self.output(activity)

    @extend_schema(
        request={"multipart/form-data": ProgressSerializer, "application/json": ProgressSerializer},
        responses=ActivitySerializer,
    )
    def progress(self, request: Request, org_slug: str, activity_id: int) -> Response:
        activity = self.get_object()
        data = self.valid_input(request)
        activity = activity_set_progress(actor=request.user, activity=activity, **data)
        return self.output(activity)
