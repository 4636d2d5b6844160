"""Competitions: announce, seat the jury, nominate, score, publish the results.

Each write is one audited transaction; the organisation of every row is set here. The
municipality's methodist announces a competition and seats its jury (staff users of the
municipality or its schools); a school's curator nominates an adult mentor of its own
registry (or a practice), with materials checked like any other upload
(mentorship/files.py); a jury member scores the nominees of the competitions they sit on;
the methodist publishes the results, which fixes totals and places per nomination.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorship import audit
from mentorship.files import check_evidence
from mentorship.models import EDUCATIONAL_KINDS, Membership, Organization, User
from mentorship.notifications.services import NewNotification, notifications_create_many
from mentorship.stored_files import replace_file
from mentorship.tenancy.scoping import unscoped_reads
from registry.models import (
    Competition,
    CompetitionKind,
    CompetitionStatus,
    Criterion,
    JuryMember,
    Nomination,
    Nominee,
    Participant,
    Score,
)
from registry.models.competitions import MAX_CRITERION_SCORE
from registry.selectors.municipal import MENTOR_BASE_CATEGORIES

MAX_NOMINATIONS = 20
MAX_CRITERIA = 30


def parse_criteria(text: str) -> list[tuple[str, int]]:
    """«Критерий; 10» per line (the form's textarea) → [(title, max score)]."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        title, sep, score = line.rpartition(";")
        if not sep:
            title, sep, score = line.rpartition("—")
        try:
            value = int(score.strip()) if sep else 0
        except ValueError:
            value = 0
        if not sep or not title.strip() or not 1 <= value <= MAX_CRITERION_SCORE:
            raise ValidationError(
                {
                    "criteria": _(
                        "Строка %(n)s: напишите критерий и максимальный балл от 1 до %(max)s "
                        "через точку с запятой, например «Результаты наставляемых; 10»."
                    )
                    % {"n": number, "max": MAX_CRITERION_SCORE}
                }
            )
        rows.append((title.strip()[:300], value))
    return rows


def _lines(text: str) -> list[str]:
    return list(dict.fromkeys(line.strip()[:200] for line in text.splitlines() if line.strip()))


@transaction.atomic
def competition_create(
    *,
    actor: User | None,
    organization: Organization,
    title: str,
    nominations: list[str] | str,
    criteria: list[tuple[str, int]] | str,
    nominations_until: datetime.date,
    judging_until: datetime.date,
    kind: str = CompetitionKind.MENTOR,
    description: str = "",
) -> Competition:
    if isinstance(nominations, str):
        nominations = _lines(nominations)
    if isinstance(criteria, str):
        criteria = parse_criteria(criteria)
    errors: dict[str, list[str]] = {}
    title = " ".join((title or "").split())
    if not title:
        errors["title"] = [_("Укажите название конкурса.")]
    if not nominations:
        errors["nominations"] = [_("Укажите хотя бы одну номинацию.")]
    elif len(nominations) > MAX_NOMINATIONS:
        errors["nominations"] = [_("Не больше %(n)s номинаций.") % {"n": MAX_NOMINATIONS}]
    if not criteria:
        errors["criteria"] = [_("Укажите хотя бы один критерий с максимальным баллом.")]
    elif len(criteria) > MAX_CRITERIA:
        errors["criteria"] = [_("Не больше %(n)s критериев.") % {"n": MAX_CRITERIA}]
    elif any(not t or not 1 <= int(m) <= MAX_CRITERION_SCORE for t, m in criteria):
        errors["criteria"] = [
            _("Максимальный балл критерия — от 1 до %(n)s.") % {"n": MAX_CRITERION_SCORE}
        ]
    if kind not in CompetitionKind.values:
        errors["kind"] = [_("Выберите вид конкурса.")]
    if nominations_until and judging_until and judging_until < nominations_until:
        errors["judging_until"] = [_("Оценивание заканчивается не раньше приёма заявок.")]
    if errors:
        raise ValidationError(errors)
    competition = Competition.objects.create(
        organization=organization,
        title=title[:300],
        kind=kind,
        description=description or "",
        nominations_until=nominations_until,
        judging_until=judging_until,
        created_by=actor if actor and actor.is_authenticated else None,
    )
    Nomination.objects.bulk_create(
        Nomination(organization=organization, competition=competition, title=t, ordering=i)
        for i, t in enumerate(nominations)
    )
    Criterion.objects.bulk_create(
        Criterion(
            organization=organization,
            competition=competition,
            title=t[:300],
            max_score=int(m),
            ordering=i,
        )
        for i, (t, m) in enumerate(criteria)
    )
    audit.record(
        actor=actor, organization=organization, action="competition.create", obj=competition
    )
    return competition


def jury_candidates(competition: Competition) -> list[User]:
    """Staff of the competition's municipality and of its schools: who may sit on the jury."""
    organization = competition.organization
    with unscoped_reads():
        memberships = Membership.objects.filter(
            organization__in=[organization.pk, *_school_ids(organization)]
        ).select_related("user")
        users = {m.user_id: m.user for m in memberships if m.user.is_active}
    return sorted(users.values(), key=lambda u: (u.last_name, u.first_name, u.email))


def _school_ids(organization: Organization) -> list[int]:
    return list(
        Organization.objects.filter(parent=organization, kind__in=EDUCATIONAL_KINDS).values_list(
            "pk", flat=True
        )
    )


def _open(competition: Competition) -> None:
    """Refuse changes to a published competition, as the database has it now: the row is
    locked for the caller's transaction, so a publication cannot slip in between."""
    with unscoped_reads():
        status = (
            Competition.objects.select_for_update()
            .filter(pk=competition.pk)
            .values_list("status", flat=True)
            .first()
        )
    if status == CompetitionStatus.PUBLISHED:
        raise ValidationError(_("Итоги конкурса уже опубликованы: изменить его нельзя."))


@transaction.atomic
def jury_add(*, actor: User | None, competition: Competition, user: User) -> JuryMember:
    _open(competition)
    if user.pk not in {u.pk for u in jury_candidates(competition)}:
        raise ValidationError(
            {"user": _("В жюри входят сотрудники муниципалитета и его школ с доступом к порталу.")}
        )
    seat, created = JuryMember.objects.get_or_create(
        competition=competition, user=user, defaults={"organization": competition.organization}
    )
    if created:
        audit.record(
            actor=actor,
            organization=competition.organization,
            action="competition.jury_add",
            obj=competition,
            user=user.email,
        )
        _tell_juror(competition, user)
    return seat


def _tell_juror(competition: Competition, user: User) -> None:
    """An in-app notice with the link to the jury's screen, at the juror's own address
    (the municipality, or their school under it)."""
    reach = [competition.organization_id, *_school_ids(competition.organization)]
    with unscoped_reads():
        home = (
            Membership.objects.filter(user=user, organization_id__in=reach)
            .select_related("organization")
            .order_by("organization__kind", "pk")
            .first()
        )
    if home is None:
        return
    url = reverse(
        "registry:jury_sheet",
        kwargs={"org_slug": home.organization.slug, "jury_competition_id": competition.pk},
    )
    notifications_create_many(
        [
            NewNotification(
                user_id=user.pk,
                organization_id=home.organization_id,
                title=_("Вы в жюри конкурса «%(t)s»") % {"t": competition.title},
                body=_("Оцените участников по критериям до %(d)s.")
                % {"d": f"{competition.judging_until:%d.%m.%Y}"},
                url=url,
            )
        ]
    )


@transaction.atomic
def jury_remove(*, actor: User | None, seat: JuryMember) -> None:
    _open(seat.competition)
    audit.record(
        actor=actor,
        organization=seat.organization,
        action="competition.jury_remove",
        obj=seat.competition,
        user=seat.user.email,
    )
    seat.delete()


def _participant_position(participant: Participant) -> str:
    parts = [participant.position]
    if participant.subject:
        parts.append(participant.subject.lower())
    if participant.partner_id:
        parts.append(participant.partner.name)
    if participant.study_place and not participant.position:
        parts.append(participant.study_place)
    return ", ".join(p for p in parts if p)


@transaction.atomic
def nominee_create(
    *,
    actor: User | None,
    school: Organization,
    competition: Competition,
    nomination: Nomination,
    participant: Participant | None = None,
    practice_title: str = "",
    description: str = "",
    file=None,
    today: datetime.date | None = None,
) -> Nominee:
    """A school's nomination; the competition must be of its municipality and still open."""
    today = today or timezone.localdate()
    if competition.organization_id != school.parent_id or not school.is_educational:
        raise ValidationError(
            _("Школа выдвигает участников только на конкурсы своего муниципалитета.")
        )
    _open(competition)
    if today > competition.nominations_until:
        raise ValidationError(_("Приём заявок на конкурс закончился."))
    if nomination.competition_id != competition.pk:
        raise ValidationError({"nomination": _("Выберите номинацию этого конкурса.")})
    errors: dict[str, Any] = {}
    practice_title = " ".join((practice_title or "").split())[:300]
    if participant is not None:
        if participant.organization_id != school.pk:
            raise ValidationError({"participant": _("Выберите наставника из реестра школы.")})
        if (
            not participant.is_mentor
            or participant.category not in MENTOR_BASE_CATEGORIES
            or participant.depersonalized_at
        ):
            errors["participant"] = [
                _("На конкурс выдвигают взрослых наставников: педагогов, студентов, партнёров.")
            ]
    elif competition.kind == CompetitionKind.MENTOR:
        errors["participant"] = [_("Выберите наставника.")]
    elif not practice_title:
        errors["practice_title"] = [_("Укажите название практики.")]
    if (
        participant is not None
        and Nominee.objects.filter(nomination=nomination, participant=participant).exists()
    ):
        # Checked before the file is stored; the constraint still settles a race.
        errors["participant"] = [_("Этот наставник уже выдвинут в этой номинации.")]
    if file:
        try:
            check_evidence(file)
        except ValidationError as error:
            errors["file"] = error.message_dict.get("evidence_file", error.messages)
    if errors:
        raise ValidationError(errors)
    nominee = Nominee(
        organization=school,
        competition=competition,
        nomination=nomination,
        participant=participant,
        practice_title=practice_title,
        description=(description or "")[:5000],
        created_by=actor if actor and actor.is_authenticated else None,
    )
    if participant is not None:
        nominee.last_name = participant.last_name
        nominee.first_name = participant.first_name
        nominee.patronymic = participant.patronymic
        nominee.position = _participant_position(participant)[:300]
    if file:
        replace_file(nominee, "file", file)
    try:
        with transaction.atomic():
            nominee.save()
            audit.record(
                actor=actor,
                organization=school,
                action="competition.nominate",
                obj=nominee,
                competition=competition.pk,
            )
    except IntegrityError:
        raise ValidationError(
            {"participant": _("Этот наставник уже выдвинут в этой номинации.")}
        ) from None
    return nominee


@transaction.atomic
def nominee_withdraw(*, actor: User | None, nominee: Nominee) -> None:
    _open(nominee.competition)
    audit.record(
        actor=actor,
        organization=nominee.organization,
        action="competition.withdraw",
        obj=nominee,
    )
    nominee.delete()


@transaction.atomic
def scores_save(
    *,
    actor: User | None,
    seat: JuryMember,
    values: dict[tuple[int, int], int | None],
) -> int:
    """Save one jury member's scores: (nominee id, criterion id) → value (None clears).

    Everything is checked before anything is written: a value above the criterion's
    maximum, or a nominee of another competition, refuses the whole sheet."""
    competition = seat.competition
    _open(competition)
    with unscoped_reads():
        nominees = set(Nominee.objects.filter(competition=competition).values_list("pk", flat=True))
        criteria = {c.pk: c for c in Criterion.objects.filter(competition=competition)}
        errors = []
        for (nominee_id, criterion_id), value in values.items():
            criterion = criteria.get(criterion_id)
            if nominee_id not in nominees or criterion is None:
                raise ValidationError(_("Такой участник или критерий не относится к конкурсу."))
            if value is not None and not 0 <= value <= criterion.max_score:
                errors.append(
                    _("«%(c)s»: балл от 0 до %(max)s.")
                    % {"c": criterion.title, "max": criterion.max_score}
                )
        if errors:
            raise ValidationError(list(dict.fromkeys(errors)))
        existing = {(s.nominee_id, s.criterion_id): s for s in Score.objects.filter(juror=seat)}
        create, update, delete = [], [], []
        for key, value in values.items():
            score = existing.get(key)
            if value is None:
                if score is not None:
                    delete.append(score.pk)
            elif score is None:
                create.append(
                    Score(
                        organization=competition.organization,
                        nominee_id=key[0],
                        criterion_id=key[1],
                        juror=seat,
                        value=value,
                    )
                )
            elif score.value != value:
                score.value = value
                update.append(score)
        Score.objects.bulk_create(create)
        Score.objects.bulk_update(update, ["value"])
        Score.objects.filter(pk__in=delete).delete()
    audit.record(
        actor=actor,
        organization=competition.organization,
        action="competition.score",
        obj=competition,
        saved=len(create) + len(update),
    )
    return len(create) + len(update)


def results(competition: Competition) -> dict[int, Decimal]:
    """Nominee id → total: for each jury member who scored the nominee, the sum of their
    scores over the criteria; the total is the average of those sums (two decimals)."""
    with unscoped_reads():
        sums: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        for nominee_id, juror_id, value in Score.objects.filter(
            nominee__competition=competition
        ).values_list("nominee_id", "juror_id", "value"):
            sums[nominee_id][juror_id] += value
    return {
        nominee_id: (Decimal(sum(by_juror.values())) / len(by_juror)).quantize(
            Decimal("0.01"), ROUND_HALF_UP
        )
        for nominee_id, by_juror in sums.items()
    }


def rank(nominees: list[Nominee], totals: dict[int, Decimal]) -> dict[int, int]:
    """Places per nomination: equal totals share a place (1, 1, 3); unscored: no place."""
    places: dict[int, int] = {}
    by_nomination: dict[int, list[Nominee]] = defaultdict(list)
    for nominee in nominees:
        if nominee.pk in totals:
            by_nomination[nominee.nomination_id].append(nominee)
    for group in by_nomination.values():
        group.sort(key=lambda n: -totals[n.pk])
        for index, nominee in enumerate(group):
            if index and totals[nominee.pk] == totals[group[index - 1].pk]:
                places[nominee.pk] = places[group[index - 1].pk]
            else:
                places[nominee.pk] = index + 1
    return places


@transaction.atomic
def competition_publish(*, actor: User | None, competition: Competition) -> Competition:
    """Fix totals and places, and close the competition to changes."""
    _open(competition)
    competition.refresh_from_db()
    totals = results(competition)
    if not totals:
        raise ValidationError(_("Жюри ещё не выставило ни одного балла: публиковать нечего."))
    with unscoped_reads():
        nominees = list(Nominee.objects.filter(competition=competition))
        places = rank(nominees, totals)
        for nominee in nominees:
            nominee.total = totals.get(nominee.pk)
            nominee.place = places.get(nominee.pk)
        Nominee.objects.bulk_update(nominees, ["total", "place"])
    competition.status = CompetitionStatus.PUBLISHED
    competition.published_at = timezone.now()
    competition.save(update_fields=["status", "published_at"])
    audit.record(
        actor=actor,
        organization=competition.organization,
        action="competition.publish",
        obj=competition,
        nominees=len(nominees),
    )
    return competition
