"""Reads of the intake pages: the candidates with their links, and the review list.

Both in the school's scope and in a fixed number of queries, whatever the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import F, Prefetch, Q
from django.utils.translation import gettext as _

from monitoring.models import (
    Answer,
    CampaignSchool,
    Invitation,
    Purpose,
    QuestionKind,
    Response,
)
from registry.models import MenteeNeed, Participant
from registry.selectors.consent import Badge, consent_badge


@dataclass
class CandidateRow:
    participant: Participant
    # role → the newest intake link of that side (None: never sent)
    links: dict[str, Invitation] = field(default_factory=dict)

    @property
    def badge(self) -> Badge:
        return consent_badge(self.participant.consent_state)

    @property
    def roles(self) -> list[str]:
        p = self.participant
        return [r for r, flag in (("mentor", p.is_mentor), ("mentee", p.is_mentee)) if flag]

    @property
    def status(self) -> str:
        """none, revoked, sent, print, answered, accepted (the least advanced side's)."""
        states = []
        for role in self.roles:
            inv = self.links.get(role)
            if inv is None:
                states.append("none")
            elif inv.revoked_at is not None:
                states.append("revoked")
            elif inv.responded_at is None:
                states.append("sent" if inv.channel == "email" else "print")
            else:
                response = getattr(inv, "response", None)
                accepted = response is not None and response.accepted_at is not None
                states.append("accepted" if accepted else "answered")
        order = ["none", "revoked", "print", "sent", "answered", "accepted"]
        return min(states, key=order.index) if states else "none"


def candidates() -> list[CandidateRow]:
    """Everyone of the school marked as a mentor or a mentee, with their intake links."""
    people = list(
        Participant.objects.filter(depersonalized_at__isnull=True)
        .filter(Q(is_mentor=True) | Q(is_mentee=True))
        .order_by("last_name", "first_name", "pk")
    )
    rows = {p.pk: CandidateRow(p) for p in people}
    links = (
        Invitation.objects.filter(campaign__purpose=Purpose.INTAKE)
        .select_related("response")
        .order_by("created_at", "pk")
    )
    for inv in links:
        row = rows.get(inv.participant_id)
        if row is not None:
            row.links[inv.role] = inv  # the newest wins
    return list(rows.values())


def running_sheet_row(campaign_id: int | None) -> CampaignSchool | None:
    if campaign_id is None:
        return None
    return CampaignSchool.objects.filter(campaign_id=campaign_id).first()


def _display(answer: Answer) -> str:
    q = answer.question
    if q.kind == QuestionKind.MULTIPLE:
        return ", ".join(q.options[i] for i in answer.choices or [] if 0 <= i < len(q.options))
    if q.kind == QuestionKind.SINGLE and answer.value is not None:
        return q.options[answer.value] if 0 <= answer.value < len(q.options) else ""
    if q.kind == QuestionKind.YES_NO:
        return _("да") if answer.value == 1 else _("нет")
    if answer.value is not None:
        return str(answer.value)
    return answer.text


@dataclass
class ReviewRow:
    response: Response
    answers: list[tuple[str, str]]
    changed_after_accept: bool
    # What the registry holds now, for the fields the acceptance would write.
    registry: list[tuple[str, str]]


def review_rows() -> list[ReviewRow]:
    """Intake answers waiting for the curator (new, or changed after acceptance)."""
    answers = Answer.objects.select_related("question").order_by(
        "question__section__position", "question__position", "question_id"
    )
    responses = (
        Response.objects.filter(campaign__purpose=Purpose.INTAKE)
        .filter(Q(accepted_at__isnull=True) | Q(updated_at__gt=F("accepted_at")))
        .select_related("participant__mentor_profile", "questionnaire")
        .prefetch_related(
            Prefetch("answers", queryset=answers),
            Prefetch(
                "participant__needs", queryset=MenteeNeed.objects.order_by("recorded_on", "pk")
            ),
        )
        .order_by("submitted_at", "pk")
    )
    rows = []
    for response in responses:
        person = response.participant
        registry: list[tuple[str, str]] = []
        if response.role == "mentor":
            profile = getattr(person, "mentor_profile", None)
            if profile is not None:
                registry += [
                    (_("Компетенции"), profile.competencies),
                    (_("Наставляемых"), str(profile.max_mentees)),
                    (_("Опыт с ОВЗ"), _("да") if profile.has_sen_experience else _("нет")),
                ]
        else:
            needs = [n.text for n in person.needs.all()]
            if needs:
                registry.append((_("Запросы"), "; ".join(needs)))
        if person.availability:
            registry.append((_("Когда удобно"), person.availability))
        rows.append(
            ReviewRow(
                response=response,
                answers=[(a.question.text, _display(a)) for a in response.answers.all()],
                changed_after_accept=response.accepted_at is not None,
                registry=[(label, value) for label, value in registry if value],
            )
        )
    return rows
