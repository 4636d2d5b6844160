"""Forms of the mentors' council pages; the services do the writing and validation."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mentorship.forms import DateInput
from registry.models import CouncilRole


class CouncilForm(forms.Form):
    title = forms.CharField(label=_("Название"), max_length=300, initial=_("Совет наставников"))
    purpose = forms.CharField(
        label=_("Цели и задачи"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class MemberForm(forms.Form):
    full_name = forms.CharField(label=_("Фамилия, имя, отчество"), max_length=300)
    position = forms.CharField(label=_("Должность, место работы"), max_length=300, required=False)
    role = forms.ChoiceField(
        label=_("Роль в совете"), choices=CouncilRole.choices, initial=CouncilRole.MEMBER
    )


class PlanItemForm(forms.Form):
    topic = forms.CharField(label=_("Вопрос, мероприятие"), max_length=500)
    period_text = forms.CharField(
        label=_("Срок"), max_length=100, required=False,
        widget=forms.TextInput(attrs={"placeholder": _("например, «октябрь 2026»")}),
    )  # fmt: skip
    responsible = forms.CharField(label=_("Ответственные"), max_length=300, required=False)


class MeetingForm(forms.Form):
    date = forms.DateField(label=_("Дата"), widget=DateInput())
    place = forms.CharField(label=_("Место"), max_length=300, required=False)
    agenda = forms.CharField(
        label=_("Повестка дня"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Один вопрос в строке."),
    )


class MinutesForm(forms.Form):
    """The secretary's write-up: who was present, the course of the meeting."""

    agenda = forms.CharField(label=_("Повестка дня"), widget=forms.Textarea(attrs={"rows": 3}))
    minutes = forms.CharField(
        label=_("Ход заседания (слушали, выступили)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    present = forms.MultipleChoiceField(
        label=_("Присутствовали"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, members=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(str(m.pk), m.full_name) for m in members]


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Решение"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.TypedChoiceField(
        label=_("Ответственный (сотрудник — получит напоминание)"),
        required=False, coerce=int, empty_value=None,
    )  # fmt: skip
    owner_name = forms.CharField(
        label=_("или ответственный текстом"), max_length=300, required=False
    )
    due_on = forms.DateField(label=_("Срок"), required=False, widget=DateInput())

    def __init__(self, *args, owners=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "—")] + [
            (u.pk, u.get_full_name() or u.email) for u in owners
        ]
