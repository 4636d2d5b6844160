"""Shapes of the registry API. Input serializers only check types; services validate
the rules (in Russian) and write."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from registry.models import (
    Category,
    Consent,
    ConsentGiver,
    ConsentPurpose,
    ConsentState,
    MentoringForm,
    Participant,
    PartnerKind,
    PartnerOrganization,
)
from registry.selectors.municipal import (
    MENTOR_BASE_CATEGORIES,
    CountsTable,
    unscoped_municipal_partners,
)

# --- Enums with names of their own ------------------------------------------------------
# Several apps have a `kind`, a `category` or a `state`: a name per enum keeps the
# schema generator from inventing (or colliding on) one.


def _enum_field(choices: type, component: str) -> type[serializers.ChoiceField]:
    @extend_schema_field({"type": "string", "enum": list(choices.values)}, component_name=component)
    class Field(serializers.ChoiceField):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(choices=choices.choices, **kwargs)

    Field.__name__ = f"{component}Field"
    return Field


CategoryField = _enum_field(Category, "ParticipantCategoryEnum")
ConsentStateField = _enum_field(ConsentState, "ConsentStateEnum")
ConsentGiverField = _enum_field(ConsentGiver, "ConsentGiverEnum")
ConsentPurposeField = _enum_field(ConsentPurpose, "ConsentPurposeEnum")
PartnerKindField = _enum_field(PartnerKind, "PartnerKindEnum")


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
    grade = serializers.IntegerField(required=False, allow_null=True)
    class_letter = serializers.CharField(max_length=5, required=False, allow_blank=True)
    position = serializers.CharField(max_length=200, required=False, allow_blank=True)
    subject = serializers.CharField(max_length=200, required=False, allow_blank=True)
    experience_years = serializers.IntegerField(required=False, allow_null=True)
    study_place = serializers.CharField(max_length=300, required=False, allow_blank=True)
    partner = serializers.IntegerField(
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


# --- Consents ---------------------------------------------------------------------------


class ConsentSerializer(serializers.ModelSerializer):
    given_by = ConsentGiverField(read_only=True)
    given_by_display = serializers.CharField(source="get_given_by_display", read_only=True)
    purposes = serializers.ListField(child=ConsentPurposeField(), read_only=True)
    has_scan = serializers.SerializerMethodField()
    state = serializers.SerializerMethodField()

    class Meta:
        model = Consent
        fields = [
            "id",
            "participant",
            "given_by",
            "given_by_display",
            "giver_name",
            "giver_relation",
            "given_on",
            "purposes",
            "valid_until",
            "has_scan",
            "withdrawn_on",
            "withdrawal_reason",
            "state",
            "created_at",
        ]
        read_only_fields = fields

    def get_has_scan(self, consent: Consent) -> bool:
        # The scan itself is a signed document: it is fetched through the school's pages,
        # which log the download, never as a bare media URL.
        return bool(consent.scan)

    @extend_schema_field(ConsentStateField())
    def get_state(self, consent: Consent) -> str:
        return consent.state()


class ConsentCreateSerializer(serializers.Serializer):
    given_by = ConsentGiverField()
    giver_name = serializers.CharField(max_length=300, required=False, allow_blank=True)
    giver_relation = serializers.CharField(max_length=100, required=False, allow_blank=True)
    given_on = serializers.DateField()
    purposes = serializers.ListField(child=ConsentPurposeField(), allow_empty=False)
    valid_until = serializers.DateField(required=False, allow_null=True)
    scan = serializers.FileField(
        required=False,
        allow_null=True,
        help_text=_("PDF, JPG, PNG, TIFF или DOCX до 10 МБ; проверяется по содержимому."),
    )


class ConsentWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    withdrawn_on = serializers.DateField(
        required=False, allow_null=True, help_text=_("По умолчанию — сегодня.")
    )

    def validate_withdrawn_on(self, value: date | None) -> date | None:
        if value and value > date.today():
            raise serializers.ValidationError(_("Дата отзыва не может быть в будущем."))
        return value


# --- Partners ---------------------------------------------------------------------------


class PartnerSerializer(serializers.ModelSerializer):
    kind = PartnerKindField(read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = PartnerOrganization
        fields = [
            "id",
            "kind",
            "kind_display",
            "name",
            "inn",
            "contact_person",
            "phone",
            "email",
            "agreement_number",
            "agreement_date",
        ]
        read_only_fields = fields


class PartnerWriteSerializer(serializers.Serializer):
    kind = PartnerKindField(required=False)
    name = serializers.CharField(max_length=300, required=False)
    inn = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text=_("10 цифр у организации, 12 — у индивидуального предпринимателя."),
    )
    contact_person = serializers.CharField(max_length=200, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=50, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    agreement_number = serializers.CharField(max_length=50, required=False, allow_blank=True)
    agreement_date = serializers.DateField(required=False, allow_null=True)


# --- The municipal mentor base ----------------------------------------------------------


class MentorBaseQuerySerializer(serializers.Serializer):
    search = serializers.CharField(
        required=False, allow_blank=True, help_text=_("ФИО, должность, предмет, компетенции.")
    )
    school = serializers.IntegerField(required=False, help_text=_("Школа муниципалитета."))
    category = serializers.ChoiceField(
        choices=[(c.value, c.label) for c in MENTOR_BASE_CATEGORIES], required=False
    )


class MentorBaseEntrySerializer(serializers.Serializer):
    """A mentor as the municipal base shows them: no birth date, no flags, no consents."""

    participant_id = serializers.IntegerField()
    school_id = serializers.IntegerField()
    school_name = serializers.CharField()
    full_name = serializers.CharField()
    category = CategoryField()
    category_label = serializers.CharField()
    position = serializers.CharField()
    subject = serializers.CharField()
    experience_years = serializers.IntegerField(allow_null=True)
    study_place = serializers.CharField()
    partner_name = serializers.CharField()
    competencies = serializers.CharField()
    subjects = serializers.CharField()
    interests = serializers.CharField()
    max_mentees = serializers.IntegerField(allow_null=True)
    has_sen_experience = serializers.BooleanField()
    forms = serializers.ListField(child=serializers.CharField())
    phone = serializers.CharField()
    email = serializers.CharField()


class CountsColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    group = serializers.CharField()
    group_label = serializers.CharField()
    consented = serializers.BooleanField()


class CountsSchoolSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    short_name = serializers.CharField()


class CountsRowSerializer(serializers.Serializer):
    school = CountsSchoolSerializer()
    cells = serializers.DictField(
        child=serializers.IntegerField(allow_null=True),
        help_text=_("Значение по ключу столбца; null — меньше порога (скрыто)."),
    )


class CountsTotalSerializer(serializers.Serializer):
    value = serializers.IntegerField(help_text=_("Сумма показанных значений столбца."))
    partial = serializers.BooleanField(
        help_text=_("В столбце есть скрытые значения; они в сумму не входят.")
    )


class CountsSerializer(serializers.Serializer):
    threshold = serializers.IntegerField(help_text=_("Значения меньше порога скрыты (null)."))
    columns = CountsColumnSerializer(many=True)
    rows = CountsRowSerializer(many=True)
    totals = serializers.DictField(child=CountsTotalSerializer())


def counts_data(table: CountsTable) -> dict[str, Any]:
    """Plain data for CountsSerializer; suppressed cells are already None in the table."""
    keys = [c.key for c in table.columns]
    return {
        "threshold": table.threshold,
        "columns": [
            {
                "key": c.key,
                "group": c.group,
                "group_label": str(c.group_label),
                "consented": c.consented,
            }
            for c in table.columns
        ],
        "rows": [
            {
                "school": {"id": r.school_id, "slug": r.school_slug, "short_name": r.school_name},
                "cells": {k: cell.value for k, cell in zip(keys, r.cells, strict=True)},
            }
            for r in table.rows
        ],
        "totals": {
            k: {"value": t.value, "partial": t.partial}
            for k, t in zip(keys, table.totals, strict=True)
        },
    }
