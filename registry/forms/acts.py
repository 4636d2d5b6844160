"""The form of a local act: its kind's parameters, filled with the organisation's data.

Each kind (registry/documents/acts) reads a few parameters from `Document.params`; this
form asks for exactly those, with the defaults the builders would take anyway shown
and chosen up front: the organisation's curator (a municipality: its methodist), every
adult mentor with a consent, every partner. What the person changes is what the act
says; the service (`document_request`) stores it as the command and the API do.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorship.documents.services import MAX_NUMBER_LENGTH
from mentorship.forms import DateInput

# The parameters each kind reads (registry/documents/acts/orders.py, letters.py).
CURATOR, PEOPLE, PARTNERS, COURSE = "curator", "people", "partners", "course"
KIND_PARAMS: dict[str, tuple[str, ...]] = {
    "model_order": (CURATOR,),
    "curator_order": (CURATOR,),
    "regulation": (),
    "mentor_school_order": (CURATOR, COURSE, PEOPLE),
    "council_order": (CURATOR, PEOPLE),
    "reward_order": (PEOPLE,),
    "thank_you_letter": (PARTNERS,),
    "mentor_certificate": (COURSE, PEOPLE),
}
PEOPLE_LABELS = {
    "mentor_school_order": _("Слушатели «Школы наставников»"),
    "council_order": _("Члены Совета наставников"),
    "reward_order": _("Кого наградить"),
    "mentor_certificate": _("Кому выдать сертификат"),
}
DEFAULT_COURSE = "Школа наставника"
DEFAULT_HOURS = 36


class LocalActForm(forms.Form):
    number = forms.CharField(
        label=_("Номер"),
        required=False,
        max_length=MAX_NUMBER_LENGTH,
        help_text=_("Оставьте пустым, чтобы взять следующий номер."),
    )
    date = forms.DateField(label=_("Дата"), initial=timezone.localdate, widget=DateInput())
    curator = forms.CharField(
        label=_("Куратор (ФИО полностью)"),
        max_length=300,
        required=False,
        help_text=_("В приказе имя встанет в нужном падеже."),
    )
    position = forms.CharField(label=_("Должность куратора"), max_length=300, required=False)
    course = forms.CharField(label=_("Программа обучения"), max_length=200, required=False)
    hours = forms.IntegerField(label=_("Объём, часов"), min_value=1, max_value=500, required=False)
    participant_ids = forms.TypedMultipleChoiceField(
        label=_("Наставники"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    partner_ids = forms.TypedMultipleChoiceField(
        label=_("Партнёры"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self,
        *args,
        kind: str,
        curator: tuple[str, str] = ("", ""),
        people: list[tuple[int, str]] = (),
        partners: list[tuple[int, str]] = (),
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        wanted = KIND_PARAMS[kind]
        if CURATOR not in wanted:
            del self.fields["curator"], self.fields["position"]
        else:
            self.initial.setdefault("curator", curator[0])
            self.initial.setdefault("position", curator[1])
        if COURSE not in wanted:
            del self.fields["course"], self.fields["hours"]
        else:
            self.initial.setdefault("course", DEFAULT_COURSE)
            self.initial.setdefault("hours", DEFAULT_HOURS)
        if PEOPLE not in wanted:
            del self.fields["participant_ids"]
        else:
            field = self.fields["participant_ids"]
            field.choices = list(people)
            field.label = PEOPLE_LABELS.get(kind, field.label)
            self.initial.setdefault("participant_ids", [pk for pk, _name in people])
        if PARTNERS not in wanted:
            del self.fields["partner_ids"]
        else:
            self.fields["partner_ids"].choices = list(partners)
            self.initial.setdefault("partner_ids", [pk for pk, _name in partners])

    def clean_number(self) -> str:
        return self.cleaned_data["number"].strip()

    def clean(self):
        data = super().clean()
        if PEOPLE in KIND_PARAMS[self.kind] and not data.get("participant_ids"):
            self.add_error("participant_ids", _("Выберите хотя бы одного наставника."))
        if PARTNERS in KIND_PARAMS[self.kind] and not data.get("partner_ids"):
            self.add_error("partner_ids", _("Выберите хотя бы одного партнёра."))
        return data

    def params(self) -> dict:
        """Document.params as the builders read them; empty text falls back to defaults."""
        data = self.cleaned_data
        params: dict = {}
        for key in ("curator", "position", "course"):
            if data.get(key):
                params[key] = data[key].strip()
        if data.get("hours"):
            params["hours"] = data["hours"]
        for key in ("participant_ids", "partner_ids"):
            if data.get(key):
                params[key] = list(data[key])
        return params
