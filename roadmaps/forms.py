"""Forms of the roadmap pages; services do the writing and the real validation."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorship.forms import DateInput
from roadmaps.models import STORED_STATUSES, Activity, Roadmap


def school_year_start(today: date | None = None) -> date:
    today = today or timezone.localdate()
    return date(today.year if today.month >= 9 else today.year - 1, 9, 1)


class RoadmapCreateForm(forms.Form):
    START_BLANK, START_STANDARD, START_COPY = "blank", "standard", "copy"
    title = forms.CharField(label=_("Наименование"), max_length=500)
    period_start = forms.DateField(label=_("Начало периода"), widget=DateInput())
    period_end = forms.DateField(label=_("Окончание периода"), widget=DateInput())
    start_from = forms.ChoiceField(
        label=_("С чего начать"),
        choices=[
            (START_STANDARD, _("Типовая дорожная карта по этапам целевой модели")),
            (START_COPY, _("Копия дорожной карты прошлого года")),
            (START_BLANK, _("Пустая дорожная карта")),
        ],
        initial=START_STANDARD,
        widget=forms.RadioSelect,
    )
    copy_of = forms.ModelChoiceField(
        label=_("Какую дорожную карту скопировать"),
        queryset=Roadmap.objects.none(),
        required=False,
    )

    def __init__(self, *args, roadmaps=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        start = school_year_start()
        self.fields["period_start"].initial = start
        self.fields["period_end"].initial = date(start.year + 1, 8, 31)
        self.fields["title"].initial = _(
            "Дорожная карта внедрения целевой модели наставничества на %(a)s–%(b)s учебный год"
        ) % {"a": start.year, "b": start.year + 1}
        if roadmaps is not None:
            self.fields["copy_of"].queryset = roadmaps

    def clean(self):
        data = super().clean()
        if data.get("start_from") == self.START_COPY and not data.get("copy_of"):
            self.add_error("copy_of", _("Выберите дорожную карту, которую нужно скопировать."))
        return data


class RoadmapEditForm(forms.ModelForm):
    class Meta:
        model = Roadmap
        fields = ["title", "period_start", "period_end"]
        widgets = {"period_start": DateInput(), "period_end": DateInput()}


class ApproveForm(forms.Form):
    order_number = forms.CharField(label=_("Номер приказа"), max_length=50)
    order_date = forms.DateField(
        label=_("Дата приказа"), widget=DateInput(), initial=timezone.localdate
    )


class SectionForm(forms.Form):
    title = forms.CharField(label=_("Раздел"), max_length=500)
    for_every_school = forms.BooleanField(
        label=_("Обязанности каждой образовательной организации (на уровне ОО)"), required=False
    )


class ActivityForm(forms.ModelForm):
    """`organization` limits whom the activity can be assigned to: the organisation's own
    staff, and at a municipality also its schools (the organisations responsible)."""

    def __init__(self, *args, organization=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from mentorship.models import EDUCATIONAL_KINDS, Organization, User

        users = User.objects.none()
        orgs = Organization.objects.none()
        if organization is not None:
            users = (
                User.objects.filter(memberships__organization=organization, is_active=True)
                .distinct()
                .order_by("last_name", "first_name")
            )
            orgs = Organization.objects.filter(
                parent=organization, kind__in=EDUCATIONAL_KINDS
            ).order_by("short_name")
        self.fields["responsible_users"].queryset = users
        self.fields["responsible_organizations"].queryset = orgs
        self.fields["responsible_users"].label_from_instance = lambda u: u.get_short_name()
        if not orgs.exists():
            del self.fields["responsible_organizations"]

    class Meta:
        model = Activity
        fields = [
            "number",
            "title",
            "content",
            "responsible_text",
            "deadline_text",
            "expected_result",
            "document_kind",
            "for_every_school",
            "responsible_users",
            "responsible_organizations",
        ]
        widgets = {
            "responsible_users": forms.SelectMultiple(attrs={"size": 4}),
            "responsible_organizations": forms.SelectMultiple(attrs={"size": 4}),
            "title": forms.Textarea(attrs={"rows": 2}),
            "content": forms.Textarea(attrs={"rows": 2}),
            "responsible_text": forms.Textarea(attrs={"rows": 2}),
            "expected_result": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "deadline_text": _(
                "Как в документе: «март 2027», «ежегодно (май, ноябрь)», «1 раз в квартал»."
            ),
            "number": _("Оставьте пустым — номер проставится автоматически."),
            "responsible_users": _("Им придут напоминания о сроках (Ctrl — выбрать несколько)."),
        }


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
