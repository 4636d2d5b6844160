"""Activities of a roadmap (and their sub-activities), their progress and due dates."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorship.events import Event
from mentorship.models import Organization
from mentorship.tenancy.scoping import TenantManager
from roadmaps.deadlines.parsed import UNDATED_KINDS

from .roadmaps import Roadmap, Section


class ActivityStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Не начато")
    IN_PROGRESS = "in_progress", _("Выполняется")
    DONE = "done", _("Выполнено")
    # Never stored: shown when an unfinished activity is past its due date.
    OVERDUE = "overdue", _("Просрочено")


STORED_STATUSES = [
    (value, label) for value, label in ActivityStatus.choices if value != ActivityStatus.OVERDUE
]

# Fields of an activity that follow its origin until the school edits them itself.
PROPAGATED_FIELDS = (
    "number",
    "title",
    "content",
    "responsible_text",
    "deadline_text",
    "expected_result",
    "document_kind",
    "position",
    "auto_event",
)


class Activity(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="activities")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="activities")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    position = models.PositiveIntegerField(default=0)

    number = models.CharField(_("№"), max_length=30, blank=True)
    title = models.TextField(_("Мероприятие"))
    content = models.TextField(_("Содержание деятельности"), blank=True)
    responsible_text = models.TextField(_("Ответственные"), blank=True)
    responsible_organizations = models.ManyToManyField(
        Organization, blank=True, related_name="+", verbose_name=_("Ответственные организации")
    )
    responsible_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="responsible_activities",
        verbose_name=_("Ответственные пользователи"),
    )
    deadline_text = models.CharField(_("Сроки"), max_length=500, blank=True)
    deadline = models.JSONField(_("Разобранный срок"), default=dict, blank=True)
    deadline_kind = models.CharField(max_length=20, blank=True, db_index=True)
    # "срок требует уточнения": the parser could not read the phrase; a person must.
    deadline_unclear = models.BooleanField(_("Срок требует уточнения"), default=False)
    # The first due date within the roadmap's period: orders lists, decides "overdue".
    due_date = models.DateField(_("Срок (дата)"), null=True, blank=True, db_index=True)
    expected_result = models.TextField(_("Результат / критерии выполнения"), blank=True)
    document_kind = models.CharField(_("Вид документа"), max_length=300, blank=True)
    for_every_school = models.BooleanField(
        _("Для каждой образовательной организации"), default=False
    )

    origin = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    # Fields the school changed in its copy; the origin's edits no longer reach them.
    locally_changed = models.JSONField(default=list, blank=True)
    # The same activity in the roadmap's previous version: school copies follow it over.
    previous_version = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # Ticked off by itself when this event happens in the activity's organisation within
    # its roadmap's period (roadmaps/services/autotick.py); empty: only by hand.
    auto_event = models.CharField(
        _("Отмечается автоматически, когда"),
        max_length=30,
        choices=Event.choices,
        blank=True,
        help_text=_(
            "Когда это произойдёт в организации в период дорожной карты, мероприятие "
            "отметится выполненным, а подтверждением станет документ или страница портала."
        ),
    )

    status = models.CharField(
        _("Статус"), max_length=20, choices=STORED_STATUSES, default=ActivityStatus.NOT_STARTED
    )
    comment = models.TextField(_("Комментарий"), blank=True)
    evidence_file = models.FileField(
        _("Подтверждающий документ"), upload_to="evidence/%Y/", blank=True
    )
    evidence_url = models.URLField(_("Ссылка на подтверждение"), max_length=500, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Why the portal marked it done by itself: «издан приказ № 12 от 01.10.2026», the page
    # or document that shows it and the rule of that page (the link is shown to those it
    # permits). Cleared when a person changes the status.
    auto_done_at = models.DateTimeField(null=True, blank=True)
    auto_note = models.CharField(max_length=300, blank=True)
    auto_url = models.CharField(max_length=500, blank=True)
    auto_url_rule = models.CharField(max_length=100, blank=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("Мероприятие")
        verbose_name_plural = _("Мероприятия")
        ordering = ["section__position", "position", "pk"]
        indexes = [models.Index(fields=["origin", "organization"])]
        constraints = [
            # A school's roadmap holds one copy of each municipal duty.
            models.UniqueConstraint(
                fields=["roadmap", "origin"],
                condition=models.Q(origin__isnull=False),
                name="one_activity_copy_per_origin",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()[:200]

    def effective_status(self, today: date | None = None) -> str:
        today = today or timezone.localdate()
        if self.status != ActivityStatus.DONE and self.due_date and self.due_date < today:
            return ActivityStatus.OVERDUE
        return self.status

    @property
    def is_out_of_period(self) -> bool:
        """«Вне периода дорожной карты»: the deadline has dates, none within the period."""
        return (
            bool(self.deadline_kind)
            and not self.deadline_unclear
            and self.deadline_kind not in UNDATED_KINDS
            and self.due_date is None
        )

    def get_effective_status_display(self) -> str:
        return ActivityStatus(self.effective_status()).label


class ActivityDueDate(models.Model):
    """Each date an activity is due within its roadmap's period (recurring ones have several).

    A table rather than a list in JSON so that the morning reminder scan is one indexed
    range query over 100,000 activities.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="due_dates")
    due_on = models.DateField(db_index=True)

    objects = TenantManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "due_on"], name="unique_activity_due_on")
        ]
        ordering = ["due_on"]

    def __str__(self) -> str:
        return f"{self.activity_id} → {self.due_on:%d.%m.%Y}"
