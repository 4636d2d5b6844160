"""Shapes of the roadmaps API. Input serializers only validate; services do the writes."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mentorship.events import Event
from roadmaps.models import (
    STORED_STATUSES,
    Activity,
    ActivityStatus,
    Roadmap,
    RoadmapStatus,
    Section,
)
from roadmaps.selectors import ProgressMatrix

# --- Roadmaps -------------------------------------------------------------------------


@extend_schema_field(
    {"type": "string", "enum": list(RoadmapStatus.values)}, component_name="RoadmapStatusEnum"
)
class RoadmapStatusField(serializers.ChoiceField):
    """A roadmap's status, as its own schema component.

    Activities have a `status` too, with other values; without a name of its own the
    schema generator would have to invent one for one of the two enums.
    """


class RoadmapSerializer(serializers.ModelSerializer):
    status = RoadmapStatusField(choices=RoadmapStatus.choices, read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Roadmap
        fields = [
            "id",
            "title",
            "period_start",
            "period_end",
            "status",
            "status_display",
            "is_editable",
            "version",
            "previous_version",
            "origin",
            "order_number",
            "order_date",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class RoadmapCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=500)
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    from_standard = serializers.BooleanField(
        default=False, help_text=_("Заполнить разделами и мероприятиями типовой формы.")
    )


class RoadmapUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=500, required=False)
    period_start = serializers.DateField(required=False)
    period_end = serializers.DateField(required=False)


class ApproveSerializer(serializers.Serializer):
    order_number = serializers.CharField(max_length=50)
    order_date = serializers.DateField()


class CascadeResultSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text=_("Сколько мероприятий создано в планах школ."))
    schools = serializers.IntegerField(help_text=_("Сколько школ в муниципалитете."))


# --- The progress matrix of a municipal roadmap ----------------------------------------


class MatrixColumnSerializer(serializers.Serializer):
    activity_id = serializers.IntegerField()
    number = serializers.CharField()
    title = serializers.CharField()
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.IntegerField(allow_null=True)


class MatrixSchoolSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    short_name = serializers.CharField()


class MatrixRowSerializer(serializers.Serializer):
    school = MatrixSchoolSerializer()
    cells = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("Статус по каждому столбцу; пустая строка — у школы нет этого мероприятия."),
    )
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.IntegerField(allow_null=True)


class MatrixSerializer(serializers.Serializer):
    columns = MatrixColumnSerializer(many=True)
    rows = MatrixRowSerializer(many=True)
    overdue_count = serializers.IntegerField()


def matrix_data(matrix: ProgressMatrix) -> dict[str, Any]:
    """Plain data for MatrixSerializer: the selector's dataclasses, flattened."""
    return {
        "columns": [
            {
                "activity_id": c.activity.pk,
                "number": c.activity.number,
                "title": c.activity.title,
                "done": c.done,
                "total": c.total,
                "percent": c.percent,
            }
            for c in matrix.columns
        ],
        "rows": [
            {
                "school": {
                    "id": r.school.pk,
                    "slug": r.school.slug,
                    "short_name": r.school.short_name,
                },
                "cells": r.cells,
                "done": r.done,
                "total": r.total,
                "percent": r.percent,
            }
            for r in matrix.rows
        ],
        "overdue_count": matrix.overdue_count,
    }


# --- Sections -------------------------------------------------------------------------


class SectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Section
        fields = ["id", "roadmap", "position", "title", "for_every_school", "origin"]
        read_only_fields = ["id", "roadmap", "position", "origin"]


class MoveSerializer(serializers.Serializer):
    offset = serializers.ChoiceField(
        choices=[(-1, _("Вверх")), (1, _("Вниз"))], help_text=_("-1 — вверх, 1 — вниз.")
    )


# --- Activities -----------------------------------------------------------------------


class ActivitySerializer(serializers.ModelSerializer):
    """An activity as read: the deadline as written and as parsed, and its progress."""

    effective_status = serializers.SerializerMethodField()
    # The permission-checked, audited download page, never the storage's own URL: the
    # media are private (in a bucket, a presigned link would bypass the tenant rules).
    evidence_file = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = [
            "id",
            "roadmap",
            "section",
            "parent",
            "position",
            "number",
            "title",
            "content",
            "responsible_text",
            "deadline_text",
            "deadline",
            "deadline_kind",
            "deadline_unclear",
            "due_date",
            "expected_result",
            "document_kind",
            "for_every_school",
            "status",
            "effective_status",
            "comment",
            "evidence_url",
            "evidence_file",
            "status_changed_at",
            "auto_event",
            "auto_done_at",
            "auto_note",
            "origin",
            "locally_changed",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_evidence_file(self, activity: Activity) -> str | None:
        if not activity.evidence_file:
            return None
        request = self.context["request"]
        path = reverse(
            "roadmaps:activity_evidence",
            kwargs={"org_slug": request.tenant.organization.slug, "activity_id": activity.pk},
        )
        return request.build_absolute_uri(path)

    @extend_schema_field(serializers.ChoiceField(choices=ActivityStatus.choices))
    def get_effective_status(self, activity: Activity) -> str:
        # One "today" per response, in the portal's time zone, as the overdue filter uses.
        today: date = self.context.setdefault("today", timezone.localdate())
        return activity.effective_status(today)


class ActivityWriteSerializer(serializers.Serializer):
    """The fields a person edits; the parsed deadline follows from `deadline_text`.

    Exactly the service's EDITABLE_ACTIVITY_FIELDS (a test keeps the two in step).
    """

    number = serializers.CharField(max_length=30, required=False, allow_blank=True)
    title = serializers.CharField(required=False)
    content = serializers.CharField(required=False, allow_blank=True)
    responsible_text = serializers.CharField(required=False, allow_blank=True)
    deadline_text = serializers.CharField(max_length=500, required=False, allow_blank=True)
    expected_result = serializers.CharField(required=False, allow_blank=True)
    document_kind = serializers.CharField(max_length=300, required=False, allow_blank=True)
    for_every_school = serializers.BooleanField(required=False)
    auto_event = serializers.ChoiceField(
        choices=Event.choices,
        required=False,
        allow_blank=True,
        help_text=_("Событие портала, по которому мероприятие отметится выполненным само."),
    )


class ActivityCreateSerializer(ActivityWriteSerializer):
    """A new activity of the roadmap in the URL: its section and, for a sub-item, parent."""

    title = serializers.CharField()
    section = serializers.IntegerField(help_text=_("Раздел этой дорожной карты."))
    parent = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("Пункт, подпунктом которого станет новый.")
    )

    def validate_section(self, value: int) -> Section:
        section = self.context["roadmap"].sections.filter(pk=value).first()
        if section is None:
            raise serializers.ValidationError(_("В этой дорожной карте нет такого раздела."))
        return section

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        parent_id = attrs.pop("parent", None)
        section = attrs.pop("section")
        attrs = super().validate(attrs)
        parent = None
        if parent_id is not None:
            parent = section.activities.filter(pk=parent_id, parent__isnull=True).first()
            if parent is None:
                raise serializers.ValidationError(
                    {"parent": _("Подпункт добавляется к пункту того же раздела.")}
                )
        return {**attrs, "section": section, "parent": parent}


class ProgressSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=STORED_STATUSES)
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    evidence_url = serializers.URLField(
        max_length=500, required=False, allow_blank=True, default=""
    )
    evidence_file = serializers.FileField(
        required=False,
        allow_null=True,
        help_text=_("PDF, JPG, PNG, TIFF или DOCX до 10 МБ; проверяется по содержимому."),
    )
