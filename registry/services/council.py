"""Writes of the mentors' councils: the council, its members and plan of work, meetings
with agenda, minutes and who was present, decisions with owners and deadlines, and the
protocol of a meeting (document kind council_protocol). One audited transaction each."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorship import audit
from mentorship.documents.services import document_request
from mentorship.models import Membership, Organization, OrganizationKind, User
from registry.models import (
    Council,
    CouncilDecision,
    CouncilMeeting,
    CouncilMember,
    CouncilPlanItem,
    CouncilRole,
)

PROTOCOL_KIND = "council_protocol"
TEXT_LIMIT = 5000


def _text(data: dict[str, Any], key: str, limit: int = 300) -> str:
    value = data.get(key) or ""
    if not isinstance(value, str):
        raise ValidationError({key: [_("Ожидается текст.")]})
    value = value.strip()
    if len(value) > limit:
        raise ValidationError({key: [_("Слишком длинный текст.")]})
    return value


def _required(data: dict[str, Any], key: str, message: str, limit: int = 300) -> str:
    value = _text(data, key, limit)
    if not value:
        raise ValidationError({key: [message]})
    return value


@transaction.atomic
def council_create(*, actor: User | None, organization: Organization, **data: Any) -> Council:
    if organization.kind == OrganizationKind.REGION:
        raise ValidationError(_("Совет наставников создают муниципалитет и школы."))
    council = Council.objects.create(
        organization=organization,
        title=_required(data, "title", _("Укажите название совета.")),
        purpose=_text(data, "purpose", TEXT_LIMIT),
    )
    audit.record(actor=actor, organization=organization, action="council.create", obj=council)
    return council


@transaction.atomic
def council_member_add(*, actor: User | None, council: Council, **data: Any) -> CouncilMember:
    role = data.get("role") or CouncilRole.MEMBER
    if role not in CouncilRole.values:
        raise ValidationError({"role": [_("Неизвестная роль в совете.")]})
    member = CouncilMember.objects.create(
        organization=council.organization,
        council=council,
        full_name=_required(data, "full_name", _("Укажите фамилию, имя и отчество.")),
        position=_text(data, "position"),
        role=role,
    )
    audit.record(
        actor=actor, organization=council.organization, action="council.member", obj=council,
        added=member.full_name,
    )  # fmt: skip
    return member


@transaction.atomic
def council_member_remove(*, actor: User | None, member: CouncilMember) -> None:
    audit.record(
        actor=actor, organization=member.organization, action="council.member",
        obj=member.council, removed=member.full_name,
    )  # fmt: skip
    member.delete()


@transaction.atomic
def council_plan_add(*, actor: User | None, council: Council, **data: Any) -> CouncilPlanItem:
    item = CouncilPlanItem.objects.create(
        organization=council.organization,
        council=council,
        topic=_required(data, "topic", _("Укажите вопрос или мероприятие плана."), 500),
        period_text=_text(data, "period_text", 100),
        responsible=_text(data, "responsible"),
    )
    audit.record(actor=actor, organization=council.organization, action="council.plan", obj=council)
    return item


def _present(meeting_council: Council, ids: Iterable[Any]) -> list[int]:
    try:
        wanted = {int(i) for i in ids}
    except (TypeError, ValueError):
        raise ValidationError({"present": [_("Присутствующие указаны неверно.")]}) from None
    known = set(meeting_council.members.values_list("pk", flat=True))
    if wanted - known:
        raise ValidationError({"present": [_("Присутствующие должны быть членами совета.")]})
    return sorted(wanted)


@transaction.atomic
def council_meeting_create(*, actor: User | None, council: Council, **data: Any) -> CouncilMeeting:
    """A meeting with its agenda; numbered in the council's order (№ 1, 2, …)."""
    on = data.get("date")
    if not isinstance(on, date):
        raise ValidationError({"date": [_("Укажите дату заседания.")]})
    agenda = _required(data, "agenda", _("Укажите повестку дня: вопрос в строке."), TEXT_LIMIT)
    # Locks the council: two meetings added at once do not take the same number.
    Council.objects.select_for_update().filter(pk=council.pk).first()
    last = council.meetings.aggregate(n=Max("number"))["n"] or 0
    meeting = CouncilMeeting.objects.create(
        organization=council.organization,
        council=council,
        number=last + 1,
        date=on,
        place=_text(data, "place"),
        agenda=agenda,
        minutes=_text(data, "minutes", TEXT_LIMIT),
    )
    if data.get("present"):
        meeting.present.set(_present(council, data["present"]))
    audit.record(
        actor=actor, organization=council.organization, action="council.meeting", obj=meeting
    )
    return meeting


@transaction.atomic
def council_meeting_update(
    *, actor: User | None, meeting: CouncilMeeting, **data: Any
) -> CouncilMeeting:
    """Agenda, minutes, place and who was present, as the secretary writes them up."""
    if "agenda" in data:
        meeting.agenda = _required(data, "agenda", _("Укажите повестку дня."), TEXT_LIMIT)
    if "minutes" in data:
        meeting.minutes = _text(data, "minutes", TEXT_LIMIT)
    if "place" in data:
        meeting.place = _text(data, "place")
    if "date" in data:
        if not isinstance(data["date"], date):
            raise ValidationError({"date": [_("Укажите дату заседания.")]})
        meeting.date = data["date"]
    meeting.save()
    if "present" in data:
        meeting.present.set(_present(meeting.council, data["present"] or []))
    audit.record(
        actor=actor, organization=meeting.organization, action="council.meeting", obj=meeting
    )
    return meeting


def decision_owners(organization: Organization) -> list[User]:
    """Staff of the organisation who may own a decision (and be reminded of it)."""
    ids = Membership.objects.filter(organization=organization).values_list("user_id", flat=True)
    return list(
        User.objects.filter(pk__in=ids, is_active=True).order_by("last_name", "first_name", "pk")
    )


@transaction.atomic
def council_decision_add(
    *, actor: User | None, meeting: CouncilMeeting, **data: Any
) -> CouncilDecision:
    owner = data.get("owner")
    if owner is not None and not isinstance(owner, User):
        try:
            owner = User.objects.get(pk=int(owner))
        except (User.DoesNotExist, TypeError, ValueError):
            owner = False
    if owner is False or (
        owner is not None
        and not Membership.objects.filter(organization=meeting.organization, user=owner).exists()
    ):
        raise ValidationError({"owner": [_("Ответственный должен быть сотрудником организации.")]})
    due_on = data.get("due_on")
    if due_on is not None and not isinstance(due_on, date):
        raise ValidationError({"due_on": [_("Срок указан неверно.")]})
    owner_name = _text(data, "owner_name")
    if owner is not None and not owner_name:
        owner_name = owner.get_full_name()
    decision = CouncilDecision.objects.create(
        organization=meeting.organization,
        meeting=meeting,
        text=_required(data, "text", _("Сформулируйте решение."), TEXT_LIMIT),
        owner=owner,
        owner_name=owner_name,
        due_on=due_on,
    )
    audit.record(
        actor=actor, organization=meeting.organization, action="council.decision", obj=decision
    )
    return decision


@transaction.atomic
def council_decision_set_done(
    *, actor: User | None, decision: CouncilDecision, done: bool = True
) -> CouncilDecision:
    decision.done_on = timezone.localdate() if done else None
    decision.save(update_fields=["done_on"])
    audit.record(
        actor=actor, organization=decision.organization, action="council.decision",
        obj=decision, done=done,
    )  # fmt: skip
    return decision


@transaction.atomic
def council_protocol_issue(*, actor: User | None, meeting: CouncilMeeting):
    """The protocol of the meeting as PDF and .docx; issued again, it keeps its number."""
    previous = meeting.protocol
    document = document_request(
        actor=actor,
        organization=meeting.organization,
        kind=PROTOCOL_KIND,
        params={"meeting_id": meeting.pk},
        number=previous.number if previous else None,
        date=meeting.date,
        title=_("Протокол заседания совета наставников № %(n)s") % {"n": meeting.number},
    )
    meeting.protocol = document
    meeting.save(update_fields=["protocol"])
    audit.record(
        actor=actor, organization=meeting.organization, action="council.protocol", obj=meeting,
        document=document.pk,
    )  # fmt: skip
    return document
