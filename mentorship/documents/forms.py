"""The form to request (or regenerate by number) a document of a registered kind."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorship.documents.kinds import DocumentKind
from mentorship.documents.services import MAX_NUMBER_LENGTH
from mentorship.forms import DateInput


class DocumentRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Вид документа"))
    number = forms.CharField(
        label=_("Номер"),
        required=False,
        max_length=MAX_NUMBER_LENGTH,
        help_text=_(
            "Оставьте пустым, чтобы взять следующий номер. "
            "Номер уже существующего документа этого года сформирует его заново."
        ),
    )
    date = forms.DateField(
        label=_("Дата"),
        initial=timezone.localdate,
        widget=DateInput(),
    )

    def __init__(self, *args, kinds: Iterable[DocumentKind], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.code, k.label) for k in kinds]

    def clean_number(self) -> str:
        return self.cleaned_data["number"].strip()
