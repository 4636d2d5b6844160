"""The roadmap import's forms: the file with its period, then the title and period to save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentorship.forms import DateInput
from roadmaps.importing.container import MAX_FILE_SIZE


class PeriodForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Наименование"), max_length=500, required=False)
    period_start = forms.DateField(label=gettext_lazy("Начало периода"), widget=DateInput())
    period_end = forms.DateField(
        label=gettext_lazy("Окончание периода"),
        widget=DateInput(),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            raise ValidationError(_("Окончание периода раньше его начала."))
        return data


class UploadForm(PeriodForm):
    """The file, and optionally its period: by default the roadmap's own is used."""

    period_start = forms.DateField(
        label=gettext_lazy("Начало периода"), widget=DateInput(), required=False
    )
    period_end = forms.DateField(
        label=gettext_lazy("Окончание периода"),
        widget=DateInput(),
        required=False,
        help_text=gettext_lazy(
            "Можно не указывать: период возьмётся из заголовка документа («на 2023/2024 "
            "учебный год») или по датам в нём; его можно исправить на следующем шаге."
        ),
    )
    file = forms.FileField(
        label=gettext_lazy("Файл дорожной карты"),
        help_text=gettext_lazy("Документ Word (.docx) или таблица Excel (.xlsx), до 10 МБ."),
        widget=forms.ClearableFileInput({"accept": ".docx,.xlsx"}),
    )
    field_order = ["file", "title", "period_start", "period_end"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if bool(data.get("period_start")) != bool(data.get("period_end")):
            raise ValidationError(_("Укажите и начало, и окончание периода — или ни то ни другое."))
        return data

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Refuse before reading a huge upload into memory; the reader checks again.
        if upload.size > MAX_FILE_SIZE:
            raise ValidationError(_("Файл больше 10 МБ: такую дорожную карту загрузить нельзя."))
        return upload


class SaveForm(PeriodForm):
    title = forms.CharField(label=gettext_lazy("Наименование"), max_length=500)
    confirm_duplicate = forms.BooleanField(
        label=gettext_lazy("Да, сохранить ещё одну такую дорожную карту"), required=False
    )
