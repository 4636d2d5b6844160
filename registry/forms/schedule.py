"""Forms of the calendar: planning a pair's meeting, the calendar's period and person."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorship.forms import DateInput
from registry.models import MeetingFormat, MeetingKind, PlannedMeeting


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


class PlannedMeetingForm(forms.Form):
    """The date and time are two fields (phones have pickers for each); the service
    checks the rest (the future, a place or link, an online meeting's link)."""

    day = forms.DateField(label=_("Дата"), widget=DateInput())
    time = forms.TimeField(label=_("Время"), widget=TimeInput())
    duration_minutes = forms.IntegerField(
        label=_("Длительность, мин"), min_value=15, max_value=480, initial=60
    )
    kind = forms.ChoiceField(
        label=_("Встреча"), choices=MeetingKind.choices, initial=MeetingKind.REGULAR
    )
    format = forms.ChoiceField(
        label=_("Формат"), choices=MeetingFormat.choices, initial=MeetingFormat.IN_PERSON
    )
    place = forms.CharField(label=_("Место"), max_length=300, required=False)
    link = forms.URLField(
        label=_("Ссылка на встречу"), max_length=500, required=False, assume_scheme="https"
    )
    topic = forms.CharField(label=_("Тема"), max_length=500)

    @classmethod
    def for_meeting(cls, meeting: PlannedMeeting, data=None) -> PlannedMeetingForm:
        start = timezone.localtime(meeting.starts_at)
        return cls(
            data,
            initial={
                "day": start.date(),
                "time": start.time().replace(second=0, microsecond=0),
                "duration_minutes": meeting.duration_minutes,
                "kind": meeting.kind,
                "format": meeting.format,
                "place": meeting.place,
                "link": meeting.link,
                "topic": meeting.topic,
            },
        )

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        starts_at = timezone.make_aware(dt.datetime.combine(data["day"], data["time"]))
        return {
            "starts_at": starts_at,
            "duration_minutes": data["duration_minutes"],
            "kind": data["kind"],
            "format": data["format"],
            "place": data["place"],
            "link": data["link"],
            "topic": data["topic"],
        }


class CalendarFilterForm(forms.Form):
    """`?from=` the first day (today by default), `?person=` one participant's calendar."""

    start = forms.DateField(label=_("С"), required=False, widget=DateInput())
    person = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput())
