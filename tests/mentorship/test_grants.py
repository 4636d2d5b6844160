"""The one grant rule (mentorship/services/grants.py): who may give whom which role where.

Every refused attempt is tried through the services that apply it — inviting, granting,
changing a role, ending a membership — and each must refuse with a Russian message and
write nothing.
"""

import pytest
from django.core.exceptions import ValidationError

from mentorship import access
from mentorship.models import AuditEntry, Invitation, Membership, Role
from mentorship.services import (
    check_grant,
    grantable_roles,
    membership_change_role,
    membership_grant,
    membership_revoke,
)
from mentorship.services.invitations import invitation_create
from mentorship.tenancy.rules import LEVELS, level_of
from tests.factories import MembershipFactory, UserFactory

C, SV, M, D, R = (
    Role.CURATOR,
    Role.SCHOOL_VIEWER,
    Role.METHODIST,
    Role.DEPARTMENT,
    Role.REGIONAL,
)


def test_the_allowed_grants(cast):
    assert grantable_roles({R}, cast.muni) == (M, D)
    assert grantable_roles({M}, cast.school) == (C, SV)
    assert grantable_roles({C}, cast.school) == (SV,)
    # A role held above reaches down: the regional role grants nothing at a school.
    assert grantable_roles({R}, cast.school) == ()
    assert grantable_roles({D}, cast.school) == ()
    assert grantable_roles({SV}, cast.school) == ()
    assert grantable_roles(set(Role.values), cast.region) == ()


def test_the_staff_rule_names_exactly_the_roles_that_may_grant_something_there(cast):
    """STAFF_MANAGE (the pages, the API, the links) agrees with GRANTS (the services)."""
    examples = {"school": cast.school, "municipality": cast.muni, "region": cast.region}
    for level in LEVELS:
        org = examples[level]
        may_grant = {role for role in Role.values if grantable_roles({role}, org)}
        assert set(access.STAFF_MANAGE.get(level, ())) == may_grant, level
        assert level_of(org) == level


def _invite(actor, org, role, email="new.person@example.org"):
    return invitation_create(actor=actor, organization=org, role=role, email=email)


# Each refused attempt: (actor, organisation, role, why).
REFUSED = [
    # Wrong level: the role does not belong to the organisation's level.
    ("methodist", "muni", C, "level"),
    ("methodist", "school", M, "level"),
    ("regional", "region", M, "level"),
    ("curator", "muni", SV, "level"),
    # Foreign subtree: the right role, somebody else's organisation.
    ("methodist", "other_school", C, "subtree"),
    ("methodist", "far_school", C, "subtree"),
    ("curator", "school2", SV, "subtree"),
    ("regional", "far_muni", M, "subtree"),
    ("other_methodist", "school", C, "subtree"),
    # Escalation: a role of one's own level or above.
    ("curator", "school", C, "escalation"),
    ("methodist", "muni", M, "escalation"),
    ("methodist", "muni", D, "escalation"),
    ("regional", "region", R, "escalation"),
    ("viewer", "school", SV, "escalation"),
    ("department", "school", C, "escalation"),
    ("department", "muni", M, "escalation"),
    ("department", "school", SV, "escalation"),
    # Reaching past the level below: the regional centre staffs municipalities only.
    ("regional", "school", C, "skipping a level"),
    ("regional", "school", SV, "skipping a level"),
]


@pytest.mark.parametrize(("actor", "org", "role", "why"), REFUSED)
def test_every_refused_grant_through_every_service(cast, actor, org, role, why):
    actor, org = getattr(cast, actor), getattr(cast, org)
    person = UserFactory(email="someone@example.org")
    audit_before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as refusal:
        check_grant(actor=actor, organization=org, role=role)
    message = " ".join(refusal.value.messages)
    assert ("не назначается" if why == "level" else "не можете назначать") in message
    with pytest.raises(ValidationError):
        _invite(actor, org, role)
    with pytest.raises(ValidationError):
        membership_grant(actor=actor, user=person, organization=org, role=role)
    assert not Invitation.objects.exists()
    assert not Membership.objects.filter(user=person).exists()
    assert AuditEntry.objects.count() == audit_before


def test_nobody_grants_a_role_to_themselves(cast):
    with pytest.raises(ValidationError, match="Свои роли"):
        _invite(cast.methodist, cast.school, C, email="METHODIST@a.test ")
    with pytest.raises(ValidationError, match="Свои роли"):
        membership_grant(
            actor=cast.methodist, user=cast.methodist, organization=cast.school, role=C
        )
    with pytest.raises(ValidationError, match="Свои роли"):
        _invite(cast.regional, cast.muni, M, email=cast.regional.email)
    assert not Invitation.objects.exists()


def test_a_role_is_changed_or_ended_only_where_it_could_have_been_granted(cast):
    # The methodist manages school roles; a municipal colleague's role is not theirs.
    colleague = Membership.objects.get(user=cast.department, organization=cast.muni)
    with pytest.raises(ValidationError):
        membership_revoke(actor=cast.methodist, membership=colleague)
    with pytest.raises(ValidationError):
        membership_change_role(actor=cast.methodist, membership=colleague, role=M)
    # A curator cannot end another curator's role, nor promote a viewer to curator.
    curator2 = MembershipFactory(user=UserFactory(), organization=cast.school, role=C)
    with pytest.raises(ValidationError):
        membership_revoke(actor=cast.curator, membership=curator2)
    viewer = Membership.objects.get(user=cast.viewer, organization=cast.school)
    with pytest.raises(ValidationError):
        membership_change_role(actor=cast.curator, membership=viewer, role=C)
    # Nobody ends or changes their own role.
    own = Membership.objects.get(user=cast.curator, organization=cast.school)
    with pytest.raises(ValidationError, match="Свои роли"):
        membership_revoke(actor=cast.curator, membership=own)
    own_m = Membership.objects.get(user=cast.methodist, organization=cast.muni)
    with pytest.raises(ValidationError):
        membership_change_role(actor=cast.methodist, membership=own_m, role=D)
    # A stranger's school: not theirs either.
    stranger = Membership.objects.get(user=cast.other_curator)
    with pytest.raises(ValidationError):
        membership_revoke(actor=cast.methodist, membership=stranger)
    assert Membership.objects.filter(pk__in=[colleague.pk, curator2.pk, viewer.pk]).count() == 3
    assert Membership.objects.get(pk=viewer.pk).role == SV


def test_allowed_changes_are_audited(cast):
    viewer = Membership.objects.get(user=cast.viewer, organization=cast.school)
    membership_change_role(actor=cast.methodist, membership=viewer, role=C)
    viewer.refresh_from_db()
    assert viewer.role == C
    entry = AuditEntry.objects.get(action="membership.change_role")
    assert entry.details == {"user": "viewer@a1.test", "role": C, "previous_role": SV}
    membership_revoke(actor=cast.methodist, membership=viewer)
    assert not Membership.objects.filter(pk=viewer.pk).exists()
    assert AuditEntry.objects.filter(action="membership.revoke").count() == 1


def test_changing_to_a_role_already_held_is_refused_in_russian(cast):
    both = MembershipFactory(user=cast.viewer, organization=cast.school, role=C)
    viewer = Membership.objects.get(user=cast.viewer, organization=cast.school, role=SV)
    with pytest.raises(ValidationError, match="уже есть роль"):
        membership_change_role(actor=cast.methodist, membership=viewer, role=C)
    assert both.pk
