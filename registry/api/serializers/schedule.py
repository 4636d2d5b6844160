"""The calendar, planned meetings and personal links in the API."""

from __future__ import annotations

from rest_framework import serializers

from registry.models import MeetingFormat, MeetingKind, PlannedMeeting


class PlannedMeetingSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    ends_at = serializers.DateTimeField(read_only=True)

    class Meta:
        model = PlannedMeeting
        fields = [
            "id",
            "pair",
            "kind",
            "kind_display",
            "starts_at",
            "ends_at",
            "duration_minutes",
            "format",
            "place",
            "link",
            "topic",
            "status",
            "sequence",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class PlannedMeetingInputSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    duration_minutes = serializers.IntegerField(min_value=15, max_value=480, default=60)
    kind = serializers.ChoiceField(choices=MeetingKind.choices, default=MeetingKind.REGULAR)
    format = serializers.ChoiceField(choices=MeetingFormat.choices, default=MeetingFormat.IN_PERSON)
    place = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    link = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")
    topic = serializers.CharField(max_length=500)


class CalendarQuerySerializer(serializers.Serializer):
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)
    person = serializers.IntegerField(required=False, min_value=1)

    def validate(self, attrs):
        start, end = attrs.get("start"), attrs.get("end")
        if start and end and (end < start or (end - start).days > 366):
            raise serializers.ValidationError(
                {"end": "Конец периода — не раньше начала и не дальше года от него."}
            )
        return attrs


class CalendarEventSerializer(serializers.Serializer):
    uid = serializers.CharField()
    source = serializers.CharField()
    title = serializers.CharField()
    all_day = serializers.BooleanField()
    start = serializers.CharField(help_text="Дата (весь день) или дата и время ISO 8601")
    end = serializers.CharField(allow_null=True)
    location = serializers.CharField()
    description = serializers.CharField()
    url = serializers.CharField()

    def to_representation(self, event):
        return {
            "uid": event.uid,
            "source": event.source,
            "title": event.title,
            "all_day": event.all_day,
            "start": event.start.isoformat(),
            "end": event.end.isoformat() if event.end else None,
            "location": event.location,
            "description": event.description,
            "url": event.url,
        }


class IssuedLinkSerializer(serializers.Serializer):
    """A link's secret address: in this response only, never again."""

    url = serializers.CharField()
    sent_to = serializers.CharField()
    issued_at = serializers.DateTimeField()


class LinkStateSerializer(serializers.Serializer):
    purpose = serializers.CharField()
    issued_at = serializers.DateTimeField()
    sent_to = serializers.CharField()
    last_used_at = serializers.DateTimeField(allow_null=True)
