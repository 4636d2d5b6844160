"""A school's mark on an activity: status, comment and evidence."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from roadmaps.models import STORED_STATUSES


class ProgressForm(forms.Form):
    status = forms.ChoiceField(label=_("Статус"), choices=STORED_STATUSES)
    comment = forms.CharField(
        label=_("Комментарий"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence_file = forms.FileField(
        label=_("Подтверждающий документ (скан приказа и т. п.)"),
        required=False,
        help_text=_("PDF, JPG, PNG, TIFF или DOCX, не больше 10 МБ."),
    )
    evidence_url = forms.URLField(
        label=_("Или ссылка на документ"), required=False, assume_scheme="https"
    )
