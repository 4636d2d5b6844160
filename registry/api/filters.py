"""Query parameters of the API's lists: participants (?category=&role=&consent_state=
&grade=&search=) and pairs (?status=&programme=).

The same meanings as the registry's pages (the role and name search are the selectors'
own); declared by hand, not generated from the model, because a generated filter would
query outside the tenant scope while the schema is built.
"""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from mentorship.query import IntegerFilter
from registry.models import Category, ConsentState, Pair, PairStatus, Participant
from registry.selectors.people import ROLE_CHOICES, ROLE_FILTERS, search_names


class ParticipantFilter(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(choices=Category.choices, label=_("Категория"))
    role = django_filters.ChoiceFilter(
        choices=ROLE_CHOICES, method="filter_role", label=_("Роль в программе")
    )
    consent_state = django_filters.ChoiceFilter(
        choices=ConsentState.choices, label=_("Состояние согласия")
    )
    grade = extend_schema_field(OpenApiTypes.INT)(
        IntegerFilter(field_name="grade", label=_("Класс"))
    )
    search = django_filters.CharFilter(
        method="filter_search", label=_("ФИО: каждое слово — часть фамилии, имени или отчества")
    )

    class Meta:
        model = Participant
        fields: list[str] = []

    def filter_role(
        self, queryset: QuerySet[Participant], name: str, value: str
    ) -> QuerySet[Participant]:
        return queryset.filter(ROLE_FILTERS[value]) if value else queryset

    def filter_search(
        self, queryset: QuerySet[Participant], name: str, value: str
    ) -> QuerySet[Participant]:
        return search_names(queryset, value)


class PairFilter(django_filters.FilterSet):
    # Declared by hand: a generated ModelChoiceFilter would query programmes outside the
    # tenant scope while the schema is built.
    status = django_filters.ChoiceFilter(choices=PairStatus.choices, label=_("Статус"))
    programme = extend_schema_field(OpenApiTypes.INT)(
        IntegerFilter(field_name="programme_id", label=_("Программа"))
    )

    class Meta:
        model = Pair
        fields: list[str] = []
