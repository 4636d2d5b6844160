"""Pairs and groups: proposal, the lifecycle, meetings and development plans.

Lifecycle: proposed → approved (by the order on pairs) → active → completed, or ended
early with a reason; any open pair is suspended when a member's consent is withdrawn
and resumes once everyone has a valid consent again. Every move is audited, and an
impossible one is refused with a Russian message.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorship import audit
from mentorship.conflicts import conflicts, lock
from mentorship.models import User
from mentorship.signals import rows_changed_in_bulk
from registry.models import (
    OPEN_STATUSES,
    DevelopmentPlan,
    Meeting,
    MeetingKind,
    MemberRole,
    Pair,
    PairMember,
    PairSequence,
    PairStatus,
    Participant,
    PlanTask,
    Programme,
    TaskStatus,
    mentor_capacity,
)
from registry.services.consent import can_process
from registry.services.programmes import lock_open

# Sent inside the approving transaction with `pair_ids` and `organization_id` when pairs
# become approved (by the order, or by hand): registry/apps.py mails their people.
pairs_approved = Signal()

# The moves a person may make; suspension and approval by order have their own services.
TRANSITIONS: dict[str, set[str]] = {
    PairStatus.PROPOSED: {PairStatus.REJECTED},
    PairStatus.APPROVED: {PairStatus.ACTIVE, PairStatus.ENDED_EARLY},
    PairStatus.ACTIVE: {PairStatus.COMPLETED, PairStatus.ENDED_EARLY},
    PairStatus.SUSPENDED: {PairStatus.ENDED_EARLY},
}
NEEDS_REASON = {PairStatus.ENDED_EARLY, PairStatus.REJECTED}


def _members(ids: Iterable[int]) -> list[Participant]:
    ids = list(dict.fromkeys(int(i) for i in ids))
    people = list(Participant.objects.filter(pk__in=ids).prefetch_related("consents"))
    if len(people) != len(ids):
        raise ValidationError(_("Участник не найден в реестре школы."))
    return people


def _lock_pair(pair: Pair) -> None:
    """Lock the pair's row and re-read its state: two moves at once (complete and end
    early, two resumes) run one after the other, and the second sees the first's."""
    lock(pair)
    pair.status, pair.suspended_from, pair.order_id = (
        Pair.objects.filter(pk=pair.pk).values_list("status", "suspended_from", "order_id").get()
    )


def _lock_people(people: list[Participant]) -> None:
    """Lock the people's rows in id order: two proposals naming the same mentee (a double
    click on one suggestion) run one after the other, and the second sees the first's
    pair. Mentors too, so that their capacity is counted once."""
    ids = sorted({p.pk for p in people})
    list(Participant.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk"))


def _check_people(
    mentors: list[Participant],
    mentees: list[Participant],
    *,
    default_capacity: int = 1,
    exclude_pair=None,
):
    _lock_people(mentors + mentees)
    if not mentors or not mentees:
        raise ValidationError(_("В паре должны быть хотя бы один наставник и один наставляемый."))
    if {p.pk for p in mentors} & {p.pk for p in mentees}:
        raise ValidationError(
            _("Один человек не может быть наставником и наставляемым в одной паре.")
        )
    for person in mentors + mentees:
        if not can_process(person):
            raise ValidationError(
                _(
                    "У участника «%(name)s» нет действующего согласия на обработку персональных "
                    "данных: его нельзя включить в пару."
                )
                % {"name": person.short_name}
            )
    for person in mentors:
        if not person.is_mentor:
            raise ValidationError(
                _("«%(name)s» не отмечен как наставник.") % {"name": person.short_name}
            )
    for person in mentees:
        if not person.is_mentee:
            raise ValidationError(
                _("«%(name)s» не отмечен как наставляемый.") % {"name": person.short_name}
            )
    busy = PairMember.objects.filter(
        participant__in=mentees, role=MemberRole.MENTEE, pair__status__in=OPEN_STATUSES
    )
    if exclude_pair is not None:
        busy = busy.exclude(pair=exclude_pair)
    taken = busy.select_related("participant").first()
    if taken:
        raise ValidationError(
            _("«%(name)s» уже состоит в другой паре как наставляемый.")
            % {"name": taken.participant.short_name}
        )
    for mentor in mentors:
        capacity = mentor_capacity(mentor, default_capacity)
        load = PairMember.objects.filter(
            role=MemberRole.MENTEE,
            pair__status__in=OPEN_STATUSES,
            pair__members__participant=mentor,
            pair__members__role=MemberRole.MENTOR,
        )
        if exclude_pair is not None:
            load = load.exclude(pair=exclude_pair)
        if load.count() + len(mentees) > capacity:
            raise ValidationError(
                _("У наставника «%(name)s» не осталось мест: он готов взять не более %(n)s.")
                % {"name": mentor.short_name, "n": capacity}
            )


def next_pair_number(organization) -> int:
    """The school's next pair number, taken under a lock of its `PairSequence` row.

    Two proposals at once (a double click, two tabs) queue on that row and get
    different numbers; the unique (organization, number) constraint holds the rule in
    the database too. The number follows the highest one in use, so pairs written
    around the service (benchmarks' bulk inserts) cannot make it collide. Call inside
    the transaction that saves the pair, after every other lock the caller takes.
    """
    try:
        # A savepoint: the loser of a race to create the school's row re-reads it below.
        with transaction.atomic():
            sequence, _created = PairSequence.objects.select_for_update().get_or_create(
                organization=organization
            )
    except IntegrityError:
        sequence = PairSequence.objects.select_for_update().get(organization=organization)
    used = Pair.objects.filter(organization=organization).aggregate(n=Max("number"))["n"] or 0
    sequence.last_number = max(sequence.last_number, used) + 1
    sequence.save(update_fields=["last_number"])
    return sequence.last_number


def _add_members(pair: Pair, mentors: list[Participant], mentees: list[Participant]) -> None:
    # In bulk, without model signals: only a proposed pair gets members, and no figure
    # counts a proposed pair (its approval tells the indicators, `pairs_approve_by_order`).
    PairMember.objects.bulk_create(
        [
            PairMember(organization=pair.organization, pair=pair, participant=p, role=role)
            for people, role in ((mentors, MemberRole.MENTOR), (mentees, MemberRole.MENTEE))
            for p in people
        ]
    )


@transaction.atomic
def pair_propose(
    *,
    actor: User | None,
    programme: Programme,
    mentor_ids: Iterable[int],
    mentee_ids: Iterable[int],
    goals: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
    score: float | None = None,
    reasons: list[str] | None = None,
) -> Pair:
    """A proposed pair. It starts today, the day it was accepted, until the order that
    approves it gives it the order's date (`pairs_approve_by_order`); `starts_on` is for
    recording pairs that were formed before the portal (the demo's year of work).
    It ends with its programme unless `ends_on` says otherwise."""
    lock_open(programme)
    mentors, mentees = _members(mentor_ids), _members(mentee_ids)
    _check_people(mentors, mentees, default_capacity=programme.mentor_capacity)
    starts_on = starts_on or timezone.localdate()
    if ends_on is None and programme.ends_on and programme.ends_on < starts_on:
        raise ValidationError(
            _("Программа «%(name)s» закончилась %(d)s: новые пары в ней не создаются.")
            % {"name": programme.name, "d": f"{programme.ends_on:%d.%m.%Y}"}
        )
    ends_on = ends_on or programme.ends_on
    if ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("Окончание раньше начала пары.")})
    pair = Pair.objects.create(
        organization=programme.organization,
        number=next_pair_number(programme.organization),
        programme=programme,
        form=programme.form,
        goals=goals,
        starts_on=starts_on,
        ends_on=ends_on,
        score=score,
        reasons=reasons or [],
        created_by=actor,
    )
    with conflicts():
        _add_members(pair, mentors, mentees)
    audit.record(
        actor=actor,
        organization=pair.organization,
        action="pair.propose",
        obj=pair,
        mentors=[p.pk for p in mentors],
        mentees=[p.pk for p in mentees],
    )
    return pair


@transaction.atomic
def pair_update(
    *,
    actor: User | None,
    pair: Pair,
    mentor_ids: Iterable[int],
    mentee_ids: Iterable[int],
    goals: str = "",
    ends_on: date | None = None,
) -> Pair:
    """Edit a proposed pair (its people, goals, end): approved pairs are fixed by order.

    Its start is not edited: it is the day it was accepted, then the order's date."""
    _lock_pair(pair)
    if pair.status != PairStatus.PROPOSED:
        raise ValidationError(_("Состав можно менять только у предложенной пары, до приказа."))
    if ends_on and pair.starts_on and ends_on < pair.starts_on:
        raise ValidationError({"ends_on": _("Окончание раньше начала пары.")})
    mentors, mentees = _members(mentor_ids), _members(mentee_ids)
    _check_people(
        mentors, mentees, default_capacity=pair.programme.mentor_capacity, exclude_pair=pair
    )
    pair.members.all().delete()
    with conflicts():
        _add_members(pair, mentors, mentees)
    pair.goals, pair.ends_on = goals, ends_on
    pair.save(update_fields=["goals", "ends_on", "updated_at"])
    audit.record(actor=actor, organization=pair.organization, action="pair.update", obj=pair)
    return pair


def _refuse(pair: Pair, to: str) -> ValidationError:
    return ValidationError(
        _("Нельзя перевести пару из состояния «%(a)s» в «%(b)s».")
        % {"a": PairStatus(pair.status).label, "b": PairStatus(to).label}
    )


@transaction.atomic
def pair_transition(*, actor: User | None, pair: Pair, to: str, reason: str = "") -> Pair:
    _lock_pair(pair)
    if to not in TRANSITIONS.get(pair.status, set()):
        raise _refuse(pair, to)
    if to in NEEDS_REASON and not reason.strip():
        raise ValidationError({"reason": _("Укажите причину.")})
    previous = pair.status
    pair.status = to
    if to in NEEDS_REASON:
        pair.end_reason = reason.strip()
    if to in (PairStatus.COMPLETED, PairStatus.ENDED_EARLY) and not pair.ends_on:
        pair.ends_on = timezone.localdate()
    # Only what this move changes: the start an order gave the pair meanwhile stays.
    pair.save(update_fields=["status", "end_reason", "ends_on", "updated_at"])
    if to not in OPEN_STATUSES:
        # Its people are free for another pair (one_open_pair_per_mentee).
        PairMember.objects.filter(pair=pair).update(open=False)
    audit.record(
        actor=actor,
        organization=pair.organization,
        action="pair.transition",
        obj=pair,
        previous=previous,
        status=to,
        reason=reason,
    )
    return pair


@transaction.atomic
def pairs_approve_by_order(*, actor: User | None, pairs: Iterable[Pair], order) -> int:
    """Issuing the order on pairs approves its proposed pairs (and links them to it).

    The pairs start on the order's date (`Pair.start_under`); `order=None` approves
    without a document (pairs recorded from before the portal) and keeps their dates.
    In bulk: an order of 500 pairs is one UPDATE and one batch of audit entries.
    """
    from mentorship.models import AuditEntry

    pairs = [p for p in pairs if p.status in (PairStatus.PROPOSED, PairStatus.APPROVED)]
    if not pairs:
        return 0
    approved = sum(p.status == PairStatus.PROPOSED for p in pairs)
    changes = {"status": PairStatus.APPROVED, "order": order, "updated_at": timezone.now()}
    if order is not None:
        changes["starts_on"] = order.date
    Pair.objects.filter(pk__in=[p.pk for p in pairs]).update(**changes)
    # The UPDATE sends no model signal: the schools' stored indicator counts are told.
    rows_changed_in_bulk({p.organization_id for p in pairs})
    number = str(getattr(order, "number", "") or "")
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    label = f"{actor.get_full_name()} <{actor.email}>" if actor is not None else "система"
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor=actor,
                actor_label=label[:300],
                organization_id=pair.organization_id,
                action="pair.approve",
                object_type=pair._meta.label_lower,
                object_id=str(pair.pk),
                object_repr=str(pair)[:300],
                details={"order": number},
            )
            for pair in pairs
        ],
        batch_size=1000,
    )
    newly = [p.pk for p in pairs if p.status == PairStatus.PROPOSED]
    for pair in pairs:
        pair.status, pair.order = PairStatus.APPROVED, order
        if order is not None:
            pair.starts_on = order.date
    if newly:
        pairs_approved.send(sender=Pair, pair_ids=newly, organization_id=pairs[0].organization_id)
    return approved


def suspend_pairs_of(participant: Participant, actor: User | None = None) -> int:
    """Consent withdrawn: every open pair of this person stops at once."""
    pairs = Pair.objects.filter(
        members__participant=participant,
        status__in=[PairStatus.PROPOSED, PairStatus.APPROVED, PairStatus.ACTIVE],
    ).distinct()
    count = 0
    for pair in pairs:
        pair.suspended_from, pair.status = pair.status, PairStatus.SUSPENDED
        pair.save(update_fields=["suspended_from", "status", "updated_at"])
        audit.record(
            actor=actor,
            organization=pair.organization,
            action="pair.suspend",
            obj=pair,
            reason="consent_withdrawn",
        )
        count += 1
    return count


@transaction.atomic
def pair_resume(*, actor: User | None, pair: Pair) -> Pair:
    _lock_pair(pair)
    if pair.status != PairStatus.SUSPENDED:
        raise _refuse(pair, pair.suspended_from or PairStatus.ACTIVE)
    people = [m.participant for m in pair.members.select_related("participant")]
    if not all(can_process(p) for p in people):
        raise ValidationError(
            _("Пару нельзя возобновить: не у всех участников есть действующее согласие.")
        )
    pair.status, pair.suspended_from = pair.suspended_from or PairStatus.ACTIVE, ""
    pair.save(update_fields=["status", "suspended_from", "updated_at"])
    audit.record(actor=actor, organization=pair.organization, action="pair.resume", obj=pair)
    return pair


@transaction.atomic
def meeting_log(
    *,
    actor: User | None,
    pair: Pair,
    kind: str,
    held_on: date,
    topic: str,
    format: str = "in_person",  # noqa: A002 - the domain's word
    result: str = "",
    attended_ids: Iterable[int] = (),
) -> Meeting:
    """Log a meeting. The first meeting of an approved pair starts its work (→ active)."""
    if pair.status not in (PairStatus.APPROVED, PairStatus.ACTIVE):
        raise ValidationError(_("Встречи ведутся только у утверждённых и работающих пар."))
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("Дата встречи в будущем: запишите встречу после неё.")})
    if not topic.strip():
        raise ValidationError({"topic": _("Укажите тему встречи.")})
    if kind not in MeetingKind.values:
        raise ValidationError({"kind": _("Неизвестный вид встречи.")})
    member_ids = set(pair.members.values_list("participant_id", flat=True))
    attended = [int(i) for i in attended_ids]
    if set(attended) - member_ids:
        raise ValidationError({"attended": _("Отмечать можно только участников этой пары.")})
    meeting = Meeting.objects.create(
        organization=pair.organization,
        pair=pair,
        kind=kind,
        held_on=held_on,
        format=format,
        topic=topic.strip(),
        result=result.strip(),
    )
    meeting.attended.set(attended)
    if pair.status == PairStatus.APPROVED:
        pair_transition(actor=actor, pair=pair, to=PairStatus.ACTIVE)
    audit.record(
        actor=actor,
        organization=pair.organization,
        action="meeting.log",
        obj=pair,
        meeting=meeting.pk,
    )
    return meeting


@transaction.atomic
def plan_save(
    *,
    actor: User | None,
    pair: Pair,
    mentee: Participant,
    goals: str = "",
    interim_report: str = "",
    final_report: str = "",
) -> DevelopmentPlan:
    if not pair.members.filter(participant=mentee, role=MemberRole.MENTEE).exists():
        raise ValidationError(_("План составляется для наставляемого этой пары."))
    plan, _created = DevelopmentPlan.objects.update_or_create(
        pair=pair,
        mentee=mentee,
        organization=pair.organization,
        defaults={"goals": goals, "interim_report": interim_report, "final_report": final_report},
    )
    audit.record(
        actor=actor, organization=pair.organization, action="plan.save", obj=pair, mentee=mentee.pk
    )
    return plan


@transaction.atomic
def plan_task_save(
    *,
    actor: User | None,
    plan: DevelopmentPlan,
    title: str,
    due_on: date | None = None,
    status: str = "planned",
    task: PlanTask | None = None,
) -> PlanTask:
    if not title.strip():
        raise ValidationError({"title": _("Сформулируйте задачу.")})
    task = task or PlanTask(organization=plan.organization, plan=plan)
    task.title, task.due_on, task.status = title.strip(), due_on, status
    task.save()
    return task


@transaction.atomic
def plan_task_tick(*, participant: Participant, task: PlanTask, done: bool) -> PlanTask:
    """A participant ticks (or unticks) a task of a plan on their own page.

    Only a task of a plan they are in: the mentee's own plan, or a plan of a pair they
    mentor, in an open pair; anything else is refused as not found."""
    task = PlanTask.objects.select_for_update().select_related("plan", "plan__pair").get(pk=task.pk)
    plan = task.plan
    member = PairMember.objects.filter(pair_id=plan.pair_id, participant=participant).first()
    if (
        member is None
        or (member.role == MemberRole.MENTEE and plan.mentee_id != participant.pk)
        or plan.pair.status not in (PairStatus.APPROVED, PairStatus.ACTIVE)
    ):
        raise PlanTask.DoesNotExist
    status = TaskStatus.DONE if done else TaskStatus.IN_PROGRESS
    if task.status != status:
        task.status = status
        task.save(update_fields=["status"])
        audit.record(
            actor=None,
            organization=plan.organization,
            action="plan.task_tick",
            obj=plan.pair,
            task=task.pk,
            status=status,
            by_participant=participant.pk,
        )
    return task
