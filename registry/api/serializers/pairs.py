"""Pairs and groups with their members, proposals, transitions, and the meeting log."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mentorship.query import IdField
from registry.api.serializers.fields import (
    PairStatusField,
)
from registry.models import (
    Meeting,
    MeetingFormat,
    MeetingKind,
    MemberRole,
    Pair,
    PairStatus,
)

# --- Pairs ----------------------------------------------------------------------------------


class MemberSerializer(serializers.Serializer):
    participant = serializers.IntegerField(source="participant_id")
    role = serializers.ChoiceField(choices=MemberRole.choices)
    full_name = serializers.CharField(source="participant.full_name")
    category = serializers.CharField(source="participant.category")


class PairSerializer(serializers.ModelSerializer):
    programme_name = serializers.CharField(source="programme.name", read_only=True)
    form = serializers.SlugRelatedField(slug_field="code", read_only=True)
    status = PairStatusField(choices=PairStatus.choices, read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    order_number = serializers.SerializerMethodField()
    order_date = serializers.SerializerMethodField()
    members = serializers.SerializerMethodField()

    class Meta:
        model = Pair
        fields = [
            "id",
            "number",
            "programme",
            "programme_name",
            "form",
            "status",
            "status_display",
            "starts_on",
            "ends_on",
            "goals",
            "score",
            "reasons",
            "end_reason",
            "order",
            "order_number",
            "order_date",
            "members",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_order_number(self, pair: Pair) -> str | None:
        return pair.order.number if pair.order_id else None

    def get_order_date(self, pair: Pair) -> Any:
        return pair.order.date if pair.order_id else None

    @extend_schema_field(MemberSerializer(many=True))
    def get_members(self, pair: Pair) -> list[dict[str, Any]]:
        # The viewset prefetches into `prefetched_members`: no query per pair.
        members = getattr(pair, "prefetched_members", None)
        if members is None:
            members = list(pair.members.select_related("participant"))
        return MemberSerializer(members, many=True).data


class PairCreateSerializer(serializers.Serializer):
    programme = IdField()
    mentor_ids = serializers.ListField(child=IdField())
    mentee_ids = serializers.ListField(child=IdField())
    goals = serializers.CharField(required=False, allow_blank=True, default="")
    ends_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_(
            "Без даты — до конца программы. Начало не задаётся: день принятия пары, "
            "после приказа — дата приказа."
        ),
    )


class TransitionSerializer(serializers.Serializer):
    to = PairStatusField(choices=PairStatus.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


# --- Meetings -------------------------------------------------------------------------------


class MeetingSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    attended = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "pair",
            "kind",
            "kind_display",
            "held_on",
            "format",
            "topic",
            "result",
            "attended",
            "created_at",
        ]
        read_only_fields = fields

    def get_attended(self, meeting: Meeting) -> list[int]:
        # `.all()` reads the prefetch cache when the view made one.
        return sorted(p.pk for p in meeting.attended.all())


class MeetingCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MeetingKind.choices)
    held_on = serializers.DateField()
    format = serializers.ChoiceField(choices=MeetingFormat.choices, default=MeetingFormat.IN_PERSON)
    topic = serializers.CharField(max_length=500)
    result = serializers.CharField(required=False, allow_blank=True, default="")
    attended = serializers.ListField(child=IdField(), required=False, default=list)
