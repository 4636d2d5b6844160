"""Query parameters of the participant list: ?category=&role=&consent_state=&grade=&search=.

The same meanings as the curator's registry page; declared by hand, not generated from
the model, because a generated filter would query outside the tenant scope while the
schema is built.
"""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from registry.models import Category, ConsentState, Participant

ROLE_FILTERS = {
    "mentor": Q(is_mentor=True),
    "mentee": Q(is_mentee=True),
    "both": Q(is_mentor=True, is_mentee=True),
}
ROLE_CHOICES = [
    ("mentor", _("Наставники")),
    ("mentee", _("Наставляемые")),
    ("both", _("Наставник и наставляемый")),
]
# More words than this is a pasted paragraph, not a name.
MAX_SEARCH_WORDS = 5


class ParticipantFilter(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(choices=Category.choices, label=_("Категория"))
    role = django_filters.ChoiceFilter(
        choices=ROLE_CHOICES, method="filter_role", label=_("Роль в программе")
    )
    consent_state = django_filters.ChoiceFilter(
        choices=ConsentState.choices, label=_("Состояние согласия")
    )
    grade = extend_schema_field(OpenApiTypes.INT)(
        django_filters.NumberFilter(field_name="grade", label=_("Класс"))
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
        for word in value.split()[:MAX_SEARCH_WORDS]:
            queryset = queryset.filter(
                Q(last_name__icontains=word)
                | Q(first_name__icontains=word)
                | Q(patronymic__icontains=word)
            )
        return queryset
