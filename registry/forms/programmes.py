"""The programme's form: it only parses what the browser sends (a date, a number, a
choice); what a programme may hold is the service's to check
(registry/services/programmes.py), so the page and the API refuse alike."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mentorship.forms import DateInput
from mentorship.models import User
from registry.models import MENTOR_CAPACITY_MAX, MentoringForm


def _text(label, max_length: int | None = None, rows: int = 0, **kwargs) -> forms.CharField:
    # No max_length validator here: the service checks lengths, in the API's words too.
    if rows:
        widget = forms.Textarea(attrs={"rows": rows})
    else:
        widget = forms.TextInput(attrs={"maxlength": max_length} if max_length else {})
    return forms.CharField(label=label, required=False, widget=widget, **kwargs)


class ProgrammeForm(forms.Form):
    name = _text(_("Наименование программы"), 300)
    form = forms.ModelChoiceField(
        label=_("Форма наставничества"),
        queryset=MentoringForm.objects.all(),
        required=False,
        empty_label=_("— выберите форму —"),
        help_text=_("По форме подбираются наставники и наставляемые программы."),
    )
    responsible = forms.TypedChoiceField(
        label=_("Ответственный за программу"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Куратор или другой сотрудник школы с доступом к порталу."),
    )
    operator = _text(
        _("Проект / программа (оператор)"),
        300,
        help_text=_("Например: Проект «Билет в будущее»."),
    )
    mentors_description = _text(
        _("Кто является наставниками"), 300, help_text=_("Например: Педагоги, студенты вузов.")
    )
    mentees_description = _text(
        _("Наставляемые"), 300, help_text=_("Например: Обучающиеся 6–11 классов.")
    )
    mentor_role = _text(_("Роль наставника"), rows=2)
    mentor_capacity = forms.IntegerField(
        label=_("Наставляемых на одного наставника"),
        required=False,
        initial=1,
        widget=forms.NumberInput(attrs={"min": 1, "max": MENTOR_CAPACITY_MAX}),
        help_text=_(
            "По умолчанию, для наставников без анкеты: в анкете наставник указывает, "
            "сколько наставляемых готов взять."
        ),
    )
    starts_on = forms.DateField(label=_("Начало"), required=False, widget=DateInput())
    ends_on = forms.DateField(label=_("Окончание"), required=False, widget=DateInput())
    period_text = _text(
        _("Период осуществления (как в документах)"),
        200,
        help_text=_("Например: С сентября 2021 года."),
    )
    goals = _text(_("Цели и задачи"), rows=4)
    expected_results = _text(_("Ожидаемые результаты"), rows=3)

    def __init__(self, *args, staff: list[User], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible"].choices = [("", _("— не назначен —"))] + [
            (u.pk, u.get_full_name() or u.email) for u in staff
        ]
