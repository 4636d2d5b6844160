"""Forms of the partner and mentor-base pages; services do the writing and validation."""

from __future__ import annotations

from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from mentorship.forms import DateInput
from registry.models import PartnerOrganization
from registry.selectors.municipal import MENTOR_BASE_CATEGORIES
from registry.services.partners import PARTNER_FIELDS, inn_error


class PartnerForm(forms.Form):
    """The partner's fields, without the organisation (set by the service from the URL).

    A plain Form built from the model, not a ModelForm: a ModelForm writes the cleaned
    values into the instance while validating, before the service could compare them
    with what was stored for the audit entry.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(
            fields_for_model(
                PartnerOrganization,
                fields=PARTNER_FIELDS,
                widgets={"agreement_date": DateInput()},
                help_texts={
                    "inn": _("10 цифр у организации, 12 — у индивидуального предпринимателя."),
                },
            )
        )

    def clean_inn(self) -> str:
        # The service checks it again; checking here too shows every error at once
        # instead of the INN's only after the e-mail is fixed.
        inn = "".join((self.cleaned_data.get("inn") or "").split())
        message = inn_error(inn)
        if message:
            raise forms.ValidationError(message)
        return inn


class MentorBaseFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Поиск"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("ФИО, предмет, компетенции")}),
    )
    school = forms.TypedChoiceField(label=_("Школа"), required=False, coerce=int, empty_value=None)
    category = forms.ChoiceField(label=_("Категория"), required=False)

    def __init__(self, *args, schools=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # (id, name) pairs of the municipality's schools: a foreign id is not a choice.
        self.fields["school"].choices = [("", _("Все школы")), *schools]
        self.fields["category"].choices = [("", _("Все категории"))] + [
            (c.value, c.label) for c in MENTOR_BASE_CATEGORIES
        ]


class RegionalBankFilterForm(forms.Form):
    """The region's programme bank: one municipality, one form (both optional)."""

    municipality = forms.TypedChoiceField(
        label=_("Муниципалитет"), required=False, coerce=int, empty_value=None
    )
    form = forms.TypedChoiceField(label=_("Форма"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, municipalities=(), forms_offered=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only the region's own municipalities are choices: a foreign id is a 400.
        self.fields["municipality"].choices = [("", _("Все муниципалитеты")), *municipalities]
        self.fields["form"].choices = [("", _("Все формы")), *forms_offered]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"
