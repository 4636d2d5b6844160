"""Mentors' councils in the API: councils with members, plan and meetings; a meeting with
agenda, minutes, who was present and decisions."""

from __future__ import annotations

from rest_framework import serializers

from registry.models import (
    Council,
    CouncilDecision,
    CouncilMeeting,
    CouncilMember,
    CouncilPlanItem,
    CouncilRole,
)


class CouncilMemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = CouncilMember
        fields = ["id", "full_name", "position", "role"]
        read_only_fields = fields


class PlanItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = CouncilPlanItem
        fields = ["id", "topic", "period_text", "responsible"]
        read_only_fields = fields


class MeetingBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = CouncilMeeting
        fields = ["id", "number", "date", "place"]
        read_only_fields = fields


class CouncilSerializer(serializers.ModelSerializer):
    members = CouncilMemberSerializer(many=True, read_only=True)
    plan_items = PlanItemSerializer(many=True, read_only=True)
    meetings = MeetingBriefSerializer(many=True, read_only=True)

    class Meta:
        model = Council
        fields = ["id", "title", "purpose", "members", "plan_items", "meetings"]
        read_only_fields = fields


class DecisionSerializer(serializers.ModelSerializer):
    owner_id = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = CouncilDecision
        fields = ["id", "text", "owner_id", "owner_name", "due_on", "done_on"]
        read_only_fields = fields


class CouncilMeetingSerializer(serializers.ModelSerializer):
    council_id = serializers.IntegerField(read_only=True)
    present_ids = serializers.SerializerMethodField()
    decisions = DecisionSerializer(many=True, read_only=True)
    protocol_id = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = CouncilMeeting
        fields = [
            "id", "council_id", "number", "date", "place", "agenda", "minutes",
            "present_ids", "decisions", "protocol_id",
        ]  # fmt: skip
        read_only_fields = fields

    def get_present_ids(self, obj: CouncilMeeting) -> list[int]:
        return sorted(m.pk for m in obj.present.all())


class CouncilCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    purpose = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class MemberCreateSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=300)
    position = serializers.CharField(max_length=300, required=False, allow_blank=True)
    role = serializers.ChoiceField(choices=CouncilRole.choices, required=False)


class CouncilMeetingCreateSerializer(serializers.Serializer):
    date = serializers.DateField()
    place = serializers.CharField(max_length=300, required=False, allow_blank=True)
    agenda = serializers.CharField(max_length=5000)
    minutes = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    present = serializers.ListField(child=serializers.IntegerField(), required=False)


class MeetingUpdateSerializer(serializers.Serializer):
    date = serializers.DateField(required=False)
    place = serializers.CharField(max_length=300, required=False, allow_blank=True)
    agenda = serializers.CharField(max_length=5000, required=False)
    minutes = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    present = serializers.ListField(child=serializers.IntegerField(), required=False)


class DecisionCreateSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=5000)
    owner = serializers.IntegerField(required=False, allow_null=True)
    owner_name = serializers.CharField(max_length=300, required=False, allow_blank=True)
    due_on = serializers.DateField(required=False, allow_null=True)


class DecisionDoneSerializer(serializers.Serializer):
    decision = serializers.IntegerField(min_value=1)
    done = serializers.BooleanField(default=True)
