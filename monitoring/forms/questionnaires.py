"""Forms of the questionnaire builder. They only validate input: services write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from monitoring.models import Audience, Kind, QuestionKind


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
