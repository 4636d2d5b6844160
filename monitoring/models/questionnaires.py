"""Questionnaires: sections and questions, versioned once answered.

Questionnaires are templates, not personal data. The standard ones (organization NULL)
are offered to every organisation; the others belong to the municipality or school that
built them and are seen there only. A tenant-scoped manager would hide the standard
ones (its filter is `organization IN (scope)`), so these three models use plain managers
and every read of a tenant's page goes through `available_at()`
(monitoring/views/common.py, the API's questionnaire viewset).
"""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorship.models import Organization


class Kind(models.TextChoices):
    MENTEE_SATISFACTION = "mentee_satisfaction", _("Удовлетворённость наставляемых")
    MENTOR_SATISFACTION = "mentor_satisfaction", _("Удовлетворённость наставников")
    PROCESS_QUALITY = "process_quality", _("Качество процесса наставничества")
    GROWTH_ENTRY = "growth_entry", _("Входная оценка (рост участников)")
    GROWTH_FINAL = "growth_final", _("Итоговая оценка (рост участников)")
    CURATOR_REPORT = "curator_report", _("Отчёт куратора")
    MENTEE_INTAKE = "mentee_intake", _("Анкета кандидата в наставляемые")
    MENTOR_INTAKE = "mentor_intake", _("Анкета кандидата в наставники")
    PARTNER_CHOICE = "partner_choice", _("Выбор после групповой встречи")
    CUSTOM = "custom", _("Своя анкета")


# Questionnaires of the candidates' intake and of the choice after a group meeting: they
# name the person to the curator, so a monitoring campaign never offers them.
PARTICIPANT_KINDS = (Kind.MENTEE_INTAKE, Kind.MENTOR_INTAKE, Kind.PARTNER_CHOICE)
# Questionnaires whose scale answers make the satisfaction indicators.
SATISFACTION_KINDS = (Kind.MENTEE_SATISFACTION, Kind.MENTOR_SATISFACTION)


class Audience(models.TextChoices):
    MENTOR = "mentor", _("Наставники")
    MENTEE = "mentee", _("Наставляемые")
    CURATOR = "curator", _("Кураторы")
    ANY = "any", _("Любые участники")


class QuestionKind(models.TextChoices):
    SCALE_5 = "scale_5", _("Шкала 1–5")
    SCALE_10 = "scale_10", _("Шкала 1–10")
    SINGLE = "single", _("Один вариант")
    MULTIPLE = "multiple", _("Несколько вариантов")
    YES_NO = "yes_no", _("Да / нет")
    TEXT = "text", _("Свободный ответ")


# Kinds whose answer is one number in Answer.value (a scale point, 1/0, an option index).
NUMERIC_KINDS = (
    QuestionKind.SCALE_5,
    QuestionKind.SCALE_10,
    QuestionKind.YES_NO,
    QuestionKind.SINGLE,
)
CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
SCALE_MAX = {QuestionKind.SCALE_5: 5, QuestionKind.SCALE_10: 10}


class QuestionnaireQuerySet(models.QuerySet["Questionnaire"]):
    def available_at(self, organization: Organization) -> QuestionnaireQuerySet:
        """Every version offered at `organization`: the standard ones and its own."""
        return self.filter(
            models.Q(organization__isnull=True) | models.Q(organization_id=organization.pk)
        )

    def owned_by(self, organization: Organization) -> QuestionnaireQuerySet:
        return self.filter(organization=organization)


class Questionnaire(models.Model):
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("Владелец"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Пусто — стандартная анкета портала."),
    )
    title = models.CharField(_("Название"), max_length=300)
    description = models.TextField(_("Вступление для участника"), blank=True)
    kind = models.CharField(_("Вид"), max_length=30, choices=Kind.choices, default=Kind.CUSTOM)
    audience = models.CharField(
        _("Кто отвечает"), max_length=20, choices=Audience.choices, default=Audience.ANY
    )
    # Versions of one questionnaire share `family`; the newest has is_current.
    family = models.UUIDField(_("Семейство версий"), db_index=True)
    version = models.PositiveIntegerField(_("Версия"), default=1)
    is_current = models.BooleanField(_("Текущая версия"), default=True)
    # Set for the shipped questionnaires, so that ensuring them is idempotent.
    standard_code = models.SlugField(max_length=50, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Bumped by every builder change: the public form caches questions by (id, updated_at).
    updated_at = models.DateTimeField(default=timezone.now)

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        verbose_name = _("Анкета")
        verbose_name_plural = _("Анкеты")
        ordering = ["organization_id", "title", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["family", "version"], name="unique_questionnaire_version"
            ),
            # Two editors of an answered questionnaire make one new version, not two.
            models.UniqueConstraint(
                fields=["family"],
                condition=models.Q(is_current=True),
                name="one_current_questionnaire_version",
                violation_error_message=_(
                    "Анкету только что изменил кто-то ещё: обновите страницу."
                ),
            ),
            # An organisation's questionnaires are told apart by their titles; the same
            # title twice is one questionnaire created by a double click.
            models.UniqueConstraint(
                Lower("title"),
                "organization",
                condition=models.Q(is_current=True, organization__isnull=False),
                name="one_current_questionnaire_per_title",
                violation_error_message=_(
                    "Анкета с таким названием уже есть: выберите другое название."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})" if self.version > 1 else self.title

    @property
    def is_standard(self) -> bool:
        return self.organization_id is None


class Section(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="sections"
    )
    title = models.CharField(_("Раздел"), max_length=300)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("Раздел анкеты")
        verbose_name_plural = _("Разделы анкеты")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    # Denormalised from the section: the public form loads a questionnaire's questions in
    # one indexed query, and aggregation joins answers to questions without sections.
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(default=0)
    # Stable across versions and between the entry and final growth questionnaires, so
    # that answers to "the same question" can be compared (e.g. "motivation").
    code = models.SlugField(_("Код"), max_length=50)
    text = models.TextField(_("Вопрос"))
    help_text = models.CharField(_("Подсказка"), max_length=300, blank=True)
    kind = models.CharField(_("Тип"), max_length=20, choices=QuestionKind.choices)
    options = models.JSONField(_("Варианты ответа"), default=list, blank=True)
    required = models.BooleanField(_("Обязательный"), default=True)

    class Meta:
        verbose_name = _("Вопрос")
        verbose_name_plural = _("Вопросы")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="unique_question_code")
        ]

    def __str__(self) -> str:
        return self.text[:80]
