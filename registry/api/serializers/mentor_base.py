"""The municipal mentor base and the schools' suppressed counts."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from mentorship.query import IdField
from registry.api.serializers.fields import (
    CategoryField,
)
from registry.selectors.municipal import (
    MENTOR_BASE_CATEGORIES,
    CountsTable,
)

# --- The municipal mentor base ----------------------------------------------------------


class MentorBaseQuerySerializer(serializers.Serializer):
    search = serializers.CharField(
        required=False, allow_blank=True, help_text=_("ФИО, должность, предмет, компетенции.")
    )
    school = IdField(required=False, help_text=_("Школа муниципалитета."))
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
