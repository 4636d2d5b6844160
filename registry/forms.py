"""Forms of the registry pages. They shape the input; the services validate and write.

The Russian rules (plausible age for the category, grade 1–11, duplicates…) live in
`registry.services.participants.validate_person`, shared with the import and the API;
`mentorship.forms.apply_service_errors` puts the service's messages back onto the fields.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorship.forms import DateInput
from registry.models import (
    ASSESSMENT_PARAMETERS,
    Category,
    ConsentGiver,
    ConsentPurpose,
    MentoringForm,
    NeedSource,
    Participant,
)

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


class ConsentForm(forms.Form):
    given_by = forms.ChoiceField(
        label=_("Кто дал согласие"),
        choices=ConsentGiver.choices,
        widget=forms.RadioSelect,
        initial=ConsentGiver.PARENT,
    )
    giver_name = forms.CharField(
        label=_("ФИО родителя (законного представителя)"), max_length=300, required=False
    )
    giver_relation = forms.CharField(
        label=_("Кем приходится"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("мать, отец, опекун…")}),
    )
    given_on = forms.DateField(
        label=_("Дата согласия"), widget=DateInput(), initial=timezone.localdate
    )
    purposes = forms.MultipleChoiceField(
        label=_("Цели обработки"),
        choices=ConsentPurpose.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[ConsentPurpose.PROGRAMME],
        required=False,
    )
    valid_until = forms.DateField(label=_("Действует до"), widget=DateInput(), required=False)
    scan = forms.FileField(
        label=_("Скан подписанного согласия"),
        required=False,
        help_text=_("PDF, JPG, PNG, TIFF или Word, до 10 МБ."),
    )

    def __init__(self, *args, minor: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if minor:
            # The municipal mentor base holds adults only: a parent is not asked for a
            # consent that could never be used.
            self.fields["purposes"].choices = [
                c for c in ConsentPurpose.choices if c[0] != ConsentPurpose.MENTOR_BASE
            ]
        else:
            self.fields["given_by"].initial = ConsentGiver.SELF

    def clean(self):
        data = super().clean()
        if data.get("given_by") == ConsentGiver.SELF:
            # The person signed personally: a parent's name typed before switching the
            # radio would otherwise be stored as if a parent had signed.
            data["giver_name"] = data["giver_relation"] = ""
        return data


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Причина отзыва"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    withdrawn_on = forms.DateField(
        label=_("Дата отзыва"), widget=DateInput(), initial=timezone.localdate
    )

    def clean_withdrawn_on(self):
        value = self.cleaned_data["withdrawn_on"]
        if value > timezone.localdate():
            raise ValidationError(_("Дата отзыва не может быть в будущем."))
        return value


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

    CHOICES = [
        (MARK_MENTOR, _("Отметить как наставников")),
        (MARK_MENTEE, _("Отметить как наставляемых")),
        (ADD_FORM, _("Добавить форму наставничества")),
        (CONSENT_FORMS, _("Сформировать бланки согласий")),
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
