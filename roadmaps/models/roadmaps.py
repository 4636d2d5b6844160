"""A roadmap and its ordered sections: the plan of a municipality or a school."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mentorship.models import Organization
from mentorship.tenancy.scoping import TenantManager


class RoadmapStatus(models.TextChoices):
    DRAFT = "draft", _("Черновик")
    APPROVED = "approved", _("Утверждена")
    ARCHIVED = "archived", _("В архиве")


class Roadmap(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("Наименование"), max_length=500)
    period_start = models.DateField(_("Начало периода"))
    period_end = models.DateField(_("Окончание периода"))
    status = models.CharField(
        _("Статус"), max_length=20, choices=RoadmapStatus.choices, default=RoadmapStatus.DRAFT
    )
    order_number = models.CharField(_("Номер приказа об утверждении"), max_length=50, blank=True)
    order_date = models.DateField(_("Дата приказа"), null=True, blank=True)
    version = models.PositiveIntegerField(_("Версия"), default=1)
    previous_version = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A school's roadmap that holds the copies of a municipal roadmap's school duties.
    origin = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="school_copies"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TenantManager()

    class Meta:
        verbose_name = _("Дорожная карта")
        verbose_name_plural = _("Дорожные карты")
        ordering = ["-period_start", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "origin"],
                condition=models.Q(origin__isnull=False),
                name="one_school_copy_per_origin",
                violation_error_message=_(
                    "Обязанности этой дорожной карты уже переданы в школу: обновите страницу."
                ),
            ),
            # A version has at most one next version: one draft per lineage, and no two
            # "version 2" roadmaps from two «new draft» clicks at once.
            models.UniqueConstraint(
                fields=["previous_version"],
                condition=models.Q(previous_version__isnull=False),
                name="one_next_version",
                violation_error_message=_(
                    "Новая редакция этой дорожной карты уже создана: обновите страницу."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.status == RoadmapStatus.DRAFT


class Section(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(_("Раздел"), max_length=500)
    # Duties of every educational organisation of the municipality («на уровне ОО»).
    for_every_school = models.BooleanField(
        _("Для каждой образовательной организации"), default=False
    )
    origin = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    # The same section in the roadmap's previous version: school copies follow it over.
    previous_version = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = TenantManager()

    class Meta:
        verbose_name = _("Раздел дорожной карты")
        verbose_name_plural = _("Разделы дорожной карты")
        ordering = ["roadmap", "position", "pk"]
        constraints = [
            # A school's roadmap holds one copy of each municipal section.
            models.UniqueConstraint(
                fields=["roadmap", "origin"],
                condition=models.Q(origin__isnull=False),
                name="one_section_copy_per_origin",
            )
        ]

    def __str__(self) -> str:
        return self.title
