"""The monitoring part of the demo: the standard questionnaires, a municipal campaign, and
at school No. 40 a few consented pairs invited to it (one mentor has already answered).

Idempotent like the rest of load_demo: everything is looked up before it is created.
Every person here is fictional.
"""

from __future__ import annotations

from datetime import date

from django.http import QueryDict

from mentorship.models import Organization, User
from mentorship.tenancy.scoping import tenant_scope
from monitoring.models import Campaign, CampaignSchool, Invitation, Questionnaire
from monitoring.services.answering import form_spec, parse, response_save
from monitoring.services.campaigns import campaign_create, campaign_invite
from monitoring.services.links import find_link
from monitoring.standard import ensure_standard_questionnaires
from registry.models import Pair, PairStatus, Participant, Programme


def load_monitoring_demo(data: dict) -> None:
    spec = data["monitoring"]
    ensure_standard_questionnaires()
    school = Organization.objects.get(slug=spec["pairs"]["school"])
    _pairs(school, spec["pairs"])
    campaign = _campaign(spec["campaign"])
    curator = User.objects.get(email=spec["pairs"]["curator"])
    with tenant_scope(school):
        row = CampaignSchool.objects.get(campaign=campaign)
        if row.invited_at is None and not campaign.has_ended():
            campaign_invite(actor=curator, campaign_school=row)
        _one_answer(campaign)


def _standard(code: str) -> Questionnaire:
    return Questionnaire.objects.get(organization__isnull=True, standard_code=code, is_current=True)


def _campaign(spec: dict) -> Campaign:
    municipality = Organization.objects.get(slug=spec["org"])
    with tenant_scope(municipality):
        existing = Campaign.objects.filter(title=spec["title"]).first()
        if existing:
            return existing
        return campaign_create(
            actor=User.objects.get(email=spec["author"]),
            organization=municipality,
            title=spec["title"],
            stage=spec["stage"],
            starts_on=date.fromisoformat(spec["starts_on"]),
            ends_on=date.fromisoformat(spec["ends_on"]),
            mentor_questionnaire=_standard(spec["mentor"]),
            mentee_questionnaire=_standard(spec["mentee"]),
        )


def _pairs(school: Organization, spec: dict) -> None:
    """A few working pairs, unless the school already has approved or active ones."""
    from registry.services.consent import consent_record
    from registry.services.pairs import pair_propose, pair_transition, pairs_approve_by_order
    from registry.services.participants import participant_create

    with tenant_scope(school):
        if Pair.objects.filter(status__in=[PairStatus.APPROVED, PairStatus.ACTIVE]).exists():
            return
        curator = User.objects.get(email=spec["curator"])
        programme = Programme.objects.get(name=spec["programme"])
        for mentor_data, mentee_data in spec["people"]:
            people = []
            for data in (mentor_data, mentee_data):
                data = dict(data)
                consent = data.pop("consent")
                if "birth_date" in data:
                    data["birth_date"] = date.fromisoformat(data["birth_date"])
                person = Participant.objects.filter(
                    last_name=data["last_name"], first_name=data["first_name"]
                ).first() or participant_create(actor=curator, organization=school, **data)
                if not person.consents.exists():
                    consent_record(
                        actor=curator,
                        participant=person,
                        given_on=date.fromisoformat(spec["consent_date"]),
                        purposes=["programme"],
                        **consent,
                    )
                people.append(person)
            pair = pair_propose(
                actor=curator,
                programme=programme,
                mentor_ids=[people[0].pk],
                mentee_ids=[people[1].pk],
            )
            pairs_approve_by_order(actor=curator, pairs=[pair], order=None)
            pair.refresh_from_db()
            pair_transition(actor=curator, pair=pair, to=PairStatus.ACTIVE)


def _one_answer(campaign: Campaign) -> None:
    """The first mentor has answered, so the progress is not a row of zeros."""
    invitation = (
        Invitation.objects.filter(campaign=campaign, role="mentor")
        .select_related("questionnaire", "organization", "campaign", "participant")
        .order_by("pk")
        .first()
    )
    if invitation is None or invitation.responded_at is not None:
        return
    data = QueryDict(mutable=True)
    for section in form_spec(invitation.questionnaire):
        for q in section.questions:
            if q.kind in ("scale_5", "scale_10"):
                data[q.field] = "4"
            elif q.kind in ("yes_no", "single", "multiple"):
                data[q.field] = "1" if q.kind == "yes_no" else "0"
    parsed = parse(form_spec(invitation.questionnaire), data)
    if not parsed.errors:
        response_save(find_link(invitation.token), parsed)
