"""What the region does with its municipalities' year (issue 17): the submitted figures,
frozen, and the review threads about a municipal roadmap or report.

Both rows belong to the municipality (`organization`): the region reads and writes them
at the municipality's address, through its membership of the region above it. A region
never sees another region's, a municipality never another municipality's.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mentorship.models import Organization
from mentorship.tenancy.scoping import TenantManager


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Сдан")
    RETURNED = "returned", _("Возвращён на доработку")


class YearSubmission(models.Model):
    """A municipality's year «сдан в регион»: its indicator figures frozen as submitted.

    `figures` is the stored snapshot, true values (never published as is: pages publish
    them through the same suppression as the live ones), a JSON object::

        {"values": {"<indicator code>": {"numerator": int, "denominator": int | null,
                                         "applicable": bool, "respondents": int}, ...},
         "participants": int, "schools": int, "introduced": bool}

    The codes are `monitoring.indicators.selectors.values.MUNICIPAL_CODES`. One row per
    municipality and year: a returned submission is submitted again over the same row
    (the audit log keeps each step). Read frozen figures through
    `monitoring.indicators.selectors.oversight.submitted_figures(region, year)`.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("Год"))
    status = models.CharField(
        _("Статус"),
        max_length=20,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.SUBMITTED,
    )
    figures = models.JSONField(_("Показатели на момент сдачи"), default=dict)
    submitted_at = models.DateTimeField(_("Сдан"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # How many times it was submitted: 2 and more after a return.
    times_submitted = models.PositiveSmallIntegerField(default=1)
    returned_at = models.DateTimeField(_("Возвращён"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_comment = models.TextField(_("Комментарий региона"), blank=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("Сданный отчёт муниципалитета")
        verbose_name_plural = _("Сданные отчёты муниципалитетов")
        ordering = ["-year", "organization"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"],
                name="one_submission_a_year",
                violation_error_message=_("Отчёт за этот год уже сдан: обновите страницу."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.year} {self.status}"

    @property
    def is_submitted(self) -> bool:
        return self.status == SubmissionStatus.SUBMITTED

    @property
    def values(self) -> dict[str, dict[str, Any]]:
        return self.figures.get("values", {})


class Review(models.Model):
    """A thread of comments and recommendations from the region to a municipality about
    its roadmap (`roadmap`) or its year's report (`year`), answered by the municipality.

    `awaiting_answer`: the last word is the region's; the municipality's home page lists
    such threads as a to-do until its methodist or department answers.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    roadmap = models.ForeignKey(
        "roadmaps.Roadmap",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("Дорожная карта"),
    )
    year = models.PositiveSmallIntegerField(_("Отчёт за год"), null=True, blank=True)
    awaiting_answer = models.BooleanField(_("Ждёт ответа муниципалитета"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("Замечания региона")
        verbose_name_plural = _("Замечания региона")
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["organization", "awaiting_answer"])]

    def __str__(self) -> str:
        return f"{self.organization_id} #{self.pk}"


class ReviewComment(models.Model):
    """One message of a thread: the region's comment or the municipality's answer."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_region = models.BooleanField(default=False)
    text = models.TextField(_("Текст"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("Сообщение")
        verbose_name_plural = _("Сообщения")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]
