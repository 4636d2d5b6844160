"""Query parameters of the pair list: ?status=&programme=."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from registry.models import Pair, PairStatus


class PairFilter(django_filters.FilterSet):
    # Declared by hand: a generated ModelChoiceFilter would query programmes outside the
    # tenant scope while the schema is built.
    status = django_filters.ChoiceFilter(choices=PairStatus.choices, label=_("Статус"))
    programme = extend_schema_field(OpenApiTypes.INT)(
        django_filters.NumberFilter(field_name="programme_id", label=_("Программа"))
    )

    class Meta:
        model = Pair
        fields: list[str] = []
