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
    responsible_name = serializers.SerializerMethodField()

    def get_responsible_name(self, programme: Programme) -> str | None:
        person = programme.responsible
        return (person.get_full_name() or person.email) if person else None

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
            "responsible",
            "responsible_name",
            "goals",
            "expected_results",
            "mentor_capacity",
            "closed_at",
        ]
        read_only_fields = fields


class ProgrammeWriteSerializer(serializers.Serializer):
    """Parses only: what a programme may hold (blank text, the form, the capacity, the
    responsible person) is checked by the service, in the same words as the pages."""

    name = serializers.CharField(required=False, allow_blank=True)
    # Forms are shared reference data (not a tenant's rows): a plain queryset is safe.
    form = serializers.SlugRelatedField(
        slug_field="code",
        queryset=MentoringForm.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("Код формы наставничества, например teacher-student."),
    )
    operator = serializers.CharField(required=False, allow_blank=True)
    responsible = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text=_("Сотрудник школы (id пользователя с ролью в этой школе) или null."),
    )
    mentors_description = serializers.CharField(required=False, allow_blank=True)
    mentor_role = serializers.CharField(required=False, allow_blank=True)
    mentees_description = serializers.CharField(required=False, allow_blank=True)
    period_text = serializers.CharField(required=False, allow_blank=True)
    starts_on = serializers.DateField(required=False, allow_null=True)
    ends_on = serializers.DateField(required=False, allow_null=True)
    goals = serializers.CharField(required=False, allow_blank=True)
    expected_results = serializers.CharField(required=False, allow_blank=True)
    mentor_capacity = serializers.IntegerField(
        required=False,
        help_text=_("Наставляемых на одного наставника без анкеты, от 1 до 30."),
    )
