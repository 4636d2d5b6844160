"""Forms of the builder and of campaigns. They only validate input: services write."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorship.forms import DateInput
from monitoring.models import Audience, Kind, QuestionKind, Questionnaire, Stage


class QuestionnaireForm(forms.Form):
    title = forms.CharField(label=_("Название"), max_length=300)
    kind = forms.ChoiceField(label=_("Вид"), choices=Kind.choices, initial=Kind.CUSTOM)
    audience = forms.ChoiceField(label=_("Кто отвечает"), choices=Audience.choices)
    description = forms.CharField(
        label=_("Вступление для участника"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SectionForm(forms.Form):
    title = forms.CharField(label=_("Название раздела"), max_length=300)


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Вопрос"), widget=forms.Textarea(attrs={"rows": 2}))
    kind = forms.ChoiceField(label=_("Тип ответа"), choices=QuestionKind.choices)
    options = forms.CharField(
        label=_("Варианты ответа"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Для выбора из списка: каждый вариант с новой строки."),
    )
    required = forms.BooleanField(label=_("Обязательный вопрос"), required=False, initial=True)
    help_text = forms.CharField(label=_("Подсказка"), max_length=300, required=False)
    code = forms.SlugField(
        label=_("Код"),
        max_length=50,
        required=False,
        help_text=_(
            "Необязательно. Одинаковый код связывает вопросы входной и итоговой анкет, "
            "чтобы сравнить ответы."
        ),
    )

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["options"] = (data.get("options") or "").splitlines()
        return data

    @classmethod
    def for_question(cls, question, prefix: str) -> QuestionForm:
        return cls(
            prefix=prefix,
            initial={
                "text": question.text,
                "kind": question.kind,
                "options": "\n".join(question.options),
                "required": question.required,
                "help_text": question.help_text,
                "code": question.code,
            },
        )


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
