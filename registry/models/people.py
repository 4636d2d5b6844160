"""People of the model in a school: participants, questionnaires, needs, entry assessment."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorship.models import Organization
from mentorship.tenancy.scoping import TenantManager
from registry.models.partners import PartnerOrganization
from registry.models.programmes import MentoringForm

YOUNG_SPECIALIST_MAX_YEARS = 3
# How many mentees a mentor takes when nobody has said: no questionnaire yet, or a row
# written without the number. The matching page shows where each mentor's number comes
# from, so this default is never a silent cap.
DEFAULT_MENTOR_CAPACITY = 1


class Category(models.TextChoices):
    PUPIL = "pupil", _("Обучающийся")
    TEACHER = "teacher", _("Педагог")
    COLLEGE_STUDENT = "college_student", _("Студент")
    PARTNER = "partner", _("Представитель организации-партнёра")


class Participant(models.Model):
    """A mentor, a mentee or both, in one school. Personal data: never leaves the school."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    last_name = models.CharField(_("Фамилия"), max_length=100)
    first_name = models.CharField(_("Имя"), max_length=100)
    patronymic = models.CharField(_("Отчество"), max_length=100, blank=True)
    birth_date = models.DateField(_("Дата рождения"), null=True, blank=True)
    phone = models.CharField(_("Телефон"), max_length=50, blank=True)
    email = models.EmailField(_("Электронная почта"), blank=True)
    category = models.CharField(_("Категория"), max_length=20, choices=Category.choices)

    # Pupils
    grade = models.PositiveSmallIntegerField(
        _("Класс"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(11)],
    )
    class_letter = models.CharField(_("Литера класса"), max_length=5, blank=True)
    # Teachers
    position = models.CharField(_("Должность"), max_length=200, blank=True)
    subject = models.CharField(_("Предмет"), max_length=200, blank=True)
    experience_years = models.PositiveSmallIntegerField(
        _("Педагогический стаж, лет"), null=True, blank=True
    )
    # College students and partner representatives
    study_place = models.CharField(_("Место учёбы"), max_length=300, blank=True)
    partner = models.ForeignKey(
        PartnerOrganization,
        verbose_name=_("Организация-партнёр"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="representatives",
    )

    # When the person can meet, in their own words (from the intake questionnaire).
    availability = models.CharField(_("Когда удобно встречаться"), max_length=500, blank=True)

    has_sen = models.BooleanField(_("ОВЗ"), default=False)
    is_gifted = models.BooleanField(_("Одарённый"), default=False)
    in_difficult_situation = models.BooleanField(_("Трудная жизненная ситуация"), default=False)

    is_mentor = models.BooleanField(_("Наставник"), default=False)
    is_mentee = models.BooleanField(_("Наставляемый"), default=False)
    mentor_forms = models.ManyToManyField(
        MentoringForm, blank=True, related_name="+", verbose_name=_("Формы (как наставник)")
    )
    mentee_forms = models.ManyToManyField(
        MentoringForm, blank=True, related_name="+", verbose_name=_("Формы (как наставляемый)")
    )

    # Kept in step by the consent services, so lists filter on it without a subquery.
    consent_state = models.CharField(_("Согласие"), max_length=20, default="missing", db_index=True)
    consent_valid_until = models.DateField(null=True, blank=True)
    in_mentor_base = models.BooleanField(_("В муниципальной базе наставников"), default=False)

    depersonalize_after = models.DateField(_("Обезличить после"), null=True, blank=True)
    depersonalized_at = models.DateTimeField(_("Обезличен"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = TenantManager()

    class Meta:
        verbose_name = _("Участник")
        verbose_name_plural = _("Участники")
        ordering = ["last_name", "first_name", "patronymic", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "last_name", "first_name", "patronymic", "birth_date"],
                condition=models.Q(depersonalized_at__isnull=True),
                name="unique_person_in_school",
            )
        ]
        indexes = [
            models.Index(fields=["organization", "category"]),
            models.Index(fields=["organization", "last_name"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    @property
    def short_name(self) -> str:
        initials = "".join(f"{p[0]}." for p in (self.first_name, self.patronymic) if p)
        return f"{self.last_name} {initials}".strip()

    def age(self, on: date | None = None) -> int | None:
        if self.birth_date is None:
            return None
        on = on or timezone.localdate()
        before_birthday = (on.month, on.day) < (self.birth_date.month, self.birth_date.day)
        return on.year - self.birth_date.year - before_birthday

    def is_minor(self, on: date | None = None) -> bool:
        """Under 18, or a pupil whose age is unknown: a parent must consent for them."""
        age = self.age(on)
        return age < 18 if age is not None else self.category == Category.PUPIL

    @property
    def is_young_specialist(self) -> bool:
        return (
            self.category == Category.TEACHER
            and self.experience_years is not None
            and self.experience_years <= YOUNG_SPECIALIST_MAX_YEARS
        )

    @property
    def class_label(self) -> str:
        return f"{self.grade}{self.class_letter}" if self.grade else ""


class MentorProfile(models.Model):
    """The mentor questionnaire «Чем я могу быть полезен в качестве наставника?»."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="mentor_profile"
    )
    competencies = models.TextField(_("Компетенции"), blank=True)
    subjects = models.TextField(_("Предметы"), blank=True)
    interests = models.TextField(_("Интересы"), blank=True)
    max_mentees = models.PositiveSmallIntegerField(
        _("Сколько наставляемых готов взять"),
        default=DEFAULT_MENTOR_CAPACITY,
        validators=[MinValueValidator(1)],
    )
    has_sen_experience = models.BooleanField(_("Опыт работы с детьми с ОВЗ"), default=False)
    filled_on = models.DateField(_("Дата анкеты"), null=True, blank=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("Анкета наставника")
        verbose_name_plural = _("Анкеты наставников")

    def __str__(self) -> str:
        return str(self.participant)


def mentor_capacity(participant: Participant, default: int = DEFAULT_MENTOR_CAPACITY) -> int:
    """How many mentees the mentor takes in all: the questionnaire's number, the single
    source (the questionnaire, the matching page and the import all write it); without a
    questionnaire, `default` (the programme's `mentor_capacity`)."""
    profile = getattr(participant, "mentor_profile", None)
    return profile.max_mentees if profile is not None else default


class NeedSource(models.TextChoices):
    SELF = "self", _("Анкета наставляемого")
    CLASS_TEACHER = "class_teacher", _("Классный руководитель")
    PSYCHOLOGIST = "psychologist", _("Педагог-психолог")
    SOCIAL_WORKER = "social_worker", _("Социальный педагог")
    PARENTS = "parents", _("Родители")
    ATTESTATION = "attestation", _("Рекомендации по итогам аттестации")


class MenteeNeed(models.Model):
    """A need of a mentee: from their own questionnaire or from third parties."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="needs")
    source = models.CharField(_("Источник"), max_length=20, choices=NeedSource.choices)
    text = models.TextField(_("Запрос / потребность"))
    recorded_on = models.DateField(_("Дата"), default=date.today)

    objects = TenantManager()

    class Meta:
        verbose_name = _("Потребность наставляемого")
        verbose_name_plural = _("Потребности наставляемых")
        ordering = ["recorded_on", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


# The parameters of the entry assessment, kept for comparison with the final one
# (monitoring of the participants' growth). Scores are 1-5.
ASSESSMENT_PARAMETERS = [
    ("motivation", _("Мотивация к обучению / профессиональной деятельности")),
    ("competence", _("Предметные и профессиональные компетенции")),
    ("soft_skills", _("Коммуникативные навыки")),
    ("self_confidence", _("Уверенность в себе")),
    ("results", _("Образовательные результаты")),
]


class EntryAssessment(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="assessments"
    )
    assessed_on = models.DateField(_("Дата оценки"), default=date.today)
    scores = models.JSONField(_("Оценки (1–5)"), default=dict)
    comment = models.TextField(_("Комментарий"), blank=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("Входная оценка")
        verbose_name_plural = _("Входные оценки")
        ordering = ["assessed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.participant} {self.assessed_on:%d.%m.%Y}"
