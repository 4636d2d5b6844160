"""Forms of the school's people: a person, questionnaire, needs, entry assessment, bulk
actions, and the registry list's filters. They shape the input; the services validate
and write.

The Russian rules (plausible age for the category, grade 1–11, duplicates…) live in
`registry.services.participants.validate_person`, shared with the import and the API;
`apply_service_errors` puts the service's messages back onto the fields.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorship.forms import DateInput
from registry.models import (
    ASSESSMENT_PARAMETERS,
    Category,
    ConsentState,
    MentoringForm,
    NeedSource,
    Participant,
)
from registry.selectors import people as selectors

# Which fields belong to which category: the page shows only the chosen category's
# fields, and clean() drops values left in hidden ones (a pupil turned teacher must not
# keep a grade that nobody sees).
CATEGORY_FIELDS: dict[str, tuple[str, ...]] = {
    "grade": (Category.PUPIL,),
    "class_letter": (Category.PUPIL,),
    "position": (Category.TEACHER, Category.PARTNER),
    "subject": (Category.TEACHER,),
    "experience_years": (Category.TEACHER,),
    "study_place": (Category.COLLEGE_STUDENT,),
    "partner": (Category.PARTNER,),
}
EMPTY_VALUES: dict[str, object] = {"grade": None, "experience_years": None, "partner": None}


class ParticipantForm(forms.Form):
    last_name = forms.CharField(label=_("Фамилия"), max_length=100, required=False)
    first_name = forms.CharField(label=_("Имя"), max_length=100, required=False)
    patronymic = forms.CharField(label=_("Отчество"), max_length=100, required=False)
    birth_date = forms.DateField(label=_("Дата рождения"), required=False, widget=DateInput())
    category = forms.ChoiceField(
        label=_("Категория"), choices=[("", "—")] + list(Category.choices), required=False
    )
    grade = forms.IntegerField(label=_("Класс"), required=False)
    class_letter = forms.CharField(label=_("Литера класса"), max_length=5, required=False)
    position = forms.CharField(label=_("Должность"), max_length=200, required=False)
    subject = forms.CharField(label=_("Предмет"), max_length=200, required=False)
    experience_years = forms.IntegerField(label=_("Педагогический стаж, лет"), required=False)
    study_place = forms.CharField(label=_("Место учёбы"), max_length=300, required=False)
    partner = forms.ModelChoiceField(
        label=_("Организация-партнёр"), queryset=None, required=False, empty_label="—"
    )
    phone = forms.CharField(label=_("Телефон"), max_length=50, required=False)
    email = forms.EmailField(label=_("Электронная почта"), required=False)
    has_sen = forms.BooleanField(label=_("ОВЗ"), required=False)
    is_gifted = forms.BooleanField(label=_("Одарённый"), required=False)
    in_difficult_situation = forms.BooleanField(
        label=_("Трудная жизненная ситуация"), required=False
    )
    is_mentor = forms.BooleanField(label=_("Наставник"), required=False)
    is_mentee = forms.BooleanField(label=_("Наставляемый"), required=False)
    mentor_forms = forms.ModelMultipleChoiceField(
        label=_("Формы (как наставник)"),
        queryset=MentoringForm.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    mentee_forms = forms.ModelMultipleChoiceField(
        label=_("Формы (как наставляемый)"),
        queryset=MentoringForm.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, partners=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners
        for name, categories in CATEGORY_FIELDS.items():
            # Read by the page's script to show only the chosen category's fields.
            self.fields[name].widget.attrs["data-categories"] = " ".join(categories)

    @classmethod
    def initial_from(cls, participant: Participant) -> dict:
        fields = [f for f in cls.base_fields if f not in ("mentor_forms", "mentee_forms")]
        initial = {f: getattr(participant, f) for f in fields}
        initial["mentor_forms"] = list(participant.mentor_forms.all())
        initial["mentee_forms"] = list(participant.mentee_forms.all())
        return initial

    def clean(self):
        data = super().clean()
        category = data.get("category")
        for name, categories in CATEGORY_FIELDS.items():
            if category not in categories and name in data:
                data[name] = EMPTY_VALUES.get(name, "")
        if not data.get("is_mentor"):
            data["mentor_forms"] = []
        if not data.get("is_mentee"):
            data["mentee_forms"] = []
        return data

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["mentor_forms"] = list(data.get("mentor_forms") or [])
        data["mentee_forms"] = list(data.get("mentee_forms") or [])
        return data


class MentorProfileForm(forms.Form):
    competencies = forms.CharField(
        label=_("Компетенции"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    subjects = forms.CharField(
        label=_("Предметы"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    interests = forms.CharField(
        label=_("Интересы"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    max_mentees = forms.IntegerField(label=_("Сколько наставляемых готов взять"), initial=1)
    has_sen_experience = forms.BooleanField(label=_("Опыт работы с детьми с ОВЗ"), required=False)
    filled_on = forms.DateField(
        label=_("Дата анкеты"), widget=DateInput(), required=False, initial=timezone.localdate
    )


class NeedForm(forms.Form):
    source = forms.ChoiceField(label=_("Источник"), choices=NeedSource.choices)
    text = forms.CharField(
        label=_("Запрос / потребность"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    recorded_on = forms.DateField(label=_("Дата"), widget=DateInput(), initial=timezone.localdate)


SCORE_CHOICES = [("", "—")] + [(str(n), str(n)) for n in range(1, 6)]


class AssessmentForm(forms.Form):
    assessed_on = forms.DateField(
        label=_("Дата оценки"), widget=DateInput(), initial=timezone.localdate
    )
    comment = forms.CharField(
        label=_("Комментарий"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for code, label in ASSESSMENT_PARAMETERS:
            self.fields[f"score_{code}"] = forms.TypedChoiceField(
                label=label, choices=SCORE_CHOICES, coerce=int, required=False, empty_value=None
            )

    @property
    def score_fields(self):
        return [self[f"score_{code}"] for code, _label in ASSESSMENT_PARAMETERS]

    def clean(self):
        data = super().clean()
        if not self.scores():
            raise ValidationError(_("Поставьте оценку хотя бы по одному параметру."))
        return data

    def scores(self) -> dict[str, int]:
        data = getattr(self, "cleaned_data", {})
        return {
            code: data[f"score_{code}"]
            for code, _label in ASSESSMENT_PARAMETERS
            if data.get(f"score_{code}") is not None
        }


class BulkAction:
    MARK_MENTOR = "mark_mentor"
    MARK_MENTEE = "mark_mentee"
    ADD_FORM = "add_form"
    CONSENT_FORMS = "consent_forms"
    PERSONAL_LINKS = "personal_links"

    CHOICES = [
        (MARK_MENTOR, _("Отметить как наставников")),
        (MARK_MENTEE, _("Отметить как наставляемых")),
        (ADD_FORM, _("Добавить форму наставничества")),
        (CONSENT_FORMS, _("Сформировать бланки согласий")),
        (PERSONAL_LINKS, _("Выдать личные ссылки (старые перестанут действовать)")),
    ]


# A bulk request is one transaction of per-person service calls: a bound on the batch
# keeps it short (a page holds 50 rows anyway).
MAX_BULK = 200


class BulkForm(forms.Form):
    action = forms.ChoiceField(label=_("Действие"), choices=BulkAction.CHOICES)
    ids = forms.ModelMultipleChoiceField(
        queryset=None,
        error_messages={
            "required": _("Отметьте участников в списке."),
            "invalid_choice": _("Участник не найден в реестре."),
            "invalid_pk_value": _("Участник не найден в реестре."),
        },
    )
    form = forms.ModelChoiceField(
        label=_("Форма"),
        queryset=MentoringForm.objects.all(),
        required=False,
        empty_label=_("Форма наставничества…"),
    )

    def __init__(self, *args, participants=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The school's living records only: another school's id is simply not a choice.
        self.fields["ids"].queryset = participants

    def clean_ids(self):
        ids = self.cleaned_data["ids"]
        if len(ids) > MAX_BULK:
            raise ValidationError(
                _("За один раз можно обработать не больше %(n)s участников.") % {"n": MAX_BULK}
            )
        return ids

    def clean(self):
        data = super().clean()
        if data.get("action") == BulkAction.ADD_FORM and not data.get("form"):
            self.add_error("form", _("Выберите форму наставничества."))
        return data


# --- The registry list's search and filters (django-filter) ---------------------------
# They only narrow the queryset the view hands in (already scoped to the school and
# prefetched), so they cannot widen what a page may show.

GRADE_CHOICES = [(str(n), str(n)) for n in range(1, 12)]


class ParticipantFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("ФИО"),
        method="filter_name",
        widget=forms.TextInput(attrs={"placeholder": _("Фамилия, имя…")}),
    )
    category = django_filters.ChoiceFilter(
        label=_("Категория"), choices=Category.choices, empty_label=_("Все категории")
    )
    role = django_filters.ChoiceFilter(
        label=_("Роль"),
        choices=selectors.ROLE_CHOICES,
        method="filter_role",
        empty_label=_("Все роли"),
    )
    # Choices from the list the view already holds (one query shared with the bulk
    # form), not a ModelChoiceFilter that would query the forms once more to validate.
    form = django_filters.ChoiceFilter(
        label=_("Форма"),
        choices=[],
        method="filter_form",
        empty_label=_("Все формы"),
    )
    consent = django_filters.ChoiceFilter(
        label=_("Согласие"),
        field_name="consent_state",
        choices=ConsentState.choices,
        empty_label=_("Любое согласие"),
    )
    grade = django_filters.ChoiceFilter(
        label=_("Класс"), choices=GRADE_CHOICES, empty_label=_("Все классы")
    )
    # «Наставляемые без пары» of the home page: a mentee in no open pair.
    pair = django_filters.ChoiceFilter(
        label=_("Пара"),
        choices=[("none", _("Наставляемый без пары"))],
        method="filter_pair",
        empty_label=_("С парой и без"),
    )

    class Meta:
        model = Participant
        fields: list[str] = []

    def __init__(self, *args, forms: list[MentoringForm] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if forms is None:
            forms = list(MentoringForm.objects.all())
        self.filters["form"].extra["choices"] = [(str(f.pk), f.name) for f in forms]

    def filter_name(self, queryset, name, value):
        return selectors.search_names(queryset, value)

    def filter_role(self, queryset, name, value):
        return queryset.filter(selectors.ROLE_FILTERS[value])

    def filter_form(self, queryset, name, value):
        return selectors.with_form(queryset, int(value))

    def filter_pair(self, queryset, name, value):
        return queryset.filter(selectors.ROLE_FILTERS["mentee"]).exclude(
            selectors.open_mentee_pair()
        )
