"""Forms of the organisations pages: one organisation, and the bulk start's upload."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentorship.files import MAX_UPLOAD_SIZE
from mentorship.models import EDUCATIONAL_KINDS, Organization

__all__ = ["BulkUploadForm", "OrganizationForm"]


class OrganizationForm(forms.ModelForm):
    """An organisation's own details. The model's checks run here too (the INN's check
    digits, an INN already in the portal); the service writes."""

    class Meta:
        model = Organization
        fields = [
            "kind",
            "full_name",
            "short_name",
            "inn",
            "address",
            "head_name",
            "head_position",
            "document_header",
        ]
        help_texts = {
            "short_name": gettext_lazy("Как в списках и в шапке портала: «МБОУ «СШ №40»»."),
            "inn": gettext_lazy("10 цифр; контрольные цифры проверяются."),
            "head_name": gettext_lazy("Как в подписи приказа: «Гарипова Л.М.»."),
            "document_header": gettext_lazy(
                "Над названием документа в приказах; пусто — полное наименование."
            ),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.is_educational:
            self.fields["kind"].choices = [(k.value, k.label) for k in EDUCATIONAL_KINDS]
        else:
            # A municipality stays a municipality: its kind is not offered.
            del self.fields["kind"]
        self.fields["short_name"].required = False
        self.fields["head_position"].widget.attrs["placeholder"] = _("Директор")

    def clean_short_name(self) -> str:
        return self.cleaned_data["short_name"] or (self.data.get("full_name") or "")[:200]


class BulkUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Список школ с кураторами"),
        help_text=gettext_lazy("Таблица Excel (.xlsx) по шаблону, до 10 МБ."),
        widget=forms.ClearableFileInput({"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_SIZE:
            raise ValidationError(_("Файл больше 10 МБ: разделите список на части."))
        return upload
