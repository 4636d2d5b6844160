"""In-app notifications and the reminder delivery ledger."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorship.models import Organization
from mentorship.tenancy.scoping import TenantManager

if TYPE_CHECKING:
    from mentorship.models import User


class NotificationQuerySet(models.QuerySet["Notification"]):
    def for_user(self, user: User) -> NotificationQuerySet:
        return self.filter(user=user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message shown to one user in the portal (the bell in the navbar).

    Owned by its recipient, not by a tenant: a curator of two schools reads one list.
    So it has a plain manager and every read goes through `for_user()`; `organization`
    says which organisation the message is about and keeps the row deletable with it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Получатель"),
        on_delete=models.CASCADE,
        related_name="notifications",
        # Led by `user`, the (user, -created_at) index below serves every lookup by user.
        db_index=False,
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("Организация"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField(_("Заголовок"), max_length=300)
    body = models.TextField(_("Текст"), blank=True)
    # A path inside the portal (not an absolute URL): it keeps working if the host moves.
    url = models.CharField(_("Ссылка"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("Создано"), default=timezone.now)
    read_at = models.DateTimeField(_("Прочитано"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Уведомление")
        verbose_name_plural = _("Уведомления")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_user_recent"),
            # The bell counts unread rows on every page: keep that count index-only small.
            models.Index(
                fields=["user"],
                condition=models.Q(read_at__isnull=True),
                name="notification_user_unread",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class LeasedClaim(models.Model):
    """A delivery claimed by one run for a while: the lease protocol of every reminder ledger.

    A run inserts its claims with `lease_until` (committed before it sends anything),
    marks each one sent right after its own letter, and deletes what it did not send.
    A run killed mid-send (SIGKILL, a lost machine) leaves unsent claims behind: once
    their lease has run out, the next run takes them over and sends them. The lease
    outlives the longest a run may hold it (the task's hard time limit), so a live run
    never loses a claim to another; see mentorship/notifications/ledger.py.
    """

    # The run that holds the claim: a run re-reads only its own rows after inserting.
    run_id = models.UUIDField(db_index=True)
    claimed_at = models.DateTimeField(default=timezone.now)
    # Until when the claim is the run's own. Past it, an unsent claim is free to take.
    lease_until = models.DateTimeField(default=timezone.now)
    # Null while claimed and not yet confirmed sent.
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


def unsent_index(name: str) -> models.Index:
    """The few unsent claims, by lease: what a run looks for to take over."""
    return models.Index(fields=["lease_until"], condition=models.Q(sent_at__isnull=True), name=name)


class ReminderDelivery(LeasedClaim):
    """One reminder to one person about one item, due date and kind: claimed, then sent.

    The unique key is what makes reminders single even when two runs overlap: a run
    inserts its claims (ON CONFLICT DO NOTHING) and commits before it sends anything, so
    whatever another run holds or has sent is skipped. `topic` and `object_id` name the
    item generically ("roadmaps.activity", 42) so that this core app does not depend on
    the apps that remind through it.
    """

    # The unique key starts with the recipient: a separate index would only slow inserts.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    topic = models.CharField(max_length=50)
    object_id = models.BigIntegerField()
    due_on = models.DateField()
    kind = models.CharField(max_length=20)

    objects = TenantManager()

    class Meta:
        verbose_name = _("Отправленное напоминание")
        verbose_name_plural = _("Отправленные напоминания")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "topic", "object_id", "due_on", "kind"],
                name="unique_reminder_delivery",
            )
        ]
        indexes = [unsent_index("reminder_delivery_unsent")]

    def __str__(self) -> str:
        return f"{self.topic}:{self.object_id} {self.kind} {self.due_on} → {self.recipient_id}"
