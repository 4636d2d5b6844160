"""Viewsets of the monitoring API: each write is one call of a `monitoring.services` function.

Querysets are the tenant's by construction (TenantMiddleware activates the scope of the
URL's organisation), so another organisation's id is simply not found: 404. Above the
school the API gives counts per school, never people. Who may call what: the named rules
of monitoring/access.py, the same objects the web pages check.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Avg, Count, Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from mentorship.api import TenantViewSet
from monitoring import access
from monitoring.api.serializers import (
    BankPracticeSerializer,
    CampaignCreateSerializer,
    CampaignDetailSerializer,
    CampaignSerializer,
    InviteResultSerializer,
    PracticeFilesSerializer,
    PracticeReviewSerializer,
    PracticeSerializer,
    PracticeWriteSerializer,
    QuestionnaireSerializer,
    SchoolCampaignSerializer,
    SchoolResultsSerializer,
)
from monitoring.forms.practices import PracticeFilter, SchoolPracticeFilter
from monitoring.models import (
    Answer,
    Campaign,
    CampaignSchool,
    Practice,
    Purpose,
    Question,
    Questionnaire,
    Section,
)
from monitoring.models.questionnaires import NUMERIC_KINDS
from monitoring.selectors import campaigns as selectors
from monitoring.selectors import practices as practice_selectors
from monitoring.services import campaigns as service
from monitoring.services import practices as practice_service


class QuestionnaireViewSet(TenantViewSet):
    lookup_url_kwarg = "questionnaire_id"
    schema_tags = ["monitoring questionnaires"]
    action_summaries = {
        "list": _("Анкеты: стандартные и свои, текущие версии"),
        "retrieve": _("Анкета с разделами и вопросами"),
    }
    serializer_class = QuestionnaireSerializer
    action_roles = {"list": access.QUESTIONNAIRES_READ, "retrieve": access.QUESTIONNAIRES_READ}

    def get_queryset(self) -> QuerySet[Questionnaire]:
        if self.is_schema_view:
            return Questionnaire.objects.none()
        sections = Section.objects.order_by("position", "pk").prefetch_related(
            Prefetch("questions", queryset=Question.objects.order_by("position", "pk"))
        )
        # Questionnaires are not tenant-scoped: the standard ones and this tenant's own.
        return (
            Questionnaire.objects.available_at(self.tenant.organization)
            .order_by("-organization_id", "title", "-version")
            .prefetch_related(Prefetch("sections", queryset=sections))
        )

    def list(self, request: Request, org_slug: str) -> Response:
        page = self.paginate_queryset(self.get_queryset().filter(is_current=True))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, org_slug: str, questionnaire_id: int) -> Response:
        return Response(self.get_serializer(self.get_object()).data)


class CampaignViewSet(TenantViewSet):
    lookup_url_kwarg = "campaign_id"
    schema_tags = ["monitoring campaigns"]
    action_summaries = {
        "list": _("Кампании муниципалитета с долей ответивших"),
        "retrieve": _("Кампания: ответы по школам (только числа)"),
        "create": _("Начать кампанию во всех школах муниципалитета или в своей школе"),
    }
    serializer_class = CampaignSerializer
    input_serializers = {"create": CampaignCreateSerializer, "retrieve": CampaignDetailSerializer}
    # Read at the municipality (counts per school); started at a municipality or a school.
    action_roles = {
        "list": access.CAMPAIGN_READ,
        "retrieve": access.CAMPAIGN_READ,
        "create": access.CAMPAIGN_START,
    }

    def get_queryset(self) -> QuerySet[Campaign]:
        if self.is_schema_view:
            return Campaign.objects.none()
        return Campaign.objects.filter(purpose=Purpose.MONITORING)

    def list(self, request: Request, org_slug: str) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        totals = selectors.unscoped_campaign_totals([c.pk for c in page])
        for campaign in page:
            campaign.progress = totals.get(campaign.pk, selectors.Progress())
        return self.get_paginated_response(CampaignSerializer(page, many=True).data)

    def _detail(self, campaign: Campaign) -> dict[str, Any]:
        schools = selectors.unscoped_campaign_progress(campaign)
        total = selectors.Progress()
        for _school, progress in schools:
            total.invited += progress.invited
            total.responded += progress.responded
            total.revoked += progress.revoked
        campaign.progress = total
        campaign.school_progress = [
            {"school_id": school.pk, "school": school.short_name or school.name, "progress": p}
            for school, p in schools
        ]
        return CampaignDetailSerializer(campaign).data

    def retrieve(self, request: Request, org_slug: str, campaign_id: int) -> Response:
        return Response(self._detail(self.get_object()))

    @extend_schema(request=CampaignCreateSerializer, responses={201: CampaignDetailSerializer})
    def create(self, request: Request, org_slug: str) -> Response:
        organization = self.tenant.organization
        serializer = CampaignCreateSerializer(
            data=request.data, context={"organization": organization}
        )
        serializer.is_valid(raise_exception=True)
        try:
            campaign = service.campaign_create(
                actor=request.user, organization=organization, **serializer.validated_data
            )
        except DjangoValidationError as error:
            # The service names form-wide errors "__all__"; the API says non_field_errors.
            if not hasattr(error, "error_dict"):
                raise
            raise exceptions.ValidationError(
                {
                    api_settings.NON_FIELD_ERRORS_KEY if k == NON_FIELD_ERRORS else k: v
                    for k, v in error.message_dict.items()
                }
            ) from error
        return Response(self._detail(campaign), status=status.HTTP_201_CREATED)


class SchoolCampaignViewSet(TenantViewSet):
    lookup_url_kwarg = "school_campaign_id"
    schema_tags = ["monitoring school campaigns"]
    action_summaries = {
        "list": _("Кампании в школе с числом ответов"),
        "retrieve": _("Кампания в школе с числом ответов"),
        "invite": _("Создать персональные ссылки всем, у кого их ещё нет"),
        "results": _("Итоги школы: доля ответивших и средние по вопросам"),
    }
    serializer_class = SchoolCampaignSerializer
    action_roles = {
        "list": access.SCHOOL_CAMPAIGN_READ,
        "retrieve": access.SCHOOL_CAMPAIGN_READ,
        "invite": access.INVITE,
        "results": access.SCHOOL_CAMPAIGN_READ,
    }

    def get_queryset(self) -> QuerySet[CampaignSchool]:
        if self.is_schema_view:
            return CampaignSchool.objects.none()
        return CampaignSchool.objects.filter(campaign__purpose=Purpose.MONITORING).select_related(
            "campaign__mentor_questionnaire", "campaign__mentee_questionnaire", "organization"
        )

    def _with_progress(self, rows: list[CampaignSchool]) -> list[CampaignSchool]:
        totals = selectors.school_totals([r.campaign_id for r in rows])
        for row in rows:
            row.progress = totals.get(row.campaign_id, selectors.Progress())
        return rows

    def list(self, request: Request, org_slug: str) -> Response:
        page = self._with_progress(list(self.paginate_queryset(self.get_queryset())))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, org_slug: str, school_campaign_id: int) -> Response:
        row = self._with_progress([self.get_object()])[0]
        return Response(self.get_serializer(row).data)

    @extend_schema(request=None, responses={200: InviteResultSerializer})
    def invite(self, request: Request, org_slug: str, school_campaign_id: int) -> Response:
        row = self.get_object()
        result = service.campaign_invite(actor=request.user, campaign_school=row)
        return Response(InviteResultSerializer(result).data)

    @extend_schema(responses=SchoolResultsSerializer)
    def results(self, request: Request, org_slug: str, school_campaign_id: int) -> Response:
        row = self.get_object()
        campaign = row.campaign
        progress = selectors.school_totals([campaign.pk]).get(campaign.pk, selectors.Progress())
        ids = [q.pk for q in (campaign.mentor_questionnaire, campaign.mentee_questionnaire) if q]
        questions = list(
            Question.objects.filter(questionnaire_id__in=ids)
            .order_by("questionnaire_id", "section__position", "position", "pk")
            .only("pk", "code", "text", "kind")
        )
        rows = (
            Answer.objects.filter(campaign=campaign, organization=row.organization)
            .values("question_id")
            .annotate(answers=Count("pk"), average=Avg("value"))
            .order_by()
        )
        stats = {r["question_id"]: r for r in rows}
        data = {
            "progress": progress,
            "questions": [
                {
                    "question_id": q.pk,
                    "code": q.code,
                    "text": q.text,
                    "kind": q.kind,
                    "answers": stats.get(q.pk, {}).get("answers", 0),
                    "average": (
                        round(float(stats[q.pk]["average"]), 2)
                        if q.kind in NUMERIC_KINDS
                        and stats.get(q.pk, {}).get("average") is not None
                        else None
                    ),
                }
                for q in questions
            ],
        }
        return Response(SchoolResultsSerializer(data).data)


# --- The bank of best practices ---------------------------------------------------------


class PracticeViewSet(TenantViewSet):
    """A school's practices: write, submit; the municipality's methodist reviews them here."""

    lookup_url_kwarg = "practice_id"
    schema_tags = ["best practices"]
    action_summaries = {
        "list": _("Практики школы (все состояния)"),
        "retrieve": _("Практика с материалами"),
        "create": _("Новая практика (черновик)"),
        "partial_update": _("Изменить черновик или возвращённую практику"),
        "submit": _("Отправить практику методисту"),
        "review": _("Принять практику в банк или вернуть с замечаниями"),
        "pass_to_region": _("Передать принятую практику в региональный банк"),
        "attach": _("Приложить материалы к черновику или возвращённой практике"),
    }
    serializer_class = PracticeSerializer
    input_serializers = {
        "create": PracticeWriteSerializer,
        "partial_update": PracticeWriteSerializer,
        "review": PracticeReviewSerializer,
        "attach": PracticeFilesSerializer,
    }
    filterset_class = SchoolPracticeFilter
    action_roles = {
        "list": access.PRACTICES_READ,
        "retrieve": access.PRACTICES_READ,
        "create": access.PRACTICES_WRITE,
        "partial_update": access.PRACTICES_WRITE,
        "submit": access.PRACTICES_WRITE,
        "review": access.PRACTICE_REVIEW,
        "pass_to_region": access.PRACTICE_REVIEW,
        "attach": access.PRACTICES_WRITE,
    }
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[Practice]:
        if self.is_schema_view:
            return Practice.objects.none()
        return Practice.objects.select_related("form", "organization").prefetch_related("files")

    def list(self, request: Request, org_slug: str) -> Response:
        queryset = self.filter_queryset(self.get_queryset().order_by("-updated_at", "-pk"))
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, org_slug: str, practice_id: int) -> Response:
        return self.output(self.get_object())

    @extend_schema(request=PracticeWriteSerializer, responses={201: PracticeSerializer})
    def create(self, request: Request, org_slug: str) -> Response:
        data = self.valid_input(request)
        practice = practice_service.practice_create(
            actor=request.user, organization=self.tenant.organization, **data
        )
        return self.output(self.get_queryset().get(pk=practice.pk), status.HTTP_201_CREATED)

    @extend_schema(request=PracticeWriteSerializer, responses=PracticeSerializer)
    def partial_update(self, request: Request, org_slug: str, practice_id: int) -> Response:
        practice = self.get_object()
        data = self.valid_input(request)
        practice_service.practice_update(actor=request.user, practice=practice, **data)
        return self.output(self.get_queryset().get(pk=practice.pk))

    @extend_schema(request=None, responses=PracticeSerializer)
    def submit(self, request: Request, org_slug: str, practice_id: int) -> Response:
        practice = practice_service.practice_submit(actor=request.user, practice=self.get_object())
        return self.output(self.get_queryset().get(pk=practice.pk))

    @extend_schema(request=PracticeReviewSerializer, responses=PracticeSerializer)
    def review(self, request: Request, org_slug: str, practice_id: int) -> Response:
        practice = self.get_object()
        data = self.valid_input(request)
        if data["decision"] == "accept":
            practice_service.practice_accept(
                actor=request.user, practice=practice, comment=data["comment"]
            )
        else:
            practice_service.practice_return(
                actor=request.user, practice=practice, comment=data["comment"]
            )
        return self.output(self.get_queryset().get(pk=practice.pk))

    @extend_schema(
        request={"multipart/form-data": PracticeFilesSerializer}, responses=PracticeSerializer
    )
    def attach(self, request: Request, org_slug: str, practice_id: int) -> Response:
        """Materials are checked as every upload of the portal (mentorship/files.py)."""
        practice = self.get_object()
        data = self.valid_input(request)
        practice_service.practice_update(actor=request.user, practice=practice, files=data["files"])
        return self.output(self.get_queryset().get(pk=practice.pk))

    @extend_schema(request=None, responses=PracticeSerializer)
    def pass_to_region(self, request: Request, org_slug: str, practice_id: int) -> Response:
        practice = practice_service.practice_pass_to_region(
            actor=request.user, practice=self.get_object()
        )
        return self.output(self.get_queryset().get(pk=practice.pk))


class PracticeBankViewSet(TenantViewSet):
    """The municipal bank: accepted practices of the municipality's schools, searchable
    by form, direction and year; read at the municipality and from its schools."""

    schema_tags = ["best practices"]
    action_summaries = {"list": _("Муниципальный банк лучших практик")}
    serializer_class = BankPracticeSerializer
    filterset_class = PracticeFilter
    action_roles = {"list": access.PRACTICE_BANK}

    def get_queryset(self) -> QuerySet[Practice]:
        if self.is_schema_view:
            return Practice.objects.none()
        organization = self.tenant.organization
        municipality = organization if self.tenant.is_municipality else organization.parent
        return practice_selectors.unscoped_municipal_bank(municipality).order_by(
            "-year", "title", "pk"
        )

    def list(self, request: Request, org_slug: str) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
