"""Forms of competitions: announce, seat the jury, nominate; the rewards page's choice."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mentorship.forms import DateInput
from registry.models import CompetitionKind

NOMINATIONS_HELP = _("Одна номинация в строке.")
CRITERIA_HELP = _(
    "Один критерий в строке: название и максимальный балл через точку с запятой, "
    "например «Результаты наставляемых; 10»."
)


class CompetitionForm(forms.Form):
    title = forms.CharField(label=_("Название"), max_length=300, initial="Лучший наставник")
    kind = forms.ChoiceField(
        label=_("Вид"), choices=CompetitionKind.choices, initial=CompetitionKind.MENTOR
    )
    nominations = forms.CharField(
        label=_("Номинации"), widget=forms.Textarea(attrs={"rows": 3}), help_text=NOMINATIONS_HELP
    )
    criteria = forms.CharField(
        label=_("Критерии оценки"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=CRITERIA_HELP,
    )
    nominations_until = forms.DateField(label=_("Приём заявок до"), widget=DateInput())
    judging_until = forms.DateField(label=_("Оценивание до"), widget=DateInput())
    description = forms.CharField(
        label=_("Условия"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class JuryForm(forms.Form):
    user = forms.TypedChoiceField(label=_("Член жюри"), coerce=int)

    def __init__(self, *args, candidates, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", "—")] + [
            (u.pk, f"{u.get_full_name() or u.email} ({u.email})") for u in candidates
        ]


class NominateForm(forms.Form):
    nomination = forms.TypedChoiceField(label=_("Номинация"), coerce=int)
    participant = forms.TypedChoiceField(
        label=_("Наставник"), coerce=int, required=False, empty_value=None
    )
    practice_title = forms.CharField(label=_("Практика"), max_length=300, required=False)
    description = forms.CharField(
        label=_("Представление"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    file = forms.FileField(
        label=_("Материалы (PDF, изображение или Word, до 10 МБ)"), required=False
    )

    def __init__(self, *args, nominations, mentors, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nomination"].choices = [(n.pk, n.title) for n in nominations]
        self.fields["participant"].choices = [("", "—")] + [
            (p.pk, " ".join(x for x in (p.last_name, p.first_name, p.patronymic) if x))
            for p in mentors
        ]


class RewardsForm(forms.Form):
    """The rewards page: whom the reward order names, which partners get letters."""

    ORDER, LETTERS = "reward_order", "thank_you_letter"
    kind = forms.ChoiceField(choices=[(ORDER, ORDER), (LETTERS, LETTERS)])
    participant_ids = forms.TypedMultipleChoiceField(
        label=_("Наставники"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    partner_ids = forms.TypedMultipleChoiceField(
        label=_("Партнёры"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, mentors, partners, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participant_ids"].choices = mentors
        self.fields["partner_ids"].choices = partners

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == self.ORDER and not data.get("participant_ids"):
            self.add_error("participant_ids", _("Отметьте наставников для приказа."))
        if kind == self.LETTERS and not data.get("partner_ids"):
            self.add_error("partner_ids", _("Отметьте партнёров для писем."))
        return data
