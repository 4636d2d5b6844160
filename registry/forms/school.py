"""Forms of the school of mentors; the services do the writing and the validation.

Enrolment, attendance and completion come as lists of checked boxes from one screen
(the course page); they are read here as ids, and the service checks each id belongs.
"""

from __future__ import annotations

from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from mentorship.forms import DateInput
from registry.models import Course, CourseSession
from registry.services.school import COURSE_FIELDS, SESSION_FIELDS


class CourseForm(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(
            fields_for_model(
                Course,
                fields=COURSE_FIELDS,
                widgets={
                    "starts_on": DateInput(),
                    "ends_on": DateInput(),
                    "programme": forms.Textarea(attrs={"rows": 4}),
                },
                help_texts={
                    "programme": _("Модули и темы, по строке на каждый."),
                    "trainers": _("Кто ведёт занятия: ФИО, должность."),
                },
            )
        )


class SessionForm(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(
            fields_for_model(
                CourseSession,
                fields=SESSION_FIELDS,
                widgets={
                    "date": DateInput(),
                    "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                },
            )
        )


def checked_ids(data, name: str) -> list[str]:
    """The values of the checked boxes called `name` (the service turns them into ids)."""
    return data.getlist(name)


def attendance_marks(data) -> list[tuple[str, str]]:
    """Boxes named `a` with values "<session id>-<enrolment id>" → (session, enrolment)."""
    marks = []
    for value in data.getlist("a"):
        session, _sep, enrollment = value.partition("-")
        marks.append((session, enrollment))
    return marks
