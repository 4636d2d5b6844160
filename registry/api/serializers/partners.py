"""Partner organisations of a school or a municipality."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from registry.api.serializers.fields import (
    PartnerKindField,
)
from registry.models import (
    PartnerOrganization,
)

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
