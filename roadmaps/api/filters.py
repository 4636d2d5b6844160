"""Query parameters of the activity list: ?status=&overdue=&deadline_unclear=&section=."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from mentorship.query import FlagFilter, IntegerFilter
from roadmaps.models import STORED_STATUSES, Activity, ActivityStatus, Roadmap, RoadmapStatus


class ActivityFilter(django_filters.FilterSet):
    # Declared by hand, not generated from the model: a generated ModelChoiceFilter
    # would query sections outside the tenant scope while the schema is built.
    status = django_filters.ChoiceFilter(choices=STORED_STATUSES, label=_("Статус"))
    overdue = FlagFilter(method="filter_overdue", label=_("Просрочено"))
    deadline_unclear = FlagFilter(label=_("Срок требует уточнения"))
    section = extend_schema_field(OpenApiTypes.INT)(
        IntegerFilter(field_name="section_id", label=_("Раздел"))
    )

    class Meta:
        model = Activity
        fields: list[str] = []

    @extend_schema_field(OpenApiTypes.BOOL)
    def filter_overdue(
        self, queryset: QuerySet[Activity], name: str, value: bool | None
    ) -> QuerySet[Activity]:
        if value is None:
            return queryset
        # The same rule as Activity.effective_status(), in SQL.
        overdue = Q(due_date__lt=timezone.localdate()) & ~Q(status=ActivityStatus.DONE)
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class RoadmapFilter(django_filters.FilterSet):
    # Declared for the same reason: generating it would query outside the scope.
    status = django_filters.ChoiceFilter(choices=RoadmapStatus.choices, label=_("Статус"))

    class Meta:
        model = Roadmap
        fields: list[str] = []
