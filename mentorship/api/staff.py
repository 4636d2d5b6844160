"""The staff API of an organisation: /api/v1/o/<slug>/staff/members/ and .../invitations/.

The same rules as the staff page (mentorship/access.py STAFF_READ, STAFF_MANAGE) and
the same services, which apply the grant rule: a role the caller may not grant is a
400 with the service's Russian message.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response

from mentorship import access, selectors
from mentorship.api.schema import THROTTLED
from mentorship.models import Invitation, Membership
from mentorship.services import invitations as invitation_service
from mentorship.services import memberships as membership_service
from mentorship.services.invitations import InvitationThrottled

from .base import TenantViewSet
from .serializers import (
    InvitationCreateSerializer,
    InvitationSerializer,
    RoleSerializer,
    StaffMemberSerializer,
)

__all__ = ["InvitationViewSet", "MemberViewSet"]


def throttled(exc: InvitationThrottled) -> exceptions.Throttled:
    return exceptions.Throttled(detail=" ".join(exc.messages))


class MemberViewSet(TenantViewSet):
    lookup_url_kwarg = "membership_id"
    schema_tags = ["staff"]
    action_summaries = {
        "list": _("Сотрудники организации: роли и последний вход"),
        "retrieve": _("Сотрудник организации"),
        "partial_update": _("Сменить роль сотрудника"),
        "destroy": _("Снять роль (учётная запись остаётся)"),
    }
    serializer_class = StaffMemberSerializer
    input_serializers = {"partial_update": RoleSerializer}
    action_roles = {
        "list": access.STAFF_READ,
        "retrieve": access.STAFF_READ,
        "partial_update": access.STAFF_MANAGE,
        "destroy": access.STAFF_MANAGE,
    }

    def get_queryset(self) -> QuerySet[Membership]:
        if self.is_schema_view:
            return Membership.objects.none()
        return selectors.staff_of(self.tenant.organization).select_related("organization")

    def list(self, request: Request, org_slug: str) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(StaffMemberSerializer(page, many=True).data)

    def retrieve(self, request: Request, org_slug: str, membership_id: int) -> Response:
        return self.output(self.get_object())

    @extend_schema(request=RoleSerializer, responses=StaffMemberSerializer)
    def partial_update(self, request: Request, org_slug: str, membership_id: int) -> Response:
        membership = self.get_object()
        data = self.valid_input(request)
        membership = membership_service.membership_change_role(
            actor=request.user, membership=membership, role=data["role"]
        )
        return self.output(membership)

    def destroy(self, request: Request, org_slug: str, membership_id: int) -> Response:
        membership_service.membership_revoke(actor=request.user, membership=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationViewSet(TenantViewSet):
    lookup_url_kwarg = "invitation_id"
    schema_tags = ["staff"]
    action_summaries = {
        "list": _("Приглашения без ответа (и с истёкшим сроком)"),
        "retrieve": _("Приглашение"),
        "create": _("Пригласить сотрудника: письмо со ссылкой на 7 дней"),
        "resend": _("Отправить приглашение ещё раз (прежняя ссылка перестаёт действовать)"),
        "revoke": _("Отозвать приглашение"),
    }
    serializer_class = InvitationSerializer
    input_serializers = {"create": InvitationCreateSerializer}
    action_roles = {
        "list": access.STAFF_READ,
        "retrieve": access.STAFF_READ,
        "create": access.STAFF_MANAGE,
        "resend": access.STAFF_MANAGE,
        "revoke": access.STAFF_MANAGE,
    }

    def get_queryset(self) -> QuerySet[Invitation]:
        if self.is_schema_view:
            return Invitation.objects.none()
        return selectors.open_invitations_of(self.tenant.organization).select_related(
            "organization"
        )

    def list(self, request: Request, org_slug: str) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(InvitationSerializer(page, many=True).data)

    def retrieve(self, request: Request, org_slug: str, invitation_id: int) -> Response:
        return self.output(self.get_object())

    @extend_schema(
        request=InvitationCreateSerializer, responses={201: InvitationSerializer, 429: THROTTLED}
    )
    def create(self, request: Request, org_slug: str) -> Response:
        data = self.valid_input(request)
        try:
            invitation = invitation_service.invitation_create(
                actor=request.user, organization=self.tenant.organization, **data
            )
        except InvitationThrottled as exc:
            raise throttled(exc) from exc
        return self.output(invitation, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: InvitationSerializer, 429: THROTTLED})
    def resend(self, request: Request, org_slug: str, invitation_id: int) -> Response:
        try:
            invitation = invitation_service.invitation_resend(
                actor=request.user, invitation=self.get_object()
            )
        except InvitationThrottled as exc:
            raise throttled(exc) from exc
        return self.output(invitation)

    @extend_schema(request=None, responses=InvitationSerializer)
    def revoke(self, request: Request, org_slug: str, invitation_id: int) -> Response:
        invitation = invitation_service.invitation_revoke(
            actor=request.user, invitation=self.get_object()
        )
        return self.output(invitation)
