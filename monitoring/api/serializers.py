"""Shapes of the monitoring API. Input serializers only validate; services do the writes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mentorship.query import IdField
from monitoring.models import (
    MIN_YEAR,
    Campaign,
    CampaignSchool,
    Practice,
    PracticeCategory,
    PracticeFile,
    Question,
    Questionnaire,
    Section,
)
from monitoring.models.campaigns import Stage
from monitoring.models.questionnaires import Kind, QuestionKind


@extend_schema_field(
    {"type": "string", "enum": list(Kind.values)}, component_name="QuestionnaireKindEnum"
)
class QuestionnaireKindField(serializers.ChoiceField):
    """A questionnaire's kind, as its own schema component (questions have `kind` too)."""


@extend_schema_field(
    {"type": "string", "enum": list(QuestionKind.values)}, component_name="QuestionKindEnum"
)
class QuestionKindField(serializers.ChoiceField):
    """A question's kind: how it is answered."""


class QuestionSerializer(serializers.ModelSerializer):
    kind = QuestionKindField(choices=QuestionKind.choices, read_only=True)

    class Meta:
        model = Question
        fields = ["id", "code", "position", "text", "help_text", "kind", "options", "required"]
        read_only_fields = fields


class QuestionnaireSectionSerializer(serializers.ModelSerializer):
    questions = QuestionSerializer(many=True, read_only=True)

    class Meta:
        model = Section
        fields = ["id", "title", "position", "questions"]
        read_only_fields = fields


class QuestionnaireSerializer(serializers.ModelSerializer):
    kind = QuestionnaireKindField(choices=Kind.choices, read_only=True)
    is_standard = serializers.BooleanField(read_only=True)
    sections = QuestionnaireSectionSerializer(many=True, read_only=True)

    class Meta:
        model = Questionnaire
        fields = [
            "id",
            "title",
            "description",
            "kind",
            "audience",
            "version",
            "is_current",
            "is_standard",
            "sections",
        ]
        read_only_fields = fields


class ResponseCountsSerializer(serializers.Serializer):
    """Counts of personal links: no names."""

    invited = serializers.IntegerField()
    responded = serializers.IntegerField()
    revoked = serializers.IntegerField()
    active = serializers.IntegerField()
    rate = serializers.IntegerField(
        allow_null=True, help_text=_("Доля ответивших, % действующих ссылок.")
    )


class CampaignSerializer(serializers.ModelSerializer):
    progress = ResponseCountsSerializer(read_only=True)
    is_open = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = [
            "id",
            "title",
            "stage",
            "starts_on",
            "ends_on",
            "closed_at",
            "is_open",
            "mentor_questionnaire",
            "mentee_questionnaire",
            "remind_every_days",
            "progress",
        ]
        read_only_fields = fields

    def get_is_open(self, campaign: Campaign) -> bool:
        return campaign.is_open()


class SchoolProgressSerializer(serializers.Serializer):
    school_id = serializers.IntegerField()
    school = serializers.CharField()
    progress = ResponseCountsSerializer()


class CampaignDetailSerializer(CampaignSerializer):
    schools = SchoolProgressSerializer(many=True, read_only=True, source="school_progress")

    class Meta(CampaignSerializer.Meta):
        fields = [*CampaignSerializer.Meta.fields, "schools"]
        read_only_fields = fields


class CampaignCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    stage = serializers.ChoiceField(choices=Stage.choices, default=Stage.INTERIM)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    mentor_questionnaire = serializers.PrimaryKeyRelatedField(
        queryset=Questionnaire.objects.all(), allow_null=True, required=False, default=None
    )
    mentee_questionnaire = serializers.PrimaryKeyRelatedField(
        queryset=Questionnaire.objects.all(), allow_null=True, required=False, default=None
    )
    remind_every_days = serializers.IntegerField(min_value=1, max_value=30, default=3)

    def get_fields(self):
        fields = super().get_fields()
        organization = self.context.get("organization")
        if organization is not None:
            # Another organisation's questionnaire does not exist here.
            offered = Questionnaire.objects.available_at(organization)
            fields["mentor_questionnaire"].queryset = offered
            fields["mentee_questionnaire"].queryset = offered
        return fields


class CampaignBriefSerializer(serializers.ModelSerializer):
    is_open = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = ["id", "title", "stage", "starts_on", "ends_on", "closed_at", "is_open"]
        read_only_fields = fields

    def get_is_open(self, campaign: Campaign) -> bool:
        return campaign.is_open()


class SchoolCampaignSerializer(serializers.ModelSerializer):
    campaign = CampaignBriefSerializer(read_only=True)
    progress = ResponseCountsSerializer(read_only=True)

    class Meta:
        model = CampaignSchool
        fields = ["id", "campaign", "invited_at", "progress"]
        read_only_fields = fields


class InviteResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    restored = serializers.IntegerField()
    by_email = serializers.IntegerField()
    by_sheet = serializers.IntegerField()


class QuestionResultSerializer(serializers.Serializer):
    question_id = serializers.IntegerField()
    code = serializers.CharField()
    text = serializers.CharField()
    kind = QuestionKindField(choices=QuestionKind.choices)
    answers = serializers.IntegerField()
    average = serializers.FloatField(allow_null=True)


class SchoolResultsSerializer(serializers.Serializer):
    progress = ResponseCountsSerializer()
    questions = QuestionResultSerializer(many=True)


# --- The bank of best practices ---------------------------------------------------------


class PracticeFileSerializer(serializers.ModelSerializer):
    class Meta:
        model = PracticeFile
        fields = ["id", "name", "uploaded_at"]
        read_only_fields = fields


class PracticeSerializer(serializers.ModelSerializer):
    form_name = serializers.CharField(source="form.name", read_only=True)
    school = serializers.CharField(source="organization.short_name", read_only=True)
    files = PracticeFileSerializer(many=True, read_only=True)

    class Meta:
        model = Practice
        fields = [
            "id",
            "title",
            "form",
            "form_name",
            "category",
            "description",
            "results",
            "year",
            "status",
            "review_comment",
            "school",
            "submitted_at",
            "reviewed_at",
            "passed_to_region_at",
            "files",
        ]
        read_only_fields = fields


class BankPracticeSerializer(PracticeSerializer):
    """A practice of the municipal bank: what the practice is, without its materials
    (they are opened at the school's address)."""

    class Meta(PracticeSerializer.Meta):
        fields = [f for f in PracticeSerializer.Meta.fields if f not in ("files", "review_comment")]
        read_only_fields = fields


class PracticeWriteSerializer(serializers.Serializer):
    """A practice's fields; the school is the URL's. PATCH may send any of them; the
    service says which a new practice lacks (400, by field)."""

    title = serializers.CharField(max_length=300, required=False)
    form = IdField(required=False, help_text=_("Форма наставничества (id)."))
    category = serializers.ChoiceField(choices=PracticeCategory.choices, required=False)
    description = serializers.CharField(required=False)
    results = serializers.CharField(required=False)
    year = serializers.IntegerField(min_value=MIN_YEAR, max_value=9999, required=False)


class PracticeReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("accept", "accept"), ("return", "return")])
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")


class PracticeFilesSerializer(serializers.Serializer):
    files = serializers.ListField(
        child=serializers.FileField(), min_length=1, max_length=10, help_text=_("Файлы материалов.")
    )
