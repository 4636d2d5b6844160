"""The form behind «Сформировать приказ об утверждении пар» on the pairs list."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentorship.documents.services import MAX_NUMBER_LENGTH


class PairIdsField(forms.Field):
    """Checked pairs of the list (`pair_ids` repeated); none means the year's default set."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int] | None:
        if not value:
            return None
        try:
            return [int(v) for v in value]
        except (TypeError, ValueError):
            raise ValidationError(_("Неверный номер пары.")) from None


class PairOrderForm(forms.Form):
    pair_ids = PairIdsField(required=False)
    number = forms.CharField(required=False, max_length=MAX_NUMBER_LENGTH)
    date = forms.DateField(required=False, label=gettext_lazy("Дата приказа"))
