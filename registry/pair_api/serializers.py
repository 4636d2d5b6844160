"""Shapes of the pairs API. Input serializers only validate shapes; services do the writes."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mentorship.documents.services import MAX_NUMBER_LENGTH
from registry.models import (
    Meeting,
    MeetingFormat,
    MeetingKind,
    MemberRole,
    MentoringForm,
    Pair,
    PairStatus,
    Programme,
)

# --- Programmes ---------------------------------------------------------------------------


class ProgrammeSerializer(serializers.ModelSerializer):
    form = serializers.SlugRelatedField(slug_field="code", read_only=True)
    form_name = serializers.CharField(source="form.name", read_only=True)

    class Meta:
        model = Programme
        fields = [
            "id",
            "name",
            "form",
            "form_name",
            "operator",
            "mentors_description",
            "mentor_role",
            "mentees_description",
            "period_text",
            "starts_on",
            "ends_on",
        ]
        read_only_fields = fields


class ProgrammeWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=300)
    # Forms are shared reference data (not a tenant's rows): a plain queryset is safe.
    form = serializers.SlugRelatedField(
        slug_field="code",
        queryset=MentoringForm.objects.all(),
        help_text=_("Код формы наставничества, например teacher-student."),
    )
    operator = serializers.CharField(max_length=300, required=False, allow_blank=True)
    mentors_description = serializers.CharField(max_length=300)
    mentor_role = serializers.CharField(required=False, allow_blank=True)
    mentees_description = serializers.CharField(max_length=300)
    period_text = serializers.CharField(max_length=200, required=False, allow_blank=True)
    starts_on = serializers.DateField(required=False, allow_null=True)
    ends_on = serializers.DateField(required=False, allow_null=True)


# --- Suggestions ----------------------------------------------------------------------------


class PersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField()
    text = serializers.CharField()
    points = serializers.FloatField()


class SuggestionSerializer(serializers.Serializer):
    mentor = PersonRefSerializer()
    mentee = PersonRefSerializer()
    score = serializers.FloatField()
    reasons = ReasonSerializer(many=True)


class SuggestionsSerializer(serializers.Serializer):
    programme = serializers.IntegerField()
    suggestions = SuggestionSerializer(many=True)
    unmatched = PersonRefSerializer(
        many=True, help_text=_("Наставляемые без пары: поддержка и продолжение поиска.")
    )
    without_consent = serializers.IntegerField(
        help_text=_("Сколько людей формы программы не вошли в подбор: нет согласия.")
    )
    total_score = serializers.FloatField()


class ChosenPairSerializer(serializers.Serializer):
    mentor = serializers.IntegerField(min_value=1)
    mentee = serializers.IntegerField(min_value=1)


class AcceptSerializer(serializers.Serializer):
    pairs = ChosenPairSerializer(many=True, allow_empty=False)


# --- Pairs ----------------------------------------------------------------------------------


@extend_schema_field(
    {"type": "string", "enum": list(PairStatus.values)}, component_name="PairStatusEnum"
)
class PairStatusField(serializers.ChoiceField):
    """The pair's status as its own schema component (meetings have other enums)."""


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
    programme = serializers.IntegerField(min_value=1)
    mentor_ids = serializers.ListField(child=serializers.IntegerField(min_value=1))
    mentee_ids = serializers.ListField(child=serializers.IntegerField(min_value=1))
    goals = serializers.CharField(required=False, allow_blank=True, default="")
    starts_on = serializers.DateField(required=False, allow_null=True, default=None)
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)


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
    attended = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list
    )


# --- The order ------------------------------------------------------------------------------


class OrderRequestSerializer(serializers.Serializer):
    pair_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        allow_null=True,
        default=None,
        help_text=_(
            "Пары приказа; без них — все предложенные и утверждённые пары программ текущего года."
        ),
    )
    date = serializers.DateField(required=False, allow_null=True, default=None)
    number = serializers.CharField(
        max_length=MAX_NUMBER_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Номер приказа; без него — следующий по журналу школы за год."),
    )


class OrderSerializer(serializers.Serializer):
    document = serializers.IntegerField(source="pk")
    number = serializers.CharField()
    date = serializers.DateField()
    status = serializers.CharField()
    error = serializers.CharField()
    pair_ids = serializers.ListField(child=serializers.IntegerField(), source="params.pair_ids")
    detail_url = serializers.CharField()
    download_url = serializers.CharField(allow_null=True)
