"""Consents under 152-ФЗ: as read, recorded and withdrawn."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from registry.api.serializers.fields import (
    ConsentGiverField,
    ConsentPurposeField,
    ConsentStateField,
)
from registry.models import (
    Consent,
)

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
            "giver_contact",
            "on_paper",
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
    giver_contact = serializers.CharField(max_length=200, required=False, allow_blank=True)
    on_paper = serializers.BooleanField(required=False, default=True)
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
        if value and value > timezone.localdate():
            raise serializers.ValidationError(_("Дата отзыва не может быть в будущем."))
        return value
