"""The school of mentors (seed 001 stage 4, seed 000 «Школа наставника», seed 002's
36-hour course): courses, their sessions, the mentors enrolled, attendance, completion.

A course is run by a school for its own mentors or by a municipality for the mentors of
its schools. Every row belongs to the course's organisation. A municipal course enrols
adults from the municipal mentor base only (registry/selectors/municipal.py): the
participant row stays in its school, the enrolment names it by key, and no pupil can be
enrolled anywhere, so nothing about a pupil goes above the school.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from mentorship.models import Document, Organization
from mentorship.tenancy.scoping import TenantManager
from registry.models.people import Participant

COURSE_HOURS_MAX = 500


class CourseStatus(models.TextChoices):
    PLANNED = "planned", _("Набор")
    RUNNING = "running", _("Идёт обучение")
    FINISHED = "finished", _("Завершён")


class Course(models.Model):
    """A course of the school of mentors: its programme, hours and trainers."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("Название курса"), max_length=300)
    programme = models.TextField(_("Программа (темы, модули)"), blank=True)
    hours = models.PositiveSmallIntegerField(_("Объём, часов"))
    trainers = models.CharField(_("Ведущие (тренеры)"), max_length=500, blank=True)
    starts_on = models.DateField(_("Начало"), null=True, blank=True)
    ends_on = models.DateField(_("Окончание"), null=True, blank=True)
    status = models.CharField(
        _("Состояние"), max_length=20, choices=CourseStatus.choices, default=CourseStatus.PLANNED
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("Курс школы наставников")
        verbose_name_plural = _("Курсы школы наставников")
        ordering = ["-starts_on", "title", "pk"]

    def __str__(self) -> str:
        return self.title


class CourseSession(models.Model):
    """One session of a course on a date: a lecture, a workshop, a trial meeting."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("Дата"))
    starts_at = models.TimeField(_("Начало"), null=True, blank=True)
    topic = models.CharField(_("Тема занятия"), max_length=300)
    hours = models.PositiveSmallIntegerField(_("Часов"), default=2)
    place = models.CharField(_("Место"), max_length=300, blank=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("Занятие курса")
        verbose_name_plural = _("Занятия курса")
        ordering = ["date", "starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.topic}"


class Enrollment(models.Model):
    """A mentor on a course; completion and the certificate issued for it."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrollments")
    # A mentor of the course's school, or of a school under the course's municipality.
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="enrollments"
    )
    enrolled_on = models.DateField(_("Зачислен"))
    completed_on = models.DateField(_("Окончил обучение"), null=True, blank=True)
    # The certificate is a numbered document of the course's organisation.
    certificate = models.ForeignKey(
        Document,
        verbose_name=_("Сертификат"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = TenantManager()

    class Meta:
        verbose_name = _("Слушатель курса")
        verbose_name_plural = _("Слушатели курса")
        ordering = ["participant__last_name", "participant__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "participant"], name="one_enrollment_per_course"
            )
        ]

    def __str__(self) -> str:
        return f"{self.course_id}: {self.participant_id}"


class Attendance(models.Model):
    """A mentor was at a session: the row exists; absence is no row."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(CourseSession, on_delete=models.CASCADE, related_name="attendance")
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="attendance")

    objects = TenantManager()

    class Meta:
        verbose_name = _("Посещение занятия")
        verbose_name_plural = _("Посещения занятий")
        constraints = [
            models.UniqueConstraint(fields=["session", "enrollment"], name="one_attendance_mark")
        ]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.enrollment_id}"
