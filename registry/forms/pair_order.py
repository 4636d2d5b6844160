"""The form behind «Сформировать приказ об утверждении пар» on the pairs list: the
school's own order number and date, and the pairs the curator is looking at."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentorship.documents.services import MAX_NUMBER_LENGTH
from mentorship.forms import DateInput


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
    # The number from the school's book of orders: the portal cannot know it. The API
    # may leave it out (the portal's register numbers it); a typed blank is refused
    # by the service either way.
    number = forms.CharField(
        label=gettext_lazy("№ приказа"),
        max_length=MAX_NUMBER_LENGTH,
        error_messages={
            "required": gettext_lazy("Укажите номер приказа (как в книге приказов школы).")
        },
    )
    date = forms.DateField(
        label=gettext_lazy("Дата приказа"),
        widget=DateInput(),
        error_messages={"required": gettext_lazy("Укажите дату приказа.")},
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {}).setdefault("date", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["number"].widget.attrs.update(
            {"placeholder": _("напр. 112-о"), "autocomplete": "off"}
        )
