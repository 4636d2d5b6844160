"""Group meetings, who was invited and came, and the rankings made after them."""

from __future__ import annotations

from rest_framework import serializers

from registry.models import MAX_CHOICES, GroupMeeting, Programme


class GroupMeetingSerializer(serializers.ModelSerializer):
    programme_name = serializers.CharField(source="programme.name", read_only=True)
    invited_count = serializers.IntegerField(read_only=True)
    attended_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = GroupMeeting
        fields = [
            "id",
            "programme",
            "programme_name",
            "held_on",
            "starts_at",
            "place",
            "topic",
            "invited_count",
            "attended_count",
        ]
        read_only_fields = fields


class GroupMeetingWriteSerializer(serializers.Serializer):
    programme = serializers.PrimaryKeyRelatedField(queryset=Programme.objects.none())
    held_on = serializers.DateField()
    starts_at = serializers.TimeField(required=False, allow_null=True, default=None)
    place = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    topic = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    def get_fields(self):
        fields = super().get_fields()
        # The tenant's own programmes only (the scope is active outside schema builds).
        if self.context.get("organization") is not None:
            fields["programme"].queryset = Programme.objects.all()
        return fields


class AttendeeSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="row.pk")
    participant_id = serializers.IntegerField(source="row.participant_id")
    name = serializers.CharField(source="row.participant.short_name")
    role = serializers.CharField(source="row.role")
    attended = serializers.BooleanField(source="row.attended", allow_null=True)
    chosen = serializers.SerializerMethodField()
    mutual_first_id = serializers.SerializerMethodField()

    def get_chosen(self, row) -> list[int]:
        return [p.pk for p in row.chosen]

    def get_mutual_first_id(self, row) -> int | None:
        return row.mutual_first.pk if row.mutual_first else None


class GroupMeetingDetailSerializer(serializers.Serializer):
    meeting = GroupMeetingSerializer()
    participants = AttendeeSerializer(many=True)


class InviteSerializer(serializers.Serializer):
    mentors = serializers.ListField(child=serializers.IntegerField(min_value=1), default=list)
    mentees = serializers.ListField(child=serializers.IntegerField(min_value=1), default=list)


class AttendanceSerializer(serializers.Serializer):
    attended = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        help_text="id строк участников встречи (participants[].id), которые пришли",
    )


class PreferenceSerializer(serializers.Serializer):
    participant = serializers.IntegerField(min_value=1)
    role = serializers.ChoiceField(choices=["mentor", "mentee"])
    chosen = serializers.ListField(
        child=serializers.IntegerField(min_value=1), max_length=MAX_CHOICES
    )


class CountSerializer(serializers.Serializer):
    count = serializers.IntegerField()
