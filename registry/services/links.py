"""Personal links: a participant's page and calendar feed, the organisation's feed.

A link is a random token in a URL; the row keeps only its SHA-256 (`PersonalLink`), so
a copy of the database opens nothing and the portal cannot show an old link again:
reissuing makes a new token and revokes the old in one transaction. A participant's
links work only while the person may be processed (a valid consent, not
depersonalised): a withdrawn consent revokes them at once (registry/apps.py) and the
check on every use (`personal_link_resolve`) fails closed anyway.

Where a link goes: an adult's own address; a minor's (a pupil under 18) only to the
parent or guardian who gave the consent, when their contact is an e-mail address.
Otherwise the curator hands the link over (it is shown to them once).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorship import audit
from mentorship.http import absolute_url
from mentorship.models import Organization, User
from registry.models import (
    ConsentGiver,
    ConsentState,
    LinkPurpose,
    Participant,
    PersonalLink,
)
from registry.services.consent import can_process

PERSONAL = (LinkPurpose.PAGE, LinkPurpose.FEED)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedLink:
    link: PersonalLink
    # The secret itself: shown once, mailed once, never stored.
    token: str


def _valid_email(value: str) -> str:
    value = (value or "").strip()
    try:
        validate_email(value)
    except ValidationError:
        return ""
    return value


def participant_address(participant: Participant) -> str:
    """Where letters to this person go, or "" (nowhere: the curator hands things over).

    A minor's letters go to the parent or guardian who gave the valid consent, never to
    the child; uses `participant.consents` (prefetch it for many people)."""
    if participant.is_minor():
        for consent in participant.consents.all():
            if (
                consent.given_by in (ConsentGiver.PARENT, ConsentGiver.GUARDIAN)
                and consent.state() == ConsentState.VALID
            ):
                address = _valid_email(consent.giver_contact)
                if address:
                    return address
        return ""
    return _valid_email(participant.email)


def _revoke_live(queryset) -> int:
    return queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


@transaction.atomic
def personal_link_issue(
    *, actor: User | None, participant: Participant, purpose: str = LinkPurpose.PAGE
) -> IssuedLink:
    """Issue (or reissue) a participant's link; the previous one dies now."""
    if purpose not in PERSONAL:
        raise ValidationError(_("Неизвестный вид ссылки."))
    # The person's row is locked: two reissues at once leave one live link, not an error.
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if not can_process(participant):
        raise ValidationError(
            _("Ссылку можно выдать только участнику с действующим согласием на обработку данных.")
        )
    _revoke_live(PersonalLink.objects.filter(participant=participant, purpose=purpose))
    token = secrets.token_urlsafe(32)
    link = PersonalLink.objects.create(
        organization=participant.organization,
        participant=participant,
        purpose=purpose,
        token_hash=token_hash(token),
        sent_to=participant_address(participant),
        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        organization=participant.organization,
        action="link.issue",
        obj=participant,
        purpose=purpose,
    )
    return IssuedLink(link, token)


def personal_links_issue_many(
    *, actor: User | None, participants: Iterable[Participant], purpose: str = LinkPurpose.PAGE
) -> tuple[list[tuple[Participant, IssuedLink]], list[Participant]]:
    """Issue links to many people, one transaction each; returns (issued, refused)."""
    issued, refused = [], []
    for participant in participants:
        try:
            issued.append(
                (
                    participant,
                    personal_link_issue(actor=actor, participant=participant, purpose=purpose),
                )
            )
        except ValidationError:
            refused.append(participant)
    return issued, refused


@transaction.atomic
def personal_links_revoke(
    *, actor: User | None, participant: Participant, reason: str = "curator"
) -> int:
    """Every live link of this person dies (their page and their feed)."""
    count = _revoke_live(PersonalLink.objects.filter(participant=participant))
    if count:
        audit.record(
            actor=actor,
            organization=participant.organization,
            action="link.revoke",
            obj=participant,
            reason=reason,
        )
    return count


@transaction.atomic
def organization_feed_issue(*, actor: User | None, organization: Organization) -> IssuedLink:
    """Issue (or reissue) the organisation's private calendar feed."""
    # The organisation's row serialises two reissues at once.
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    _revoke_live(
        PersonalLink.objects.filter(
            organization=organization, participant__isnull=True, purpose=LinkPurpose.ORG_FEED
        )
    )
    token = secrets.token_urlsafe(32)
    link = PersonalLink.objects.create(
        organization=organization,
        purpose=LinkPurpose.ORG_FEED,
        token_hash=token_hash(token),
        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor, organization=organization, action="calendar_feed.issue", obj=organization
    )
    return IssuedLink(link, token)


@transaction.atomic
def organization_feed_revoke(*, actor: User | None, organization: Organization) -> int:
    count = _revoke_live(
        PersonalLink.objects.filter(
            organization=organization, participant__isnull=True, purpose=LinkPurpose.ORG_FEED
        )
    )
    if count:
        audit.record(
            actor=actor, organization=organization, action="calendar_feed.revoke", obj=organization
        )
    return count


def personal_link_resolve(token: str, purpose: str) -> PersonalLink | None:
    """The live link of this token and purpose, or None; fails closed.

    Runs before any tenant is known (the token is the key), so it reads unscoped by
    the token's hash alone. A participant's link also dies with their consent: the
    state is checked on every use, not only when the consent is withdrawn.
    """
    from mentorship.tenancy.scoping import unscoped_reads

    if not token or len(token) > 100:
        return None
    with unscoped_reads():
        link = (
            PersonalLink.objects.select_related("organization", "participant")
            .filter(token_hash=token_hash(token), purpose=purpose, revoked_at__isnull=True)
            .first()
        )
    if link is None or link.organization.closed_at is not None:
        return None
    if link.participant is not None and not can_process(link.participant):
        return None
    return link


def personal_link_touch(link: PersonalLink) -> None:
    """Note the link's use, at most once an hour (a calendar app polls often)."""
    now = timezone.now()
    if link.last_used_at is None or (now - link.last_used_at).total_seconds() > 3600:
        PersonalLink.objects.filter(pk=link.pk).update(last_used_at=now)


# --- Addresses and letters ------------------------------------------------------------


def feed_url(organization: Organization, token: str) -> str:
    path = reverse("registry:calendar_ics", kwargs={"org_slug": organization.slug})
    return absolute_url(f"{path}?token={token}")


def page_url(token: str) -> str:
    return absolute_url(reverse("participant_page:home", kwargs={"token": token}))


def personal_links_mail(issued: list[tuple[Participant, IssuedLink]]) -> None:
    """After commit: each link with an address goes out in one connection. A failure is
    left to the curator, who sees every link on the page and can hand it over."""
    letters = [
        (participant, item)
        for participant, item in issued
        if item.link.sent_to and item.link.purpose == LinkPurpose.PAGE
    ]
    if not letters:
        return

    def send() -> None:
        with get_connection(fail_silently=True) as connection:
            messages_out = [
                EmailMessage(
                    subject=_("Ваша страница участника программы наставничества"),
                    body=render_to_string(
                        "registry/email/personal_link.txt",
                        {
                            "name": " ".join(
                                p for p in (participant.first_name, participant.patronymic) if p
                            ),
                            "minor": participant.is_minor(),
                            "school": participant.organization.short_name,
                            "link": page_url(item.token),
                        },
                    ),
                    to=[item.link.sent_to],
                    connection=connection,
                )
                for participant, item in letters
            ]
            connection.send_messages(messages_out)

    transaction.on_commit(send)
