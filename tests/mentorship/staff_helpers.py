"""Helpers of the staff tests: invite through the service and read the link from the mail."""

from __future__ import annotations

import re

from django.core import mail

from mentorship.services.invitations import invitation_create

LINK = re.compile(r"https?://\S+/invite/([A-Za-z0-9_-]+)/")


def tokens_in_outbox() -> list[str]:
    return [m for message in mail.outbox for m in LINK.findall(message.body)]


def last_token(email: str | None = None) -> str:
    messages = [m for m in mail.outbox if email is None or email in m.to]
    assert messages, "no letter was sent"
    found = LINK.findall(messages[-1].body)
    assert found, messages[-1].body
    return found[-1]


def invite(capture, *, actor, organization, role, email, **names):
    """Invite and run the letter's task as after the commit; (invitation, token)."""
    with capture(execute=True):
        invitation = invitation_create(
            actor=actor, organization=organization, role=role, email=email, **names
        )
    invitation.refresh_from_db()
    return invitation, last_token(invitation.email)
