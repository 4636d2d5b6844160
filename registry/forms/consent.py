"""Forms of consents on a person's page: recording a signed consent, and its withdrawal.

They shape the input; `registry.services.consent` checks the consent (who may sign for
a minor, purposes, the scan) and writes it.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorship.forms import DateInput
from registry.models import ConsentGiver, ConsentPurpose


class ConsentForm(forms.Form):
    given_by = forms.ChoiceField(
        label=_("Кто дал согласие"),
        choices=ConsentGiver.choices,
        widget=forms.RadioSelect,
        initial=ConsentGiver.PARENT,
    )
    giver_name = forms.CharField(
        label=_("ФИО родителя (законного представителя)"), max_length=300, required=False
    )
    giver_relation = forms.CharField(
        label=_("Кем приходится"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("мать, отец, опекун…")}),
    )
    giver_contact = forms.CharField(
        label=_("Телефон или эл. почта представителя"), max_length=200, required=False
    )
    given_on = forms.DateField(
        label=_("Дата согласия"), widget=DateInput(), initial=timezone.localdate
    )
    on_paper = forms.BooleanField(
        label=_("Подписано на бумаге (бланк хранится в школе)"), required=False, initial=True
    )
    purposes = forms.MultipleChoiceField(
        label=_("Цели обработки"),
        choices=ConsentPurpose.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[ConsentPurpose.PROGRAMME],
        required=False,
    )
    valid_until = forms.DateField(label=_("Действует до"), widget=DateInput(), required=False)
    scan = forms.FileField(
        label=_("Скан подписанного согласия"),
        required=False,
        help_text=_("PDF, JPG, PNG, TIFF или Word, до 10 МБ."),
    )

    def __init__(self, *args, minor: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if minor:
            # The municipal mentor base holds adults only: a parent is not asked for a
            # consent that could never be used.
            self.fields["purposes"].choices = [
                c for c in ConsentPurpose.choices if c[0] != ConsentPurpose.MENTOR_BASE
            ]
        else:
            self.fields["given_by"].initial = ConsentGiver.SELF

    def clean(self):
        data = super().clean()
        if data.get("given_by") == ConsentGiver.SELF:
            # The person signed personally: a parent's name typed before switching the
            # radio would otherwise be stored as if a parent had signed.
            data["giver_name"] = data["giver_relation"] = data["giver_contact"] = ""
        return data


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Причина отзыва"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    withdrawn_on = forms.DateField(
        label=_("Дата отзыва"), widget=DateInput(), initial=timezone.localdate
    )

    def clean_withdrawn_on(self):
        value = self.cleaned_data["withdrawn_on"]
        if value > timezone.localdate():
            raise ValidationError(_("Дата отзыва не может быть в будущем."))
        return value


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the consent service, not here."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


# The relations a curator picks in the queue; the service reads who signed from them.
RELATIONS = ("мать", "отец", "опекун", "попечитель", "законный представитель")


class ConsentBatchForm(forms.Form):
    """The consent queue's one form: the ticked people, one date, scans in one go.

    Per person (ticked in the table) the form reads `person`, and for a minor
    `giver_name_<id>` and `giver_relation_<id>`, and an optional `scan_<id>`; the view
    turns them into the batch service's entries.
    """

    given_on = forms.DateField(
        label=_("Дата подписания"), widget=DateInput(), initial=timezone.localdate
    )
    on_paper = forms.BooleanField(
        label=_("Подписано на бумаге (бланки хранятся в школе)"), required=False, initial=True
    )
    scans = MultipleFileField(
        label=_("Сканы подписанных бланков"),
        required=False,
        help_text=_(
            "Можно выбрать сразу несколько файлов: портал узнаёт человека по фамилии (и имени) "
            "в имени файла, например «Иванова Мария.pdf». PDF, JPG, PNG, TIFF или Word, до "
            "10 МБ каждый."
        ),
    )
