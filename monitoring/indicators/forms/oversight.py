"""Forms of the region's oversight: return a submission, open a review, add to one."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from monitoring.indicators.selectors.dashboards import year_choices
from monitoring.indicators.services.oversight import MAX_TEXT
from roadmaps.models import Roadmap

TEXTAREA = forms.Textarea(attrs={"rows": 3, "class": "form-control"})


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Что доработать"), max_length=MAX_TEXT, widget=TEXTAREA, strip=True
    )


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Сообщение"), max_length=MAX_TEXT, widget=TEXTAREA, strip=True)


class ReviewOpenForm(forms.Form):
    """The region's comment or recommendation: about a roadmap, a year's report, or both
    left empty for a general recommendation."""

    roadmap = forms.ModelChoiceField(
        label=_("Дорожная карта"),
        queryset=Roadmap.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    year = forms.TypedChoiceField(
        label=_("Отчёт за год"),
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    text = forms.CharField(
        label=_("Замечание или рекомендация"), max_length=MAX_TEXT, widget=TEXTAREA, strip=True
    )

    def __init__(self, *args, roadmaps=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if roadmaps is not None:
            self.fields["roadmap"].queryset = roadmaps
        self.fields["year"].choices = [("", "—"), *[(y, str(y)) for y in year_choices()]]


__all__ = ["CommentForm", "ReturnForm", "ReviewOpenForm"]
