"""The core every app leans on: users, the organisation tree, memberships, audit."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra) -> User:
        if not email:
            raise ValueError("An e-mail is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str) -> User:
        # Log-in by e-mail is case-insensitive: people type their address as they like.
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("Электронная почта"), unique=True)
    last_name = models.CharField(_("Фамилия"), max_length=100, blank=True)
    first_name = models.CharField(_("Имя"), max_length=100, blank=True)
    patronymic = models.CharField(_("Отчество"), max_length=100, blank=True)
    position = models.CharField(_("Должность"), max_length=200, blank=True)
    is_active = models.BooleanField(_("Активен"), default=True)
    is_staff = models.BooleanField(_("Доступ к администрированию"), default=False)
    date_joined = models.DateTimeField(_("Дата регистрации"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("Пользователь")
        verbose_name_plural = _("Пользователи")

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    def get_short_name(self) -> str:
        """Surname and initials, as Russian documents write people: «Иванова А.С.»."""
        initials = "".join(f"{p[0]}." for p in (self.first_name, self.patronymic) if p)
        return f"{self.last_name} {initials}".strip() or self.email


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

inn_validator = RegexValidator(r"^(\d{10}|\d{12})$", _("ИНН состоит из 10 или 12 цифр."))


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
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Организация")
        verbose_name_plural = _("Организации")
        ordering = ["kind", "short_name"]
        indexes = [models.Index(fields=["parent", "kind"])]

    def __str__(self) -> str:
        return self.short_name

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


class AuditEntry(models.Model):
    """Who did what, when, in which organisation, to which object.

    Written by services for every change to personal data and every document download;
    never edited. Kept apart from the objects so it outlives their depersonalisation.
    """

    at = models.DateTimeField(_("Когда"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Кто"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(_("Кто (как записано)"), max_length=300, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("Организация"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("Действие"), max_length=60, db_index=True)
    object_type = models.CharField(_("Тип объекта"), max_length=100, blank=True)
    object_id = models.CharField(_("Идентификатор объекта"), max_length=64, blank=True)
    object_repr = models.CharField(_("Объект"), max_length=300, blank=True)
    details = models.JSONField(_("Подробности"), default=dict, blank=True)

    class Meta:
        verbose_name = _("Запись журнала аудита")
        verbose_name_plural = _("Журнал аудита")
        ordering = ["-at"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.actor_label} {self.action} {self.object_repr}"


from mentorship.documents.models import Document  # noqa: E402,F401
