"""The form that starts a campaign. It only validates input: services write."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorship.forms import DateInput
from monitoring.models import PARTICIPANT_KINDS, Questionnaire, Stage


class CampaignForm(forms.Form):
    title = forms.CharField(
        label=_("Название"),
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": _("Мониторинг — ноябрь 2026")}),
    )
    stage = forms.ChoiceField(label=_("Этап"), choices=Stage.choices, initial=Stage.INTERIM)
    starts_on = forms.DateField(label=_("Начало"), widget=DateInput())
    ends_on = forms.DateField(label=_("Окончание"), widget=DateInput())
    mentor_questionnaire = forms.ModelChoiceField(
        label=_("Анкета для наставников"), queryset=Questionnaire.objects.none(), required=False
    )
    mentee_questionnaire = forms.ModelChoiceField(
        label=_("Анкета для наставляемых"), queryset=Questionnaire.objects.none(), required=False
    )
    remind_every_days = forms.IntegerField(
        label=_("Напоминать не ответившим раз в, дней"), min_value=1, max_value=30, initial=3
    )

    def __init__(self, *args, organization, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        offered = (
            Questionnaire.objects.available_at(organization)
            .exclude(kind__in=PARTICIPANT_KINDS)
            .filter(is_current=True)
            .order_by("organization_id", "title")
        )
        self.fields["mentor_questionnaire"].queryset = offered.exclude(audience="mentee")
        self.fields["mentee_questionnaire"].queryset = offered.exclude(audience="mentor")
        if not self.is_bound:
            today = timezone.localdate()
            self.initial.setdefault("starts_on", today)
            self.initial.setdefault("ends_on", today + timedelta(days=14))
            by_code = {q.standard_code: q.pk for q in offered if q.standard_code}
            self.initial.setdefault("mentor_questionnaire", by_code.get("mentor_satisfaction"))
            self.initial.setdefault("mentee_questionnaire", by_code.get("mentee_satisfaction"))


class MunicipalityQuery(forms.Form):
    """`?municipality=<id>` on a region's campaign: the schools of one municipality."""

    municipality = forms.IntegerField(required=False, min_value=1)
