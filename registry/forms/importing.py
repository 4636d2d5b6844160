"""The upload form of the registry import."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentorship.files import MAX_UPLOAD_SIZE


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Файл со списком"),
        help_text=gettext_lazy("Таблица Excel (.xlsx) или CSV, до 10 МБ."),
        widget=forms.ClearableFileInput({"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Refuse before reading a huge upload into memory; the reader checks again.
        if upload.size > MAX_UPLOAD_SIZE:
            raise ValidationError(
                _("Файл больше 10 МБ: разделите список на части и загрузите их по очереди.")
            )
        return upload
