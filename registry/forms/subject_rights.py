"""The data subject's request: when it came in, so the page shows when the answer is due."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mentorship.forms import DateInput


class RequestDateForm(forms.Form):
    requested_on = forms.DateField(
        label=_("Дата получения запроса"),
        required=False,
        widget=DateInput(),
        help_text=_("Ответ нужно дать в течение 10 рабочих дней (ст. 20 152-ФЗ)."),
    )
