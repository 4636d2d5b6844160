"""Invitations: create, send, resend, revoke, accept. Each write is one audited transaction.

Inviting applies the grant rule (mentorship/services/grants.py) for the inviter; so do
resending and revoking. Accepting checks it again for the inviter: someone who has lost
the right to invite (their membership ended) no longer lets anyone in.

A used or revoked invitation keeps its token's hash, so its link says so in Russian
(it can never be accepted again); a resent one gets a new token, and the old link is
then simply not found.

The letter is sent by a task after the commit (`mentorship.send_invitation`, scheduled by
name). The task makes the link's token, stores its hash and sends — the token itself
exists only in that letter, never in the database nor in the broker.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorship import audit
from mentorship.conflicts import Conflict
from mentorship.http import absolute_url
from mentorship.models import Invitation, InvitationState, Membership, Organization, Role, User
from mentorship.ratelimit import hit

from .grants import check_grant

__all__ = [
    "InvitationNotFound",
    "InvitationThrottled",
    "NewAccount",
    "find_invitation",
    "invitation_accept",
    "invitation_create",
    "invitation_resend",
    "invitation_revoke",
    "invitation_send",
    "throttle_invitations",
]

logger = logging.getLogger(__name__)

SEND_TASK = "mentorship.send_invitation"
TOKEN_BYTES = 32
TOKEN_MAX_LENGTH = 64
THROTTLE_WINDOW = 3600


class InvitationThrottled(ValidationError):
    """Too many letters within the hour; the web answers 429, the API too."""


class InvitationNotFound(Exception):
    """No invitation has this token: forged, mistyped or replaced by a newer letter."""


@dataclass(frozen=True)
class NewAccount:
    """What a person without an account enters on the acceptance page."""

    password: str
    last_name: str = ""
    first_name: str = ""
    patronymic: str = ""
    position: str = ""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


# --- Inviting ---------------------------------------------------------------------------


def throttle_invitations(actor: User, letters: int = 1) -> None:
    """Count `letters` against the actor's hourly allowance; refuse past it."""
    if not hit(
        f"invitations:user:{actor.pk}", settings.INVITATIONS_PER_HOUR, THROTTLE_WINDOW, letters
    ):
        raise InvitationThrottled(
            _("Слишком много приглашений за час. Попробуйте позже или обратитесь в поддержку.")
        )


@transaction.atomic
def invitation_create(
    *,
    actor: User,
    organization: Organization,
    role: str,
    email: str,
    last_name: str = "",
    first_name: str = "",
    patronymic: str = "",
    position: str = "",
    throttle: bool = True,
) -> Invitation:
    """Invite `email` to hold `role` at `organization`; the letter goes after the commit.

    An open invitation of the same address and role there is sent again instead (with
    the names given now), so there is never more than one working link.
    `throttle=False` is for callers that counted the letters themselves (bulk start).
    """
    email = normalize_email(email)
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Введите правильный адрес электронной почты.")}) from None
    check_grant(actor=actor, organization=organization, role=role, person=email)
    if organization.is_closed:
        raise ValidationError(_("Организация закрыта: в неё нельзя пригласить."))
    if Membership.objects.filter(
        organization=organization, role=role, user__email__iexact=email
    ).exists():
        raise ValidationError(
            {
                "email": _("У этого сотрудника уже есть роль «%(role)s» здесь.")
                % {"role": Role(role).label}
            }
        )
    if throttle:
        throttle_invitations(actor)
    names = {
        "last_name": last_name.strip(),
        "first_name": first_name.strip(),
        "patronymic": patronymic.strip(),
        "position": position.strip(),
    }
    existing = (
        Invitation.objects.select_for_update()
        .of(organization)
        .open()
        .filter(email=email, role=role)
        .first()
    )
    if existing is not None:
        for field, value in names.items():
            if value:
                setattr(existing, field, value)
        existing.save(update_fields=list(names))
        return _request_sending(actor, existing, again=True)
    invitation = Invitation(
        organization=organization, role=role, email=email, invited_by=actor, **names
    )
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError:
        # Another request invited the same address at the same moment: one is enough,
        # and the other is told so as a collision (409), as every double click is.
        raise Conflict(
            {"email": _("Этому адресу уже отправлено приглашение на эту роль.")}
        ) from None
    return _request_sending(actor, invitation, again=False)


def _request_sending(actor: User, invitation: Invitation, *, again: bool) -> Invitation:
    invitation.send_requested_at = timezone.now()
    invitation.save(update_fields=["send_requested_at"])
    details = {"email": invitation.email, "role": invitation.role}
    if again:
        audit.record(
            actor=actor,
            organization=invitation.organization,
            action="invitation.resend",
            obj=invitation,
            **details,
        )
    else:
        audit.record(
            actor=actor,
            organization=invitation.organization,
            action="invitation.create",
            obj=invitation,
            **details,
        )
    organization_id, invitation_id = invitation.organization_id, invitation.pk
    transaction.on_commit(
        lambda: current_app.tasks[SEND_TASK].delay(organization_id, invitation_id)
    )
    return invitation


def _check_open(invitation: Invitation) -> None:
    if not invitation.is_open:
        raise ValidationError(_("Приглашение уже принято или отозвано."))


@transaction.atomic
def invitation_resend(*, actor: User, invitation: Invitation) -> Invitation:
    """Send the letter again with a new link (the old one stops working) for 7 more days."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    check_grant(
        actor=actor,
        organization=invitation.organization,
        role=invitation.role,
        person=invitation.email,
    )
    _check_open(invitation)
    if not hit(
        f"invitations:resend:{invitation.pk}",
        settings.INVITATION_SENDS_PER_HOUR,
        THROTTLE_WINDOW,
    ):
        raise InvitationThrottled(
            _("Это приглашение уже отправляли несколько раз за последний час. Попробуйте позже.")
        )
    throttle_invitations(actor)
    return _request_sending(actor, invitation, again=True)


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    """Withdraw an invitation: its link stops working at once."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    check_grant(
        actor=actor,
        organization=invitation.organization,
        role=invitation.role,
        person=invitation.email,
    )
    _check_open(invitation)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit.record(
        actor=actor,
        organization=invitation.organization,
        action="invitation.revoke",
        obj=invitation,
        email=invitation.email,
        role=invitation.role,
    )
    return invitation


# --- Sending (the task) -----------------------------------------------------------------


def invitation_send(invitation_id: int) -> bool:
    """Send the letter of an invitation whose sending was requested; True if sent.

    Safe to run twice: the row is locked, and a letter newer than the request means
    this request was served already. A failure to send rolls back the new token, so the
    task's retry makes another.
    """
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("organization", "invited_by")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None or not invitation.is_open:
            return False
        if invitation.sent_at is not None and invitation.sent_at >= invitation.send_requested_at:
            return False
        token = secrets.token_urlsafe(TOKEN_BYTES)
        now = timezone.now()
        invitation.token_hash = token_hash(token)
        invitation.sent_at = now
        invitation.expires_at = now + timedelta(days=settings.INVITATION_TTL_DAYS)
        invitation.send_count += 1
        invitation.save(update_fields=["token_hash", "sent_at", "expires_at", "send_count"])
        invitation_message(invitation, token).send()
    return True


def accept_path(token: str) -> str:
    return reverse("invitation_accept", kwargs={"token": token})


def invitation_message(invitation: Invitation, token: str) -> EmailMessage:
    organization = invitation.organization
    inviter = invitation.invited_by
    context = {
        "name": " ".join(p for p in (invitation.first_name, invitation.patronymic) if p),
        "inviter": inviter.get_full_name() or inviter.email if inviter else "",
        "role": Role(invitation.role).label,
        "organization": organization.full_name or organization.short_name,
        "link": absolute_url(accept_path(token)),
        "expires_on": timezone.localtime(invitation.expires_at).strftime("%d.%m.%Y"),
        "email": invitation.email,
        "portal": absolute_url("/"),
    }
    subject = _("Приглашение в портал наставничества: %(organization)s") % {
        "organization": organization.short_name
    }
    return EmailMessage(
        subject=subject,
        body=render_to_string("mentorship/email/invitation.txt", context),
        to=[invitation.email],
    )


# --- Accepting --------------------------------------------------------------------------


def find_invitation(token: str, *, lock: bool = False) -> Invitation:
    """The invitation of a token, whatever its state; InvitationNotFound otherwise.

    The token is the credential: the lookup is by its hash alone, across organisations.
    """
    if not token or len(token) > TOKEN_MAX_LENGTH:
        raise InvitationNotFound
    queryset = Invitation.objects.select_related("organization", "invited_by")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    invitation = queryset.filter(token_hash=token_hash(token)).first()
    if invitation is None:
        raise InvitationNotFound
    return invitation


def refusal(invitation: Invitation) -> str | None:
    """Why this invitation cannot be accepted now, in Russian; None if it can."""
    state = invitation.state()
    if state == InvitationState.ACCEPTED:
        return _("Приглашение уже принято. Войдите в портал со своим адресом и паролем.")
    if state == InvitationState.REVOKED:
        return _("Приглашение отозвано. Если это ошибка, попросите пригласить вас снова.")
    if state == InvitationState.EXPIRED:
        return _("Срок приглашения истёк. Попросите пригласившего отправить приглашение ещё раз.")
    if invitation.organization.is_closed:
        return _("Организация закрыта: приглашение больше не действует.")
    inviter = invitation.invited_by
    try:
        if inviter is None or not inviter.is_active:
            raise ValidationError("")
        check_grant(actor=inviter, organization=invitation.organization, role=invitation.role)
    except ValidationError:
        return _(
            "Приглашение больше не действует: у пригласившего больше нет права назначать "
            "эту роль. Попросите пригласить вас снова."
        )
    return None


def existing_account(invitation: Invitation) -> User | None:
    return User.objects.filter(email__iexact=invitation.email).first()


@transaction.atomic
def invitation_accept(
    *, token: str, user: User | None = None, new_account: NewAccount | None = None
) -> Membership:
    """Accept: the signed-in `user` whose address was invited, or a new account.

    The invitation row is locked first, so two acceptances at the same moment make one
    membership: the second finds it accepted and gets the Russian message.
    """
    invitation = find_invitation(token, lock=True)
    problem = refusal(invitation)
    if problem:
        raise ValidationError(problem)
    account = existing_account(invitation)
    if account is not None:
        if user is None or user.pk != account.pk:
            raise ValidationError(
                _(
                    "У адреса %(email)s уже есть учётная запись: "
                    "войдите с ним, чтобы принять приглашение."
                )
                % {"email": invitation.email}
            )
        if not account.is_active:
            raise ValidationError(_("Учётная запись отключена. Обратитесь к пригласившему."))
    else:
        if user is not None and user.is_authenticated:
            raise ValidationError(
                _(
                    "Приглашение отправлено на адрес %(email)s, а вы вошли как "
                    "%(current)s. Выйдите, чтобы принять его."
                )
                % {"email": invitation.email, "current": user.email}
            )
        if new_account is None:
            raise ValidationError(_("Задайте пароль, чтобы принять приглашение."))
        account = _create_account(invitation, new_account)
    membership, created = Membership.objects.get_or_create(
        user=account, organization=invitation.organization, role=invitation.role
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = account
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit.record(
        actor=account,
        organization=invitation.organization,
        action="invitation.accept",
        obj=invitation,
        email=invitation.email,
        role=invitation.role,
    )
    if created:
        audit.record(
            actor=invitation.invited_by,
            organization=invitation.organization,
            action="membership.grant",
            obj=membership,
            user=account.email,
            role=invitation.role,
            invitation=invitation.pk,
        )
    return membership


def _create_account(invitation: Invitation, data: NewAccount) -> User:
    try:
        with transaction.atomic():
            return User.objects.create_user(
                email=invitation.email,
                password=data.password,
                last_name=data.last_name or invitation.last_name,
                first_name=data.first_name or invitation.first_name,
                patronymic=data.patronymic or invitation.patronymic,
                position=data.position or invitation.position,
            )
    except IntegrityError:
        # Another invitation to the same address was accepted a moment ago.
        raise ValidationError(
            _("Учётная запись с адресом %(email)s уже создана: войдите, чтобы принять приглашение.")
            % {"email": invitation.email}
        ) from None
