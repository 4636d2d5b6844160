"""Invitations: the letter, the hashed single-use token, resend, revoke, accept, the
throttle, and two acceptances of one link at the same moment."""

import hashlib
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from mentorship.models import AuditEntry, Invitation, Membership, Role, User
from mentorship.services import membership_revoke
from mentorship.services.invitations import (
    InvitationNotFound,
    InvitationThrottled,
    NewAccount,
    invitation_accept,
    invitation_create,
    invitation_resend,
    invitation_revoke,
    invitation_send,
)
from tests.factories import UserFactory
from tests.mentorship.staff_helpers import invite, last_token

PASSWORD = "Nastavnik-2026!"


def test_the_letter_is_russian_with_an_absolute_link_and_only_the_hash_is_stored(
    cast, django_capture_on_commit_callbacks, settings
):
    settings.PORTAL_URL = "https://mentor.example.ru"
    invitation, token = invite(
        django_capture_on_commit_callbacks,
        actor=cast.methodist,
        organization=cast.school,
        role=Role.CURATOR,
        email="  New.Curator@School.RU ",
        last_name="Петрова",
        first_name="Мария",
        patronymic="Ивановна",
    )
    message = mail.outbox[-1]
    assert message.to == ["new.curator@school.ru"]
    assert message.subject == "Приглашение в портал наставничества: Школа А1"
    assert "Здравствуйте, Мария Ивановна!" in message.body
    assert "роль «Куратор»" in message.body
    assert f"https://mentor.example.ru/invite/{token}/" in message.body
    assert len(token) >= 40
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(Invitation.objects.values().get())
    assert invitation.expires_at - invitation.sent_at == timedelta(days=7)
    assert invitation.email == "new.curator@school.ru"
    entry = AuditEntry.objects.get(action="invitation.create")
    assert entry.actor == cast.methodist and entry.organization == cast.school


def test_the_task_delivered_twice_sends_one_letter(cast, django_capture_on_commit_callbacks):
    invitation, token = invite(
        django_capture_on_commit_callbacks,
        actor=cast.curator,
        organization=cast.school,
        role=Role.SCHOOL_VIEWER,
        email="viewer2@a1.test",
    )
    assert invitation_send(invitation.pk) is False
    assert len(mail.outbox) == 1
    invitation.refresh_from_db()
    assert invitation.send_count == 1


def test_a_new_person_accepts_once(cast, django_capture_on_commit_callbacks):
    invitation, token = invite(
        django_capture_on_commit_callbacks,
        actor=cast.methodist,
        organization=cast.school2,
        role=Role.CURATOR,
        email="fresh@a2.test",
        last_name="Сидорова",
        first_name="Анна",
    )
    membership = invitation_accept(token=token, new_account=NewAccount(password=PASSWORD))
    user = User.objects.get(email="fresh@a2.test")
    assert membership.user == user and membership.role == Role.CURATOR
    assert user.check_password(PASSWORD) and user.last_name == "Сидорова"
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    assert AuditEntry.objects.filter(action="invitation.accept", actor=user).count() == 1
    grant = AuditEntry.objects.get(action="membership.grant", object_id=str(membership.pk))
    assert grant.actor == cast.methodist
    # Single use: the same link again says so.
    with pytest.raises(ValidationError, match="уже принято"):
        invitation_accept(token=token, new_account=NewAccount(password=PASSWORD))
    with pytest.raises(ValidationError, match="уже принято"):
        invitation_accept(token=token, user=user)


def test_an_existing_account_accepts_only_when_signed_in_as_itself(
    cast, django_capture_on_commit_callbacks
):
    _invitation, token = invite(
        django_capture_on_commit_callbacks,
        actor=cast.curator2,
        organization=cast.school2,
        role=Role.SCHOOL_VIEWER,
        email="Curator@A1.test",
    )
    with pytest.raises(ValidationError, match="уже есть учётная запись"):
        invitation_accept(token=token, new_account=NewAccount(password=PASSWORD))
    with pytest.raises(ValidationError, match="уже есть учётная запись"):
        invitation_accept(token=token, user=cast.viewer)
    membership = invitation_accept(token=token, user=cast.curator)
    assert membership.organization == cast.school2 and membership.user == cast.curator
    assert User.objects.filter(email__iexact="curator@a1.test").count() == 1


def test_resend_replaces_the_link_and_revoke_kills_it(cast, django_capture_on_commit_callbacks):
    invitation, first = invite(
        django_capture_on_commit_callbacks,
        actor=cast.methodist,
        organization=cast.school,
        role=Role.CURATOR,
        email="twice@a1.test",
    )
    with django_capture_on_commit_callbacks(execute=True):
        invitation_resend(actor=cast.methodist, invitation=invitation)
    second = last_token("twice@a1.test")
    assert second != first and len(mail.outbox) == 2
    with pytest.raises(InvitationNotFound):
        invitation_accept(token=first, new_account=NewAccount(password=PASSWORD))
    invitation_revoke(actor=cast.methodist, invitation=invitation)
    with pytest.raises(ValidationError, match="отозвано"):
        invitation_accept(token=second, new_account=NewAccount(password=PASSWORD))
    assert not Membership.objects.filter(user__email="twice@a1.test").exists()
    actions = list(AuditEntry.objects.order_by("at", "pk").values_list("action", flat=True))
    assert actions[-3:] == ["invitation.create", "invitation.resend", "invitation.revoke"]


def test_inviting_the_same_address_again_resends_instead_of_a_second_link(
    cast, django_capture_on_commit_callbacks
):
    invite(
        django_capture_on_commit_callbacks,
        actor=cast.methodist,
        organization=cast.school,
        role=Role.CURATOR,
        email="same@a1.test",
    )
    invite(
        django_capture_on_commit_callbacks,
        actor=cast.methodist,
        organization=cast.school,
        role=Role.CURATOR,
        email="same@a1.test",
        first_name="Ольга",
    )
    assert Invitation.objects.of(cast.school).open().count() == 1
    assert Invitation.objects.get().first_name == "Ольга"


def test_expired_and_revoked_and_used_links_are_refused_in_russian(
    cast, django_capture_on_commit_callbacks
):
    invitation, token = invite(
        django_capture_on_commit_callbacks,
        actor=cast.methodist,
        organization=cast.school,
        role=Role.CURATOR,
        email="late@a1.test",
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(ValidationError, match="Срок приглашения истёк"):
        invitation_accept(token=token, new_account=NewAccount(password=PASSWORD))


def test_the_invitation_dies_with_the_inviters_right(cast, django_capture_on_commit_callbacks):
    inviter = Membership.objects.get(user=cast.curator, organization=cast.school)
    _invitation, token = invite(
        django_capture_on_commit_callbacks,
        actor=cast.curator,
        organization=cast.school,
        role=Role.SCHOOL_VIEWER,
        email="deputy@a1.test",
    )
    membership_revoke(actor=cast.methodist, membership=inviter)
    with pytest.raises(ValidationError, match="больше не действует"):
        invitation_accept(token=token, new_account=NewAccount(password=PASSWORD))
    assert not User.objects.filter(email="deputy@a1.test").exists()


def test_an_existing_member_is_not_invited_twice(cast):
    with pytest.raises(ValidationError, match="уже есть роль"):
        invitation_create(
            actor=cast.methodist,
            organization=cast.school,
            role=Role.CURATOR,
            email="curator@a1.test",
        )


def test_invitations_are_throttled_per_person(cast, settings):
    settings.INVITATIONS_PER_HOUR = 2
    for n in range(2):
        invitation_create(
            actor=cast.curator,
            organization=cast.school,
            role=Role.SCHOOL_VIEWER,
            email=f"v{n}@x.ru",
        )
    with pytest.raises(InvitationThrottled, match="Слишком много приглашений"):
        invitation_create(
            actor=cast.curator, organization=cast.school, role=Role.SCHOOL_VIEWER, email="v3@x.ru"
        )
    assert Invitation.objects.count() == 2


def test_resending_one_invitation_is_throttled(cast, settings):
    settings.INVITATION_SENDS_PER_HOUR = 2
    invitation = invitation_create(
        actor=cast.curator, organization=cast.school, role=Role.SCHOOL_VIEWER, email="r@x.ru"
    )
    invitation_resend(actor=cast.curator, invitation=invitation)
    invitation_resend(actor=cast.curator, invitation=invitation)
    with pytest.raises(InvitationThrottled):
        invitation_resend(actor=cast.curator, invitation=invitation)


@pytest.mark.django_db(transaction=True)
def test_two_acceptances_at_the_same_moment_make_one_membership():
    """Two requests accept one link at once: one membership, one Russian refusal, no 500."""
    from django.core.management import call_command

    from mentorship.models import Organization, OrganizationKind

    region = Organization.objects.create(kind=OrganizationKind.REGION, slug="r", short_name="R")
    muni = Organization.objects.create(
        kind=OrganizationKind.MUNICIPALITY, parent=region, slug="m", short_name="M"
    )
    school = Organization.objects.create(
        kind=OrganizationKind.SCHOOL, parent=muni, slug="s", short_name="S"
    )
    methodist = UserFactory(email="m@m.test")
    Membership.objects.create(user=methodist, organization=muni, role=Role.METHODIST)
    invitation_create(
        actor=methodist, organization=school, role=Role.CURATOR, email="race@s.test"
    )  # committed: the task ran eagerly after the commit
    token = last_token("race@s.test")

    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def accept():
        try:
            barrier.wait()
            outcomes.append(
                invitation_accept(token=token, new_account=NewAccount(password=PASSWORD))
            )
        except (ValidationError, InvitationNotFound) as exc:
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    memberships = [o for o in outcomes if isinstance(o, Membership)]
    refusals = [o for o in outcomes if not isinstance(o, Membership)]
    assert len(memberships) == 1 and len(refusals) == 1, outcomes
    # The loser waited on the row's lock and then found the invitation accepted.
    assert "уже принято" in " ".join(refusals[0].messages)
    assert Membership.objects.filter(user__email="race@s.test").count() == 1
    assert User.objects.filter(email="race@s.test").count() == 1
    call_command("flush", verbosity=0, interactive=False)
