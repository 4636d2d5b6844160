"""Forms of the bank of best practices: the practice, the review, the bank's search.

They only validate input; services/practices.py writes. The mentoring forms come as
(id, name) choices from the list the view has read once, not a ModelChoiceField that
would query them again to validate.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from monitoring.models import MIN_YEAR, Practice, PracticeCategory, PracticeStatus
from monitoring.selectors.practices import form_choices


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several materials at once; each is checked by the service (mentorship/files.py)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def year_field_choices() -> list[tuple[int, int]]:
    return [(y, y) for y in range(timezone.localdate().year, MIN_YEAR - 1, -1)]


class PracticeForm(forms.Form):
    title = forms.CharField(label=_("Название практики"), max_length=300)
    form = forms.TypedChoiceField(label=_("Форма наставничества"), coerce=int)
    category = forms.ChoiceField(
        label=_("Направление"), choices=[("", "—"), *PracticeCategory.choices]
    )
    year = forms.TypedChoiceField(label=_("Год"), coerce=int)
    description = forms.CharField(
        label=_("Описание практики"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Цель, участники, что и как делают наставник и наставляемый."),
    )
    results = forms.CharField(
        label=_("Результаты"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Чего достигли участники: цифры, продукты, отзывы."),
    )
    files = MultipleFileField(
        label=_("Материалы"),
        required=False,
        help_text=_("PDF, Word, JPG, PNG или TIFF, до 10 МБ каждый."),
    )

    def __init__(self, *args, forms_choices=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["form"].choices = [("", "—"), *forms_choices]
        self.fields["year"].choices = year_field_choices()
        if not self.is_bound and "year" not in self.initial:
            self.initial["year"] = timezone.localdate().year


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Решение"),
        choices=[("accept", _("Принять в банк")), ("return", _("Вернуть на доработку"))],
    )
    comment = forms.CharField(
        label=_("Замечания"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Обязательны, если практика возвращается на доработку."),
    )


class PracticeFilter(django_filters.FilterSet):
    """The bank's search: by form, direction and year (the web page and the API)."""

    form = django_filters.ChoiceFilter(
        label=_("Форма"), field_name="form_id", empty_label=_("Все формы")
    )
    category = django_filters.ChoiceFilter(
        label=_("Направление"), choices=PracticeCategory.choices, empty_label=_("Все направления")
    )
    year = django_filters.ChoiceFilter(label=_("Год"), empty_label=_("Все годы"))
    q = django_filters.CharFilter(
        label=_("Поиск"),
        method="filter_text",
        widget=forms.TextInput(attrs={"placeholder": _("Слово из названия или описания")}),
    )

    class Meta:
        model = Practice
        fields: list[str] = []

    def __init__(self, *args, forms_choices=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = form_choices() if forms_choices is None else forms_choices
        self.filters["form"].extra["choices"] = list(choices)
        self.filters["year"].extra["choices"] = year_field_choices()

    def filter_text(self, queryset, name: str, value: str):
        for word in value.split()[:5]:
            queryset = queryset.filter(Q(title__icontains=word) | Q(description__icontains=word))
        return queryset


class SchoolPracticeFilter(PracticeFilter):
    status = django_filters.ChoiceFilter(
        label=_("Состояние"), choices=PracticeStatus.choices, empty_label=_("Все состояния")
    )
