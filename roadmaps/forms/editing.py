"""Inline editing of a draft roadmap's table: a section, an activity."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mentorship.events import Event
from roadmaps.models import Activity


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
        self.fields["auto_event"].choices = [
            ("", _("— нет, отмечается вручную —")),
            *Event.choices,
        ]

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
            "auto_event",
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
