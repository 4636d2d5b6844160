"""Search and filters of the curator's registry (django-filter).

The filters only narrow the queryset the view hands in (already scoped to the school and
prefetched), so they cannot widen what a page may show.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from registry.models import Category, ConsentState, MentoringForm, Participant
from registry.selectors import people as selectors

GRADE_CHOICES = [(str(n), str(n)) for n in range(1, 12)]


class ParticipantFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("ФИО"),
        method="filter_name",
        widget=forms.TextInput(attrs={"placeholder": _("Фамилия, имя…")}),
    )
    category = django_filters.ChoiceFilter(
        label=_("Категория"), choices=Category.choices, empty_label=_("Все категории")
    )
    role = django_filters.ChoiceFilter(
        label=_("Роль"),
        choices=selectors.ROLE_CHOICES,
        method="filter_role",
        empty_label=_("Все роли"),
    )
    # Choices from the list the view already holds (one query shared with the bulk
    # form), not a ModelChoiceFilter that would query the forms once more to validate.
    form = django_filters.ChoiceFilter(
        label=_("Форма"),
        choices=[],
        method="filter_form",
        empty_label=_("Все формы"),
    )
    consent = django_filters.ChoiceFilter(
        label=_("Согласие"),
        field_name="consent_state",
        choices=ConsentState.choices,
        empty_label=_("Любое согласие"),
    )
    grade = django_filters.ChoiceFilter(
        label=_("Класс"), choices=GRADE_CHOICES, empty_label=_("Все классы")
    )

    class Meta:
        model = Participant
        fields: list[str] = []

    def __init__(self, *args, forms: list[MentoringForm] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if forms is None:
            forms = list(MentoringForm.objects.all())
        self.filters["form"].extra["choices"] = [(str(f.pk), f.name) for f in forms]

    def filter_name(self, queryset, name, value):
        return selectors.search_names(queryset, value)

    def filter_role(self, queryset, name, value):
        return queryset.filter(selectors.ROLE_FILTERS[value])

    def filter_form(self, queryset, name, value):
        return selectors.with_form(queryset, int(value))
