"""A person of the school's registry, as read and as written."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from mentorship.query import IdField
from registry.api.serializers.fields import (
    CategoryField,
    ConsentStateField,
)
from registry.models import (
    MentoringForm,
    Participant,
    PartnerOrganization,
)
from registry.selectors.municipal import (
    unscoped_municipal_partners,
)

# --- Participants -----------------------------------------------------------------------


class ParticipantSerializer(serializers.ModelSerializer):
    """A person of the school's registry as read (school level only)."""

    category = CategoryField(read_only=True)
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    full_name = serializers.CharField(read_only=True)
    is_young_specialist = serializers.BooleanField(read_only=True)
    partner_name = serializers.CharField(source="partner.name", read_only=True, default="")
    mentor_forms = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    mentee_forms = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    consent_state = ConsentStateField(read_only=True)

    class Meta:
        model = Participant
        fields = [
            "id",
            "last_name",
            "first_name",
            "patronymic",
            "full_name",
            "birth_date",
            "phone",
            "email",
            "category",
            "category_display",
            "grade",
            "class_letter",
            "position",
            "subject",
            "experience_years",
            "is_young_specialist",
            "study_place",
            "partner",
            "partner_name",
            "has_sen",
            "is_gifted",
            "in_difficult_situation",
            "is_mentor",
            "is_mentee",
            "mentor_forms",
            "mentee_forms",
            "consent_state",
            "consent_valid_until",
            "in_mentor_base",
            "depersonalize_after",
            "depersonalized_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ParticipantWriteSerializer(serializers.Serializer):
    """The fields a curator enters. Every one is optional here: the service says, in
    Russian, what a person must have (names, category, grade of a pupil, a role)."""

    last_name = serializers.CharField(max_length=100, required=False)
    first_name = serializers.CharField(max_length=100, required=False)
    patronymic = serializers.CharField(max_length=100, required=False, allow_blank=True)
    birth_date = serializers.DateField(required=False, allow_null=True)
    phone = serializers.CharField(max_length=50, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    category = CategoryField(required=False)
    # The range is the service's rule, with its own message («Класс должен быть от 1 до 11»).
    grade = serializers.IntegerField(
        required=False, allow_null=True, min_value=-32768, max_value=32767
    )
    class_letter = serializers.CharField(max_length=5, required=False, allow_blank=True)
    position = serializers.CharField(max_length=200, required=False, allow_blank=True)
    subject = serializers.CharField(max_length=200, required=False, allow_blank=True)
    experience_years = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=80
    )
    study_place = serializers.CharField(max_length=300, required=False, allow_blank=True)
    partner = IdField(
        required=False,
        allow_null=True,
        help_text=_("Организация-партнёр школы или её муниципалитета."),
    )
    has_sen = serializers.BooleanField(required=False)
    is_gifted = serializers.BooleanField(required=False)
    in_difficult_situation = serializers.BooleanField(required=False)
    is_mentor = serializers.BooleanField(required=False)
    is_mentee = serializers.BooleanField(required=False)
    mentor_forms = serializers.ListField(
        child=serializers.SlugField(), required=False, help_text=_("Коды форм наставничества.")
    )
    mentee_forms = serializers.ListField(
        child=serializers.SlugField(), required=False, help_text=_("Коды форм наставничества.")
    )

    def validate_partner(self, value: int | None) -> PartnerOrganization | None:
        if value is None:
            return None
        # The school's own partners (in the tenant scope) or its municipality's.
        partner = PartnerOrganization.objects.filter(pk=value).first()
        if partner is None:
            school = self.context["organization"]
            partner = next((p for p in unscoped_municipal_partners(school) if p.pk == value), None)
        if partner is None:
            raise serializers.ValidationError(_("Нет такой организации-партнёра."))
        return partner

    def _forms(self, codes: list[str]) -> list[MentoringForm]:
        found = {f.code: f for f in MentoringForm.objects.filter(code__in=codes)}
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise serializers.ValidationError(
                _("Неизвестные формы наставничества: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        return [found[c] for c in codes]

    def validate_mentor_forms(self, value: list[str]) -> list[MentoringForm]:
        return self._forms(value)

    def validate_mentee_forms(self, value: list[str]) -> list[MentoringForm]:
        return self._forms(value)
