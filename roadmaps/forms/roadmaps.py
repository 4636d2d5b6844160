"""Creating a roadmap, its title and period, and its approval order."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorship.forms import DateInput
from roadmaps.models import Roadmap


def school_year_start(today: date | None = None) -> date:
    today = today or timezone.localdate()
    return date(today.year if today.month >= 9 else today.year - 1, 9, 1)


class RoadmapCreateForm(forms.Form):
    START_BLANK, START_STANDARD, START_COPY = "blank", "standard", "copy"
    title = forms.CharField(label=_("Наименование"), max_length=500)
    period_start = forms.DateField(label=_("Начало периода"), widget=DateInput())
    period_end = forms.DateField(label=_("Окончание периода"), widget=DateInput())
    start_from = forms.ChoiceField(
        label=_("С чего начать"),
        choices=[
            (START_STANDARD, _("Типовая дорожная карта по этапам целевой модели")),
            (START_COPY, _("Копия дорожной карты прошлого года")),
            (START_BLANK, _("Пустая дорожная карта")),
        ],
        initial=START_STANDARD,
        widget=forms.RadioSelect,
    )
    copy_of = forms.ModelChoiceField(
        label=_("Какую дорожную карту скопировать"),
        queryset=Roadmap.objects.none(),
        required=False,
    )

    def __init__(self, *args, roadmaps=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        start = school_year_start()
        self.fields["period_start"].initial = start
        self.fields["period_end"].initial = date(start.year + 1, 8, 31)
        self.fields["title"].initial = _(
            "Дорожная карта внедрения целевой модели наставничества на %(a)s–%(b)s учебный год"
        ) % {"a": start.year, "b": start.year + 1}
        if roadmaps is not None:
            self.fields["copy_of"].queryset = roadmaps

    def clean(self):
        data = super().clean()
        if data.get("start_from") == self.START_COPY and not data.get("copy_of"):
            self.add_error("copy_of", _("Выберите дорожную карту, которую нужно скопировать."))
        return data


class RoadmapEditForm(forms.ModelForm):
    class Meta:
        model = Roadmap
        fields = ["title", "period_start", "period_end"]
        widgets = {"period_start": DateInput(), "period_end": DateInput()}


class ApproveForm(forms.Form):
    order_number = forms.CharField(label=_("Номер приказа"), max_length=50)
    order_date = forms.DateField(
        label=_("Дата приказа"), widget=DateInput(), initial=timezone.localdate
    )
