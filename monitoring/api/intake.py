"""API of the candidates' intake (issue 15): the candidates with their links' state, sending
links, the review list, accepting answers; the links of the choice after a group meeting.
Each write is one call of the service the web pages call; the rules are monitoring's."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mentorship.api import TenantViewSet
from mentorship.tenancy.access import get_in_tenant_or_404
from monitoring import access
from monitoring.models import Response as AnswerSheet
from monitoring.selectors import intake as selectors
from monitoring.services import intake as service
from monitoring.services.partner_choice import choice_links_send
from registry.models import GroupMeeting


class CandidateSerializer(serializers.Serializer):
    participant_id = serializers.IntegerField(source="participant.pk")
    name = serializers.CharField(source="participant.short_name")
    roles = serializers.ListField(child=serializers.CharField())
    consent_state = serializers.CharField(source="participant.consent_state")
    status = serializers.ChoiceField(
        choices=["none", "revoked", "print", "sent", "answered", "accepted"],
        help_text="none: не отправлена; print: на листе с QR-кодом; sent: письмо; "
        "answered: ответ ждёт проверки; accepted: принята в реестр; revoked: ссылка отозвана",
    )


class SendInputSerializer(serializers.Serializer):
    participants = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1)


class SendResultSerializer(serializers.Serializer):
    campaign_id = serializers.IntegerField(allow_null=True)
    created = serializers.IntegerField()
    restored = serializers.IntegerField()
    by_email = serializers.IntegerField()
    by_sheet = serializers.IntegerField()
    already = serializers.IntegerField()
    refused = serializers.ListField(child=serializers.CharField())


class AnswerLineSerializer(serializers.Serializer):
    question = serializers.CharField()
    answer = serializers.CharField()


class ReviewSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="response.pk")
    participant_id = serializers.IntegerField(source="response.participant_id")
    name = serializers.CharField(source="response.participant.short_name")
    role = serializers.CharField(source="response.role")
    questionnaire = serializers.CharField(source="response.questionnaire.title")
    updated_at = serializers.DateTimeField(source="response.updated_at")
    changed_after_accept = serializers.BooleanField()
    answers = serializers.SerializerMethodField()

    def get_answers(self, row) -> list[dict]:
        return [{"question": q, "answer": a} for q, a in row.answers]


class AcceptedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    participant_id = serializers.IntegerField()
    accepted_at = serializers.DateTimeField()


class AcceptAllSerializer(serializers.Serializer):
    accepted = serializers.IntegerField()
    refused = serializers.ListField(child=serializers.CharField())


class IntakeViewSet(TenantViewSet):
    schema_tags = ["intake"]
    action_summaries = {
        "candidates": _("Кандидаты школы и состояние их ссылок на анкету"),
        "send": _("Отправить анкету выбранным кандидатам (личные ссылки)"),
        "review": _("Ответы кандидатов, ждущие проверки"),
        "accept": _("Принять ответ кандидата в реестр"),
        "accept_all": _("Принять в реестр все ответы, ждущие проверки"),
        "choice_links": _("Личные ссылки для выбора после групповой встречи"),
    }
    serializer_class = CandidateSerializer
    input_serializers = {"send": SendInputSerializer}
    action_roles = {
        "candidates": access.INTAKE_READ,
        "send": access.INTAKE,
        "review": access.INTAKE_READ,
        "accept": access.INTAKE,
        "accept_all": access.INTAKE,
        "choice_links": access.INTAKE,
    }

    def get_queryset(self):
        # Only the schema generator asks: each action reads its own selector.
        return AnswerSheet.objects.none()

    @extend_schema(responses=CandidateSerializer(many=True))
    def candidates(self, request: Request, org_slug: str) -> Response:
        rows = selectors.candidates()
        return Response(CandidateSerializer(rows, many=True).data)

    @extend_schema(request=SendInputSerializer, responses=SendResultSerializer)
    def send(self, request: Request, org_slug: str) -> Response:
        data = self.valid_input(request)
        result = service.intake_send(
            actor=request.user,
            school=self.tenant.organization,
            participant_ids=data["participants"],
        )
        return Response(SendResultSerializer(result).data)

    @extend_schema(responses=ReviewSerializer(many=True))
    def review(self, request: Request, org_slug: str) -> Response:
        return Response(ReviewSerializer(selectors.review_rows(), many=True).data)

    @extend_schema(request=None, responses=AcceptedSerializer)
    def accept(self, request: Request, org_slug: str, response_id: int) -> Response:
        sheet = get_in_tenant_or_404(
            AnswerSheet.objects.select_related("campaign", "participant"), pk=response_id
        )
        sheet = service.intake_accept(actor=request.user, response=sheet)
        return Response(AcceptedSerializer(sheet).data)

    @extend_schema(request=None, responses=AcceptAllSerializer)
    def accept_all(self, request: Request, org_slug: str) -> Response:
        accepted, refused = service.intake_accept_all(actor=request.user)
        return Response(AcceptAllSerializer({"accepted": accepted, "refused": refused}).data)

    @extend_schema(request=None, responses=SendResultSerializer)
    def choice_links(self, request: Request, org_slug: str, group_meeting_id: int) -> Response:
        meeting = get_in_tenant_or_404(GroupMeeting, pk=group_meeting_id)
        result = choice_links_send(actor=request.user, meeting=meeting)
        return Response(SendResultSerializer(result).data)
