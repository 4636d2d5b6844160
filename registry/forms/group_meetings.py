"""The group meeting's form; the service sets the organisation and checks the programme."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorship.forms import DateInput
from registry.models import Programme


class GroupMeetingForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Программа"), queryset=Programme.objects.none())
    held_on = forms.DateField(label=_("Дата"), initial=timezone.localdate, widget=DateInput())
    starts_at = forms.TimeField(
        label=_("Время"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    place = forms.CharField(label=_("Место или ссылка"), max_length=300, required=False)
    topic = forms.CharField(label=_("Тема"), max_length=300, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.filter(closed_at__isnull=True)
