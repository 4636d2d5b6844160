"""The school of mentors in the API: courses with sessions and listeners. A listener is
named (adults of the course's school, or of the municipal mentor base) and nothing more:
no birth date, no contacts."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from registry.models import COURSE_HOURS_MAX, Course, CourseSession, CourseStatus, Enrollment


class SessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = CourseSession
        fields = ["id", "date", "starts_at", "topic", "hours", "place"]
        read_only_fields = fields


class EnrollmentSerializer(serializers.ModelSerializer):
    participant_id = serializers.IntegerField(read_only=True)
    full_name = serializers.CharField(source="participant.full_name", read_only=True)
    school = serializers.CharField(source="participant.organization.short_name", read_only=True)
    attended_session_ids = serializers.SerializerMethodField()
    certificate_id = serializers.IntegerField(read_only=True, allow_null=True)
    certificate_number = serializers.SerializerMethodField()

    class Meta:
        model = Enrollment
        fields = [
            "id",
            "participant_id",
            "full_name",
            "school",
            "enrolled_on",
            "completed_on",
            "attended_session_ids",
            "certificate_id",
            "certificate_number",
        ]
        read_only_fields = fields

    def get_attended_session_ids(self, obj: Enrollment) -> list[int]:
        return sorted(a.session_id for a in obj.attendance.all())

    def get_certificate_number(self, obj: Enrollment) -> str:
        return obj.certificate.number if obj.certificate else ""


class CourseSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Course
        fields = [
            "id", "title", "programme", "hours", "trainers", "starts_on", "ends_on",
            "status", "status_display",
        ]  # fmt: skip
        read_only_fields = fields


class CourseDetailSerializer(CourseSerializer):
    sessions = SessionSerializer(many=True, read_only=True)
    enrollments = EnrollmentSerializer(many=True, read_only=True)

    class Meta(CourseSerializer.Meta):
        fields = [*CourseSerializer.Meta.fields, "sessions", "enrollments"]
        read_only_fields = fields


class CourseWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300, required=False)
    programme = serializers.CharField(required=False, allow_blank=True)
    hours = serializers.IntegerField(min_value=1, max_value=COURSE_HOURS_MAX, required=False)
    trainers = serializers.CharField(max_length=500, required=False, allow_blank=True)
    starts_on = serializers.DateField(required=False, allow_null=True)
    ends_on = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=CourseStatus.choices, required=False)


class CourseCreateSerializer(CourseWriteSerializer):
    title = serializers.CharField(max_length=300)
    hours = serializers.IntegerField(min_value=1, max_value=COURSE_HOURS_MAX)


class SessionCreateSerializer(serializers.Serializer):
    date = serializers.DateField()
    starts_at = serializers.TimeField(required=False, allow_null=True)
    topic = serializers.CharField(max_length=300)
    hours = serializers.IntegerField(min_value=1, max_value=24, required=False)
    place = serializers.CharField(max_length=300, required=False, allow_blank=True)


class IdsSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        max_length=1000,
        allow_empty=True,
        help_text=_("Номера участников (зачисление) или слушателей (окончившие)."),
    )


class CourseAttendanceSerializer(serializers.Serializer):
    marks = serializers.ListField(
        child=serializers.ListField(
            child=serializers.IntegerField(min_value=1), min_length=2, max_length=2
        ),
        max_length=20000,
        allow_empty=True,
        help_text=_("Вся сетка посещаемости: пары [номер занятия, номер слушателя]."),
    )
