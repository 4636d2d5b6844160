"""Competitions, their nominees, and a jury member's scores."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from registry.models import Competition, CompetitionKind, Criterion, Nomination, Nominee
from registry.models.competitions import MAX_CRITERION_SCORE


class NominationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Nomination
        fields = ["id", "title"]
        read_only_fields = fields


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "title", "max_score"]
        read_only_fields = fields


class CompetitionSerializer(serializers.ModelSerializer):
    nominations = NominationSerializer(many=True, read_only=True)
    criteria = CriterionSerializer(many=True, read_only=True)

    class Meta:
        model = Competition
        fields = [
            "id",
            "title",
            "kind",
            "status",
            "description",
            "nominations_until",
            "judging_until",
            "published_at",
            "nominations",
            "criteria",
        ]
        read_only_fields = fields


class CriterionInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    max_score = serializers.IntegerField(min_value=1, max_value=MAX_CRITERION_SCORE)


class CompetitionWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    kind = serializers.ChoiceField(choices=CompetitionKind.choices, default=CompetitionKind.MENTOR)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    nominations = serializers.ListField(
        child=serializers.CharField(max_length=200), min_length=1, max_length=20
    )
    criteria = CriterionInputSerializer(many=True)
    nominations_until = serializers.DateField()
    judging_until = serializers.DateField()


class NomineeSerializer(serializers.ModelSerializer):
    school = serializers.CharField(source="organization.short_name", read_only=True)
    full_name = serializers.CharField(read_only=True)

    class Meta:
        model = Nominee
        fields = [
            "id",
            "nomination",
            "school",
            "full_name",
            "position",
            "practice_title",
            "total",
            "place",
        ]
        read_only_fields = fields


class NomineeWriteSerializer(serializers.Serializer):
    nomination = serializers.IntegerField()
    participant = serializers.IntegerField(required=False, allow_null=True, default=None)
    practice_title = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )
    description = serializers.CharField(required=False, allow_blank=True, default="")


class JuryWriteSerializer(serializers.Serializer):
    user = serializers.IntegerField(help_text=_("Сотрудник муниципалитета или его школы."))


class ScoreSerializer(serializers.Serializer):
    nominee = serializers.IntegerField()
    criterion = serializers.IntegerField()
    value = serializers.IntegerField(min_value=0, max_value=MAX_CRITERION_SCORE, allow_null=True)


class ScoreSheetSerializer(serializers.Serializer):
    scores = ScoreSerializer(many=True)
