"""Forms of the pair pages. They shape the input; the services in
`registry.services.pairs` and `registry.services.matching` check and write."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorship.forms import DateInput
from mentorship.query import FlagField
from registry.models import (
    MeetingFormat,
    MeetingKind,
    Pair,
    PairStatus,
    Participant,
    Programme,
    TaskStatus,
)
from registry.services.pairs import NEEDS_REASON, TRANSITIONS


class PersonChoice(forms.ModelMultipleChoiceField):
    """People of the school, shown the way the curator knows them; `notes` adds e.g. free seats."""

    def __init__(self, *args, notes: dict[int, str] | None = None, **kwargs) -> None:
        self.notes = notes or {}
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Participant) -> str:
        note = self.notes.get(obj.pk)
        return f"{obj.full_name} — {note}" if note else obj.full_name


class PairFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Статус"), required=False, choices=[("", _("Все"))] + list(PairStatus.choices)
    )
    programme = forms.ModelChoiceField(
        label=_("Программа"),
        required=False,
        queryset=Programme.objects.none(),
        empty_label=_("Все"),
    )
    # «Пары без встреч 30 дней» of the home page and the red alert above the list.
    # A strict yes/no (1/0): «?stale=maybe» is a 400, not a silently ignored filter.
    stale = FlagField(label=_("Без встреч 30 дней"), required=False)

    def __init__(self, *args, programmes, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes


class PairForm(forms.Form):
    """A pair or a group made by hand: several mentors (a co-mentor) and mentees allowed."""

    mentors = PersonChoice(
        label=_("Наставник(и)"),
        queryset=Participant.objects.none(),
        help_text=_("Второй наставник — соруководитель группы."),
    )
    mentees = PersonChoice(
        label=_("Наставляемый(е)"),
        queryset=Participant.objects.none(),
        help_text=_("Несколько наставляемых — это группа."),
    )
    goals = forms.CharField(
        label=_("Цели"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    ends_on = forms.DateField(
        label=_("Окончание"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "Пара начинается с даты приказа об утверждении пар, до приказа — со дня, когда "
            "её приняли. Без даты окончания — до конца программы."
        ),
    )

    def __init__(
        self, *args, mentors, mentees, mentor_notes: dict[int, str] | None = None, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mentors"].queryset = mentors
        self.fields["mentors"].notes = mentor_notes or {}
        self.fields["mentees"].queryset = mentees
        for name in ("mentors", "mentees"):
            self.fields[name].widget.attrs["size"] = 8


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("Новый статус"), choices=PairStatus.choices)
    reason = forms.CharField(
        label=_("Причина"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def transitions_of(pair: Pair) -> list[dict]:
    """The buttons a curator sees for this pair: allowed moves only, with 'needs a reason'."""
    return [
        {"to": to, "label": PairStatus(to).label, "needs_reason": to in NEEDS_REASON}
        for to in PairStatus.values
        if to in TRANSITIONS.get(pair.status, set())
    ]


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Встреча"), choices=MeetingKind.choices)
    held_on = forms.DateField(label=_("Дата"), initial=timezone.localdate, widget=DateInput())
    format = forms.ChoiceField(
        label=_("Формат"), choices=MeetingFormat.choices, initial=MeetingFormat.IN_PERSON
    )
    topic = forms.CharField(label=_("Тема"), max_length=500)
    result = forms.CharField(
        label=_("Результат"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    attended = forms.ModelMultipleChoiceField(
        label=_("Присутствовали"),
        required=False,
        queryset=Participant.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, members, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attended"].queryset = members
        self.fields["attended"].label_from_instance = lambda p: p.full_name
        if not self.is_bound:
            # Usually everyone comes: the curator unticks who did not.
            self.fields["attended"].initial = [p.pk for p in members]


class PlanCreateForm(forms.Form):
    mentee = forms.ModelChoiceField(
        label=_("Наставляемый"), queryset=Participant.objects.none(), empty_label=None
    )
    goals = forms.CharField(label=_("Цели"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, mentees, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mentee"].queryset = mentees
        self.fields["mentee"].label_from_instance = lambda p: p.full_name


class PlanForm(forms.Form):
    goals = forms.CharField(
        label=_("Цели"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    interim_report = forms.CharField(
        label=_("Промежуточный отчёт о выполнении"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    final_report = forms.CharField(
        label=_("Итоговый отчёт о выполнении"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Задача"), max_length=500)
    due_on = forms.DateField(label=_("Срок"), required=False, widget=DateInput())
    status = forms.ChoiceField(
        label=_("Статус"), choices=TaskStatus.choices, initial=TaskStatus.PLANNED
    )

    def __init__(self, *args, form_id: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if form_id:
            # A task row is a table row: its inputs join the row's <form> by id.
            for field in self.fields.values():
                field.widget.attrs["form"] = form_id
