"""Mentoring programmes of a school."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from registry.models import (
    MentoringForm,
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
