"""Invitations: a letter with a single-use link that makes its reader a member.

Like a membership, an invitation is part of the tenancy itself (who may enter where),
not data a tenant owns: it has a plain manager, and every read names its organisation
(`Invitation.objects.of(org)`); the public acceptance page finds one by its token alone.

The link carries a random token; the row keeps only the token's SHA-256, so a copy of the
database opens no account. The token is made by the task that sends the letter (each
sending makes a new one, so only the latest letter's link works); it stops working when
the invitation is accepted, revoked or seven days after it was sent.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .organizations import Organization, Role


class InvitationState(models.TextChoices):
    PENDING = "pending", _("Ожидает ответа")
    EXPIRED = "expired", _("Срок истёк")
    ACCEPTED = "accepted", _("Принято")
    REVOKED = "revoked", _("Отозвано")


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def of(self, organization: Organization) -> InvitationQuerySet:
        return self.filter(organization=organization)

    def open(self) -> InvitationQuerySet:
        """Neither accepted nor revoked: shown on the staff page, expired ones included."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)


class Invitation(models.Model):
    """An invitation to hold `role` in `organization`, sent to `email`."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("Организация"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    role = models.CharField(_("Роль"), max_length=20, choices=Role.choices)
    email = models.EmailField(_("Электронная почта"))
    last_name = models.CharField(_("Фамилия"), max_length=100, blank=True)
    first_name = models.CharField(_("Имя"), max_length=100, blank=True)
    patronymic = models.CharField(_("Отчество"), max_length=100, blank=True)
    position = models.CharField(_("Должность"), max_length=200, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Кто пригласил"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("Создано"), default=timezone.now)
    # Sending: a request (invite, resend) stamps `send_requested_at`; the task sends only
    # while `sent_at` is older, so a task delivered twice sends one letter.
    send_requested_at = models.DateTimeField(_("Отправка запрошена"), default=timezone.now)
    sent_at = models.DateTimeField(_("Отправлено"), null=True, blank=True)
    send_count = models.PositiveSmallIntegerField(_("Писем отправлено"), default=0)
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    expires_at = models.DateTimeField(_("Действует до"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("Принято"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Кто принял"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("Отозвано"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Приглашение")
        verbose_name_plural = _("Приглашения")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One open invitation per person, role and organisation: inviting again
            # resends it instead of leaving two links that both work.
            models.UniqueConstraint(
                fields=["organization", "email", "role"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="unique_open_invitation",
                violation_error_message=_("Этому адресу уже отправлено приглашение на эту роль."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} — {self.get_role_display()} — {self.organization}"

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    @property
    def is_open(self) -> bool:
        """Neither accepted nor revoked (it may still have expired)."""
        return self.accepted_at is None and self.revoked_at is None

    def state(self, now=None) -> InvitationState:
        if self.accepted_at is not None:
            return InvitationState.ACCEPTED
        if self.revoked_at is not None:
            return InvitationState.REVOKED
        now = now or timezone.now()
        if self.expires_at is not None and self.expires_at <= now:
            return InvitationState.EXPIRED
        return InvitationState.PENDING
