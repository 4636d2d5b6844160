"""The organisation tree (region → municipality → educational organisation), the roles
and who holds which role where."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from stdnum.ru import inn as stdnum_inn


class OrganizationKind(models.TextChoices):
    REGION = "region", _("Регион")
    MUNICIPALITY = "municipality", _("Муниципалитет")
    SCHOOL = "school", _("Школа")
    COLLEGE = "college", _("Колледж (СПО)")
    ADDITIONAL = "additional", _("Центр дополнительного образования")
    OTHER = "other", _("Иная организация")


# Kinds that sit at the bottom of the tree: the educational organisations (ОО).
EDUCATIONAL_KINDS = (
    OrganizationKind.SCHOOL,
    OrganizationKind.COLLEGE,
    OrganizationKind.ADDITIONAL,
    OrganizationKind.OTHER,
)
# Which kind of parent each kind must have: the tree is exactly three levels deep.
PARENT_KIND = {
    OrganizationKind.REGION: None,
    OrganizationKind.MUNICIPALITY: OrganizationKind.REGION,
    **dict.fromkeys(EDUCATIONAL_KINDS, OrganizationKind.MUNICIPALITY),
}


def inn_validator(value: str) -> None:
    """An INN: 10 digits (an organisation) or 12 (a person), with valid check digits.

    The check digits catch the typical typo of a list typed by hand; a number that passes
    them can still belong to nobody, which only the tax service knows.
    """
    if not (value.isdigit() and len(value) in (10, 12)):
        raise ValidationError(_("ИНН состоит из 10 или 12 цифр."), code="inn_format")
    if not stdnum_inn.is_valid(value):
        raise ValidationError(
            _("Контрольные цифры ИНН не сходятся: проверьте, нет ли опечатки."),
            code="inn_checksum",
        )


class OrganizationQuerySet(models.QuerySet["Organization"]):
    def open(self) -> OrganizationQuerySet:
        """Organisations that work: closed ones (merged, liquidated) leave every list."""
        return self.filter(closed_at__isnull=True)


class Organization(models.Model):
    """A node of the tree region → municipality → educational organisation.

    Not a tenant-scoped model itself: it *is* the tenant. Tenant-owned rows point here.
    """

    kind = models.CharField(_("Вид"), max_length=20, choices=OrganizationKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("Вышестоящая организация"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    full_name = models.CharField(_("Полное наименование"), max_length=500)
    short_name = models.CharField(_("Краткое наименование"), max_length=200)
    slug = models.SlugField(_("Адрес в портале"), max_length=80, unique=True)
    inn = models.CharField(_("ИНН"), max_length=12, blank=True, validators=[inn_validator])
    # The issuing body's header on documents, e.g. «Управление образования
    # Исполнительного комитета муниципального образования г. Набережные Челны».
    document_header = models.CharField(_("Шапка документов"), max_length=500, blank=True)
    head_position = models.CharField(_("Должность руководителя"), max_length=200, blank=True)
    head_name = models.CharField(_("Руководитель (Фамилия И.О.)"), max_length=200, blank=True)
    address = models.CharField(_("Адрес"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # A closed organisation (merged into another, liquidated) keeps its rows and its
    # pages for those who had them, but leaves lists, switchers and bulk matching.
    closed_at = models.DateTimeField(_("Закрыта"), null=True, blank=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Организация")
        verbose_name_plural = _("Организации")
        ordering = ["kind", "short_name"]
        indexes = [models.Index(fields=["parent", "kind"])]
        constraints = [
            # One legal entity, one node: schools of a bulk start are matched by INN.
            models.UniqueConstraint(
                fields=["inn"],
                condition=~Q(inn=""),
                name="unique_organization_inn",
                violation_error_message=_("Организация с таким ИНН уже есть в портале."),
            )
        ]

    def __str__(self) -> str:
        return self.short_name

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def is_educational(self) -> bool:
        return self.kind in EDUCATIONAL_KINDS

    def lineage(self) -> list[Organization]:
        """This node and its ancestors, nearest first (at most three nodes)."""
        chain: list[Organization] = []
        node: Organization | None = self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain

    def municipality(self) -> Organization | None:
        return next((o for o in self.lineage() if o.kind == OrganizationKind.MUNICIPALITY), None)


class Role(models.TextChoices):
    CURATOR = "curator", _("Куратор")
    SCHOOL_VIEWER = "school_viewer", _("Наблюдатель школы")
    METHODIST = "methodist", _("Методист")
    DEPARTMENT = "department", _("Управление образования")
    REGIONAL = "regional", _("Региональный центр")


# Which level of the tree each role belongs to: a membership is refused elsewhere.
ROLE_LEVEL = {
    Role.CURATOR: "educational",
    Role.SCHOOL_VIEWER: "educational",
    Role.METHODIST: OrganizationKind.MUNICIPALITY,
    Role.DEPARTMENT: OrganizationKind.MUNICIPALITY,
    Role.REGIONAL: OrganizationKind.REGION,
}


class Membership(models.Model):
    """A user's role in an organisation; it covers that organisation's subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("Роль"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Членство")
        verbose_name_plural = _("Членства")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"], name="unique_membership_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.organization}"
