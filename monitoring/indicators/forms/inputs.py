"""Small forms: the year, an organisation's contingent, its own targets."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from mentorship.models import Organization
from mentorship.query import valid_query
from monitoring.indicators.definitions import DEFINITIONS, Indicator
from monitoring.indicators.models import Contingent
from monitoring.indicators.selectors.counts import Targets
from monitoring.indicators.selectors.dashboards import default_year, year_choices
from monitoring.indicators.services.inputs import MAX_COUNT, contingent_fields

HELP = {
    "pupils_10_19": _("Все обучающиеся организации, кому на 1 сентября исполнилось 10–19 лет."),
    "pupils_15_19": _("Из них — 15–19 лет на 1 сентября."),
    "college_students": _("Все студенты СПО (для муниципалитета — всех колледжей территории)."),
    "young_specialists": _("Педагоги со стажем работы до 3 лет включительно."),
    "young_teachers": _("Педагоги, которым на 1 сентября меньше 35 лет."),
    "enterprises": _("Предприятия и организации территории, с которыми можно работать."),
}


class YearForm(forms.Form):
    year = forms.TypedChoiceField(
        label=_("Год"), coerce=int, widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in year_choices()]

    @classmethod
    def year_of(cls, data) -> int:
        """The year asked for (`?year=` or the posted field), the current one when none is
        given; a year that is not one of the choices (`abc`, `1900`) is a 400 with the
        reason, never quietly the current year (mentorship/query.py)."""
        if not str(data.get("year") or "").strip():
            return default_year()
        return valid_query(cls(data))["year"]


class ContingentForm(forms.Form):
    def __init__(self, *args, organization: Organization, instance: Contingent | None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in contingent_fields(organization):
            self.fields[name.value] = forms.IntegerField(
                label=name.label,
                required=False,
                min_value=0,
                max_value=MAX_COUNT,
                help_text=HELP.get(name.value, ""),
                initial=getattr(instance, name.value) if instance else None,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )


class TargetsForm(forms.Form):
    """One field per indicator; empty means "as the level above" (shown as placeholder)."""

    def __init__(
        self,
        *args,
        own: dict[str, Decimal],
        inherited: Targets,
        year: int,
        regional: bool,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        for indicator in Indicator:
            if indicator == Indicator.MUNICIPALITIES and not regional:
                continue  # a region's indicator: a municipality has no target of its own
            above = inherited.for_year(indicator.value, year)
            placeholder = f"{above.percent} ({above.year})" if above else "—"
            self.fields[indicator.value] = forms.DecimalField(
                label=DEFINITIONS[indicator.value].label,
                required=False,
                min_value=0,
                max_value=100,
                decimal_places=1,
                max_digits=4,
                initial=own.get(indicator.value),
                widget=forms.NumberInput(attrs={"step": "0.1", "placeholder": placeholder}),
            )


class QuarterForm(YearForm):
    """The federal form's period: a year and a quarter (both required)."""

    quarter = forms.TypedChoiceField(
        label=_("Квартал"),
        coerce=int,
        choices=[(q, str(q)) for q in (1, 2, 3, 4)],
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    @classmethod
    def period_of(cls, data) -> tuple[int, int]:
        """A bad or missing year or quarter is a 400 with the reason (mentorship/query.py)."""
        cleaned = valid_query(cls(data))
        return cleaned["year"], cleaned["quarter"]
