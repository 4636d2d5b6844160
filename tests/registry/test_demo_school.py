"""The demo's working school (registry/demo.py): real figures for the indicators."""

from django.core.management import call_command

from mentorship.models import Organization
from mentorship.tenancy.scoping import tenant_scope
from monitoring.indicators.selectors.counts import unscoped_people_counts
from registry.models import Consent, Meeting, Pair, PairStatus, Participant


def test_the_demo_gymnasium_has_consented_people_in_working_pairs(db):
    call_command("load_demo")
    gymnasium = Organization.objects.get(slug="gymnasium-26")
    with tenant_scope(gymnasium):
        people = list(Participant.objects.all())
        pairs = list(Pair.objects.select_related("programme__form"))
        assert len(pairs) == 26
        assert {p.status for p in pairs} == {PairStatus.ACTIVE}
        assert {p.programme.form.code for p in pairs} == {
            "teacher-student",
            "student-student",
            "teacher-teacher",
        }
        # Every pair has had its first meeting, so none is flagged as silent.
        assert Meeting.objects.filter(kind="first").values("pair").distinct().count() == 26
        names = [(p.last_name, p.first_name, p.patronymic) for p in people]
        assert len(names) == len(set(names)) == 52
        consents = {c.participant_id: c for c in Consent.objects.all()}
        for person in people:
            consent = consents[person.pk]
            if person.is_minor(consent.given_on):
                # A minor's consent comes from a parent, named, never from the pupil.
                assert consent.given_by == "parent" and consent.giver_name
            else:
                assert consent.given_by == "self"
            assert ("mentor_base" in consent.purposes) == (
                person.is_mentor and person.category != "pupil"
            )

    # Enough people for the school's figures to be shown, not suppressed as «<5».
    counts = unscoped_people_counts([gymnasium.pk], [2026])[(gymnasium.pk, 2026)]
    assert counts["pupil_mentees"] >= 5 and counts["pupil_mentors"] >= 5
    assert counts["young_specialists"] >= 5

    call_command("load_demo")
    with tenant_scope(gymnasium):
        assert Participant.objects.count() == 52 and Pair.objects.count() == 26
