"""Group meetings of a programme and the choices made after them (stage 5 of the model).

The curator plans a meeting, invites candidates of both sides, marks who came; then each
one who came ranks up to three people of the other side who came too. The ranking is
stored as MentorPreference rows (both directions), which the matching reads: a mutual
first choice weighs most (registry.matching.rules).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mentorship import audit
from mentorship.conflicts import lock
from mentorship.models import User
from registry.models import (
    MAX_CHOICES,
    ConsentState,
    GroupMeeting,
    GroupMeetingParticipant,
    MemberRole,
    MentorPreference,
    Participant,
    Programme,
)
from registry.services.consent import can_process

ROLES = (MemberRole.MENTOR, MemberRole.MENTEE)


def other_side(role: str) -> str:
    return MemberRole.MENTEE if role == MemberRole.MENTOR else MemberRole.MENTOR


@transaction.atomic
def group_meeting_create(
    *,
    actor: User | None,
    programme: Programme,
    held_on: date,
    starts_at: time | None = None,
    place: str = "",
    topic: str = "",
) -> GroupMeeting:
    if programme.is_closed:
        raise ValidationError({"programme": [_("Программа закрыта: встречу провести нельзя.")]})
    meeting = GroupMeeting.objects.create(
        organization=programme.organization,
        programme=programme,
        held_on=held_on,
        starts_at=starts_at,
        place=place.strip(),
        topic=topic.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor, organization=meeting.organization, action="group_meeting.create", obj=meeting
    )
    return meeting


@transaction.atomic
def group_meeting_invite(
    *,
    actor: User | None,
    meeting: GroupMeeting,
    mentor_ids: Iterable[int] = (),
    mentee_ids: Iterable[int] = (),
) -> int:
    """Add people to the meeting (already invited ones stay); returns how many were added.

    People come from the meeting's school, are mentors or mentees as invited, and have a
    valid consent: a person whose data may not be processed is not invited.
    """
    lock(meeting)
    wanted = {
        MemberRole.MENTOR: set(map(int, mentor_ids)),
        MemberRole.MENTEE: set(map(int, mentee_ids)),
    }
    ids = wanted[MemberRole.MENTOR] | wanted[MemberRole.MENTEE]
    people = {
        p.pk: p
        for p in Participant.objects.filter(
            pk__in=ids, organization=meeting.organization, depersonalized_at__isnull=True
        )
    }
    errors = []
    if ids - set(people):
        errors.append(_("Некоторые участники не найдены в реестре школы."))
    for role, flag, label in (
        (MemberRole.MENTOR, "is_mentor", _("не наставник")),
        (MemberRole.MENTEE, "is_mentee", _("не наставляемый")),
    ):
        for pk in wanted[role] & set(people):
            person = people[pk]
            if not getattr(person, flag):
                errors.append(f"{person.short_name}: {label}")
            elif not can_process(person):
                errors.append(
                    _("%(name)s: нет действующего согласия") % {"name": person.short_name}
                )
    if errors:
        raise ValidationError({"participants": errors})
    present = set(
        GroupMeetingParticipant.objects.filter(meeting=meeting).values_list(
            "participant_id", "role"
        )
    )
    new = [
        GroupMeetingParticipant(
            organization=meeting.organization, meeting=meeting, participant_id=pk, role=role
        )
        for role in ROLES
        for pk in sorted(wanted[role])
        if (pk, role) not in present
    ]
    GroupMeetingParticipant.objects.bulk_create(new)
    audit.record(
        actor=actor,
        organization=meeting.organization,
        action="group_meeting.invite",
        obj=meeting,
        added=len(new),
    )
    return len(new)


@transaction.atomic
def group_meeting_attendance(
    *, actor: User | None, meeting: GroupMeeting, attended_ids: Iterable[int]
) -> int:
    """Mark who came (the others as absent); returns how many came."""
    lock(meeting)
    came = {int(i) for i in attended_ids}
    rows = list(GroupMeetingParticipant.objects.filter(meeting=meeting))
    unknown = came - {r.pk for r in rows}
    if unknown:
        raise ValidationError({"attended": [_("Отметьте только приглашённых на эту встречу.")]})
    for row in rows:
        row.attended = row.pk in came
    GroupMeetingParticipant.objects.bulk_update(rows, ["attended"])
    audit.record(
        actor=actor,
        organization=meeting.organization,
        action="group_meeting.attendance",
        obj=meeting,
        attended=len(came),
        invited=len(rows),
    )
    return len(came)


def choice_options(meeting: GroupMeeting, chooser_id: int, role: str) -> list[Participant]:
    """Whom this attendee may rank: the other side's people who came, themselves excluded."""
    return [
        row.participant
        # Whose consent was withdrawn since is no longer offered.
        for row in GroupMeetingParticipant.objects.filter(
            meeting=meeting,
            role=other_side(role),
            attended=True,
            participant__consent_state=ConsentState.VALID,
            participant__depersonalized_at__isnull=True,
        )
        .exclude(participant_id=chooser_id)
        .select_related("participant")
        .order_by("participant__last_name", "participant__first_name", "pk")
    ]


@transaction.atomic
def preferences_record(
    *,
    actor: User | None,
    meeting: GroupMeeting,
    chooser: Participant,
    role: str,
    chosen_ids: Sequence[int],
) -> list[MentorPreference]:
    """Replace the chooser's ranking of the programme with `chosen_ids`, best first.

    The chooser must have attended as `role`; each chosen one must have attended on the
    other side; at most MAX_CHOICES, no one twice. An empty list withdraws the ranking.
    """
    if role not in ROLES:
        raise ValidationError({"role": [_("Роль: наставник или наставляемый.")]})
    lock(chooser)
    attended = GroupMeetingParticipant.objects.filter(
        meeting=meeting, participant=chooser, role=role, attended=True
    ).exists()
    if not attended:
        raise ValidationError(_("Выбирать могут только участники, которые были на встрече."))
    if not can_process(chooser):
        raise ValidationError(_("Нет действующего согласия на обработку данных."))
    chosen = [int(i) for i in chosen_ids]
    if len(chosen) > MAX_CHOICES:
        raise ValidationError(
            {"chosen": [_("Можно выбрать не больше %(n)s человек.") % {"n": MAX_CHOICES}]}
        )
    if len(set(chosen)) != len(chosen):
        raise ValidationError({"chosen": [_("Один и тот же человек выбран дважды.")]})
    allowed = {p.pk for p in choice_options(meeting, chooser.pk, role)}
    if set(chosen) - allowed:
        raise ValidationError(
            {"chosen": [_("Выбирать можно только тех, кто был на встрече с другой стороны.")]}
        )
    programme = meeting.programme
    mine = MentorPreference.objects.filter(programme=programme, chosen_by=role)
    mine = mine.filter(mentor=chooser) if role == MemberRole.MENTOR else mine.filter(mentee=chooser)
    mine.delete()
    rows = []
    for rank, other_id in enumerate(chosen, start=1):
        mentor_id, mentee_id = (
            (chooser.pk, other_id) if role == MemberRole.MENTOR else (other_id, chooser.pk)
        )
        rows.append(
            MentorPreference(
                organization=meeting.organization,
                programme=programme,
                mentor_id=mentor_id,
                mentee_id=mentee_id,
                rank=rank,
                chosen_by=role,
                meeting=meeting,
            )
        )
    MentorPreference.objects.bulk_create(rows)
    audit.record(
        actor=actor,
        organization=meeting.organization,
        action="preference.record",
        obj=meeting,
        participant=chooser.pk,
        role=role,
        chosen=chosen,
        # Without a portal user the participant chose on their own link.
        **({} if actor is not None else {"actor_label": _("участник по личной ссылке")}),
    )
    return rows
