"""Matching for a programme on real registry rows, and accepting its suggestions.

The algorithm in `registry.matching` is pure; this module is its only door to the
database. It takes the programme's pool — people who consented (`can_process`), are
open to the programme's form and fit its categories — with each mentor's capacity
minus the mentees they already have in open pairs, the mentees' needs from every
source and their preferences from the questionnaire after the group meeting.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mentorship import audit
from mentorship.conflicts import Conflict, lock
from mentorship.models import User
from registry.matching import (
    MatchResult,
    MenteeCandidate,
    MentorCandidate,
    Score,
    match,
    score,
)
from registry.matching.candidates import FORM_CATEGORIES
from registry.matching.reasons import FAILURE_TEXTS
from registry.matching.rules import evaluate
from registry.models import (
    OPEN_STATUSES,
    MemberRole,
    MenteeNeed,
    MentoringForm,
    MentorPreference,
    MentorProfile,
    Pair,
    PairMember,
    Participant,
    Programme,
)
from registry.models.programmes import MENTOR_CAPACITY_MAX
from registry.services.consent import can_process
from registry.services.pairs import pair_propose


class CapacitySource:
    """Where a mentor's number of mentees comes from, as the matching page explains it."""

    QUESTIONNAIRE = "questionnaire"  # the questionnaire, with the day it was filled
    REGISTRY = "registry"  # set without a questionnaire: the matching page or the import
    DEFAULT = "default"  # nobody said: DEFAULT_MENTOR_CAPACITY


@dataclass(frozen=True)
class Capacity:
    """A mentor's capacity as the matcher reads it: the total (`MentorProfile.max_mentees`,
    the single source), the mentees already in open pairs, and what is left."""

    total: int
    load: int
    source: str
    filled_on: date | None = None

    @property
    def free(self) -> int:
        return max(self.total - self.load, 0)


@dataclass
class Pool:
    """Who may be matched in a programme, as candidates and as the rows behind them."""

    form_code: str
    mentors: list[MentorCandidate]
    mentees: list[MenteeCandidate]
    people: dict[int, Participant]
    # Mentees' ids already in an open pair: they are not offered again.
    busy_mentee_ids: set[int] = field(default_factory=set)
    # Mentors and mentees of this form left out because they have no valid consent.
    without_consent: int = 0
    # The same people by role, for the reasons and the links to record their consent.
    mentees_without_consent: list[Participant] = field(default_factory=list)
    mentors_without_consent: list[Participant] = field(default_factory=list)
    capacities: dict[int, Capacity] = field(default_factory=dict)

    def mentor(self, participant_id: int) -> MentorCandidate | None:
        return self._mentors_by_id.get(participant_id)

    def mentee(self, participant_id: int) -> MenteeCandidate | None:
        return self._mentees_by_id.get(participant_id)

    # Built on first use, once the pool is complete: pages look people up per row.
    @cached_property
    def _mentors_by_id(self) -> dict[int, MentorCandidate]:
        return {m.id: m for m in self.mentors}

    @cached_property
    def _mentees_by_id(self) -> dict[int, MenteeCandidate]:
        return {m.id: m for m in self.mentees}


@dataclass
class MatchingRun:
    programme: Programme
    pool: Pool
    result: MatchResult
    # Mentees the curator set aside in this round ("reject"): listed with the unmatched.
    skipped_mentee_ids: tuple[int, ...] = ()
    min_score: float = 0.0


def _fits_form(person: Participant, role: str, form_code: str) -> bool:
    """Open to the form (no choice means any) and of the form's category, if it has one."""
    chosen = person.mentor_forms.all() if role == MemberRole.MENTOR else person.mentee_forms.all()
    codes = {f.code for f in chosen}
    if codes and form_code not in codes:
        return False
    categories = FORM_CATEGORIES.get(form_code)
    if categories is None:
        return True
    expected = categories[0] if role == MemberRole.MENTOR else categories[1]
    return person.category == expected


def _mentor_load() -> dict[int, int]:
    """Mentees each mentor already has in open pairs, across all programmes of the school."""
    mentee_counts = (
        Pair.objects.filter(status__in=OPEN_STATUSES)
        .annotate(n=Count("members", filter=Q(members__role=MemberRole.MENTEE)))
        .values_list("pk", "n")
    )
    per_pair = dict(mentee_counts)
    load: dict[int, int] = defaultdict(int)
    mentor_rows = PairMember.objects.filter(
        role=MemberRole.MENTOR, pair__status__in=OPEN_STATUSES
    ).values_list("participant_id", "pair_id")
    for participant_id, pair_id in mentor_rows:
        load[participant_id] += per_pair.get(pair_id, 0)
    return load


def _text(*parts: str) -> str:
    return "\n".join(p for p in parts if p)


def _capacity(person: Participant, load: int, default: int) -> Capacity:
    """The questionnaire's number; without a questionnaire, the programme's default."""
    profile = getattr(person, "mentor_profile", None)
    if profile is None:
        return Capacity(default, load, CapacitySource.DEFAULT)
    source = CapacitySource.QUESTIONNAIRE if profile.filled_on else CapacitySource.REGISTRY
    return Capacity(profile.max_mentees, load, source, profile.filled_on)


def _mentor(
    person: Participant, capacity: Capacity, today: date, preferred: tuple[int, ...] = ()
) -> MentorCandidate:
    profile = getattr(person, "mentor_profile", None)
    return MentorCandidate(
        id=person.pk,
        name=person.short_name,
        category=person.category,
        age=person.age(today),
        grade=person.grade,
        experience_years=person.experience_years,
        subjects=_text(profile.subjects if profile else "", person.subject),
        competencies=profile.competencies if profile else "",
        interests=profile.interests if profile else "",
        capacity=capacity.free,
        has_sen_experience=bool(profile and profile.has_sen_experience),
        forms=frozenset(f.code for f in person.mentor_forms.all()),
        preferred_mentee_ids=preferred,
    )


def _mentee(person: Participant, preferred: tuple[int, ...], today: date) -> MenteeCandidate:
    # A mentee who is also a mentor elsewhere has filled the mentor questionnaire: its
    # interests are theirs too. Mentees have no interests field of their own.
    profile = getattr(person, "mentor_profile", None)
    return MenteeCandidate(
        id=person.pk,
        name=person.short_name,
        category=person.category,
        age=person.age(today),
        grade=person.grade,
        experience_years=person.experience_years,
        needs=_text(*(n.text for n in person.needs.all())),
        interests=profile.interests if profile else "",
        subject=person.subject,
        has_sen=person.has_sen,
        is_gifted=person.is_gifted,
        forms=frozenset(f.code for f in person.mentee_forms.all()),
        preferred_mentor_ids=preferred,
    )


def programme_pool(programme: Programme, today: date | None = None) -> Pool:
    """The candidates of a programme, built in a fixed handful of queries."""
    today = today or timezone.localdate()
    form_code = programme.form.code
    forms = MentoringForm.objects.all()
    people = list(
        Participant.objects.filter(depersonalized_at__isnull=True)
        .filter(Q(is_mentor=True) | Q(is_mentee=True))
        .select_related("mentor_profile")
        .prefetch_related(
            Prefetch("mentor_forms", queryset=forms),
            Prefetch("mentee_forms", queryset=forms),
            Prefetch("needs", queryset=MenteeNeed.objects.order_by("recorded_on", "pk")),
        )
    )
    busy = set(
        PairMember.objects.filter(
            role=MemberRole.MENTEE, pair__status__in=OPEN_STATUSES
        ).values_list("participant_id", flat=True)
    )
    load = _mentor_load()
    # Both directions of the choice after the group meeting, best first.
    preferences: dict[int, list[int]] = defaultdict(list)
    mentor_preferences: dict[int, list[int]] = defaultdict(list)
    for mentee_id, mentor_id, chosen_by in (
        MentorPreference.objects.filter(programme=programme)
        .order_by("rank", "pk")
        .values_list("mentee_id", "mentor_id", "chosen_by")
    ):
        if chosen_by == MemberRole.MENTOR:
            mentor_preferences[mentor_id].append(mentee_id)
        else:
            preferences[mentee_id].append(mentor_id)

    pool = Pool(form_code=form_code, mentors=[], mentees=[], people={}, busy_mentee_ids=busy)
    without_consent: set[int] = set()
    for person in people:
        as_mentor = person.is_mentor and _fits_form(person, MemberRole.MENTOR, form_code)
        as_mentee = (
            person.is_mentee
            and person.pk not in busy
            and _fits_form(person, MemberRole.MENTEE, form_code)
        )
        if not (as_mentor or as_mentee):
            continue
        if not can_process(person):
            without_consent.add(person.pk)
            if as_mentee:
                pool.mentees_without_consent.append(person)
            if as_mentor:
                pool.mentors_without_consent.append(person)
            continue
        pool.people[person.pk] = person
        if as_mentor:
            capacity = _capacity(person, load.get(person.pk, 0), programme.mentor_capacity)
            pool.capacities[person.pk] = capacity
            pool.mentors.append(
                _mentor(person, capacity, today, tuple(mentor_preferences.get(person.pk, ())))
            )
        if as_mentee:
            pool.mentees.append(_mentee(person, tuple(preferences.get(person.pk, ())), today))
    pool.without_consent = len(without_consent)
    return pool


def programme_match(
    programme: Programme,
    *,
    skip_mentee_ids: Iterable[int] = (),
    min_score: float = 0.0,
    today: date | None = None,
) -> MatchingRun:
    """Suggested pairs for the whole programme; `skip_mentee_ids` are set aside this round."""
    pool = programme_pool(programme, today)
    skipped = tuple(sorted({int(i) for i in skip_mentee_ids} & {m.id for m in pool.mentees}))
    mentees = [m for m in pool.mentees if m.id not in skipped]
    result = match(pool.mentors, mentees, pool.form_code, min_score=min_score)
    return MatchingRun(
        programme=programme,
        pool=pool,
        result=result,
        skipped_mentee_ids=skipped,
        min_score=min_score,
    )


def reason_lines(pair_score: Score) -> list[str]:
    """The reasons as the pair keeps them: one readable line each, points in brackets."""
    lines = []
    for reason in pair_score.reasons:
        if reason.points:
            lines.append(f"{reason.text} ({reason.points:+g})")
        else:
            lines.append(reason.text)
    return lines


def pair_score(pool: Pool, mentor_id: int, mentee_id: int) -> Score | None:
    mentor, mentee = pool.mentor(mentor_id), pool.mentee(mentee_id)
    if mentor is None or mentee is None:
        return None
    return score(mentor, mentee, pool.form_code)


def _refuse_accepted(programme: Programme, chosen: Sequence[tuple[int, int]]) -> None:
    """Conflict if any chosen suggestion is already an open pair of the programme."""
    mentees = {int(mentee_id): int(mentor_id) for mentor_id, mentee_id in chosen}
    rows = PairMember.objects.filter(
        pair__programme=programme,
        role=MemberRole.MENTEE,
        open=True,
        participant_id__in=list(mentees),
    ).values_list("pair_id", "pair__number", "participant_id")
    taken = []
    for pair_id, number, mentee_id in rows:
        mentors = PairMember.objects.filter(pair_id=pair_id, role=MemberRole.MENTOR)
        if mentors.filter(participant_id=mentees[mentee_id]).exists():
            taken.append(number)
    if taken:
        raise Conflict(
            _("Эти предложения уже приняты: пары № %(ids)s. Обновите страницу.")
            % {"ids": ", ".join(str(i) for i in sorted(taken))}
        )


@transaction.atomic
def suggestions_accept(
    *,
    actor: User | None,
    programme: Programme,
    chosen: Sequence[tuple[int, int]],
    today: date | None = None,
) -> list[Pair]:
    """Propose a pair for each (mentor id, mentee id), with its score and reasons.

    The score is computed here, from the rows, for the pair as chosen: an edited
    suggestion (another mentor) gets its own reasons, and nothing the browser sends is
    trusted. All or nothing: if any pair is refused, none is created and every refusal is
    reported, so the curator fixes them in one go.
    """
    if not chosen:
        raise ValidationError(_("Не выбрано ни одного предложения."))
    # Two accepts at once (a double click): the programme's row is locked, so the second
    # waits, then finds the pairs the first made and is refused with 409.
    lock(programme)
    _refuse_accepted(programme, chosen)
    pool = programme_pool(programme, today)
    pairs: list[Pair] = []
    errors: list[str] = []
    seen: set[int] = set()
    for mentor_id, mentee_id in chosen:
        mentor_id, mentee_id = int(mentor_id), int(mentee_id)
        if mentee_id in seen:
            errors.append(_("Наставляемый выбран дважды."))
            continue
        seen.add(mentee_id)
        result = pair_score(pool, mentor_id, mentee_id)
        if result is None:
            errors.append(
                _(
                    "Пара недоступна: наставник или наставляемый не входит в базу этой программы "
                    "(нет согласия, другая форма или уже в паре)."
                )
            )
            continue
        if not result.feasible:
            errors.append(
                _("Пара «%(mentor)s — %(mentee)s» не допускается: %(why)s.")
                % {
                    "mentor": pool.people[mentor_id].short_name,
                    "mentee": pool.people[mentee_id].short_name,
                    "why": "; ".join(r.text for r in result.reasons),
                }
            )
            continue
        try:
            # A savepoint per pair: one refusal must not hide the others' problems.
            with transaction.atomic():
                pairs.append(
                    pair_propose(
                        actor=actor,
                        programme=programme,
                        mentor_ids=[mentor_id],
                        mentee_ids=[mentee_id],
                        score=result.total,
                        reasons=reason_lines(result),
                    )
                )
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    return pairs


# --- Why a mentee is left without a pair --------------------------------------------------


class Fix:
    """Where the curator fixes a blocker; the page turns it into a link."""

    CONSENT = "consent"  # record the mentee's consent (their card, the consent form)
    CONSENT_QUEUE = "consent_queue"  # mentors of the form are waiting for consents
    MENTORS = "mentors"  # add mentors of the form to the registry
    CARD = "card"  # the mentee's card: forms, birth date, class, ОВЗ
    CAPACITY = "capacity"  # the capacity fields of these mentors, on the matching page
    RESTORE = "restore"  # the curator set the suggestion aside: bring it back


@dataclass(frozen=True)
class Blocker:
    """The binding reason one mentee got no suggestion, in the matcher's own terms."""

    mentee: Participant
    code: str
    text: str
    fix: str
    mentor_ids: tuple[int, ...] = ()


# Failure codes of the hard rules (registry.matching.rules) that a mentee's own record
# decides; the others are about the mentors.
MENTEE_SIDE = {"mentee_form", "mentee_category", "mentee_sen_required"}
AGE_RULES = {"mentor_age", "not_older"}


def _names(pool: Pool, ids) -> str:
    return ", ".join(pool.people[i].short_name for i in ids)


def _rule_blocker(pool: Pool, person: Participant, i: int, evaluation) -> Blocker:
    """No mentor of the pool is allowed by the form's rules: the commonest failure."""
    counts: dict[str, list[int]] = {}
    for code, failed in evaluation.failures.items():
        for j in np.flatnonzero(failed[i]):
            counts.setdefault(code, []).append(int(j))
    # A mentee-side failure blocks every mentor at once and is fixed on their own card.
    code = next((c for c in counts if c in MENTEE_SIDE), None) or max(
        counts, key=lambda c: len(counts[c])
    )
    j = counts[code][0]
    example = FAILURE_TEXTS[code](evaluation.mentors[j], evaluation.mentees[i], pool.form_code)
    if code in MENTEE_SIDE:
        text = example
    else:
        text = ngettext(
            "Не подходит ни один наставник: %(why)s (так у %(n)s из %(total)s).",
            "Не подходит ни один наставник: %(why)s (так у %(n)s из %(total)s).",
            len(counts[code]),
        ) % {"why": example, "n": len(counts[code]), "total": len(evaluation.mentors)}
    kind = "age" if code in AGE_RULES else "rules"
    return Blocker(person, kind, text, Fix.CARD)


def unmatched_blockers(run: MatchingRun) -> list[Blocker]:
    """For each mentee of the programme left without a suggestion, the binding reason,
    derived from the matcher's own inputs: consent (the pool), the form's hard rules
    (`rules.evaluate`), the score threshold, and the mentors' free places.

    In the order the page lists them: the matcher's unmatched, those the curator set
    aside, then those without a consent.
    """
    pool, result = run.pool, run.result
    unmatched = [pool.mentee(i) for i in result.unmatched_mentee_ids]
    blockers: list[Blocker] = []
    evaluation = evaluate(pool.mentors, unmatched, pool.form_code) if unmatched else None
    placed: dict[int, int] = defaultdict(int)
    for s in result.suggestions:
        placed[s.mentor_id] += 1
    for i, mentee in enumerate(unmatched):
        person = pool.people[mentee.id]
        if not pool.mentors:
            if pool.mentors_without_consent:
                text = _(
                    "В базе программы нет наставников: у наставников формы «%(form)s» "
                    "(%(names)s) нет действующего согласия."
                ) % {
                    "form": run.programme.form.name,
                    "names": ", ".join(p.short_name for p in pool.mentors_without_consent[:5]),
                }
                blockers.append(Blocker(person, "no_mentor", text, Fix.CONSENT_QUEUE))
            else:
                text = _(
                    "В реестре нет наставников формы «%(form)s»: добавьте их или отметьте "
                    "эту форму в анкете наставника."
                ) % {"form": run.programme.form.name}
                blockers.append(Blocker(person, "no_mentor", text, Fix.MENTORS))
            continue
        feasible = [int(j) for j in np.flatnonzero(evaluation.feasible[i])]
        if not feasible:
            blockers.append(_rule_blocker(pool, person, i, evaluation))
            continue
        allowed = [j for j in feasible if evaluation.total[i, j] >= run.min_score]
        if not allowed:
            text = _(
                "Наставники по правилам формы есть (%(names)s), но оценка пары ниже порога "
                "подбора (%(min)s)."
            ) % {
                "names": _names(pool, [evaluation.mentors[j].id for j in feasible]),
                "min": f"{run.min_score:g}",
            }
            blockers.append(Blocker(person, "low_score", text, Fix.CARD))
            continue
        # Mentors still on the default number first: the likeliest to take more.
        ids = tuple(
            sorted(
                (evaluation.mentors[j].id for j in allowed),
                key=lambda m: pool.capacities[m].source != CapacitySource.DEFAULT,
            )
        )
        full = [m for m in ids if pool.mentor(m).capacity == 0]
        given = [m for m in ids if m not in full]
        if not given:
            text = _(
                "Подходящие наставники (%(names)s) заняты: все их места уже в других парах. "
                "Увеличьте число мест, если наставник готов взять ещё."
            ) % {"names": _names(pool, full)}
        else:
            text = _(
                "Места подходящих наставников (%(names)s) отданы другим наставляемым этой "
                "программы. Добавьте место одному из них — и пересчитайте подбор."
            ) % {"names": _names(pool, given)}
            if full:
                text += " " + _("У %(names)s мест нет: они заняты в других парах.") % {
                    "names": _names(pool, full)
                }
        blockers.append(Blocker(person, "capacity", text, Fix.CAPACITY, ids))
    for mentee_id in run.skipped_mentee_ids:
        text = _("Предложение отклонено куратором в этом круге подбора.")
        blockers.append(Blocker(pool.people[mentee_id], "skipped", text, Fix.RESTORE))
    for person in pool.mentees_without_consent:
        text = (
            _("Нет действующего согласия законного представителя на обработку данных.")
            if person.is_minor()
            else _("Нет действующего согласия на обработку персональных данных.")
        )
        blockers.append(Blocker(person, "no_consent", text, Fix.CONSENT))
    return blockers


# --- Capacity, edited where it is decided -------------------------------------------------

# More mentees than this for one mentor is a typo (a 30 for a 3), not a plan; the same
# bound as a programme's default (Programme.mentor_capacity).
MAX_MENTOR_CAPACITY = MENTOR_CAPACITY_MAX


@transaction.atomic
def mentor_capacities_set(
    *, actor: User | None, programme: Programme, capacities: dict[int, int]
) -> list[int]:
    """Set how many mentees each of the programme's mentors takes in all (the
    questionnaire's `max_mentees`, the single source); returns the ids changed.

    One form for all the programme's mentors: all or nothing, every refusal reported.
    A mentor outside the programme's pool (another school's, no consent, another form)
    is refused as not found; a number below the mentees a mentor already has in open
    pairs is refused with that number. A mentor without a questionnaire gets one with
    just this number (it stays unfilled: no date).
    """
    if not capacities:
        raise ValidationError(_("Не указано ни одного наставника."))
    ids = sorted({int(i) for i in capacities})
    # The people's rows in id order, as the pair services lock them: a capacity change
    # and a proposal naming the same mentor run one after the other.
    list(Participant.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk"))
    pool = programme_pool(programme)
    errors: list[str] = []
    changed: list[int] = []
    for mentor_id in ids:
        raw = capacities[mentor_id] if mentor_id in capacities else capacities[str(mentor_id)]
        capacity = pool.capacities.get(mentor_id)
        if capacity is None:
            errors.append(
                _("Наставник № %(id)s не найден в базе этой программы.") % {"id": mentor_id}
            )
            continue
        name = pool.people[mentor_id].short_name
        try:
            value = int(raw)
        except (TypeError, ValueError):
            errors.append(_("%(name)s: число мест — целое число.") % {"name": name})
            continue
        if not 1 <= value <= MAX_MENTOR_CAPACITY:
            errors.append(
                _("%(name)s: число мест от 1 до %(max)s.")
                % {"name": name, "max": MAX_MENTOR_CAPACITY}
            )
            continue
        if value < capacity.load:
            errors.append(
                _("%(name)s: у наставника уже %(n)s наставляемых в парах — меньше не поставить.")
                % {"name": name, "n": capacity.load}
            )
            continue
        if value == capacity.total:
            continue  # the form sends every mentor: only the changed ones are written
        person = pool.people[mentor_id]
        MentorProfile.objects.update_or_create(
            participant=person,
            organization=person.organization,
            defaults={"max_mentees": value},
        )
        audit.record(
            actor=actor,
            organization=person.organization,
            action="participant.mentor_profile",
            obj=person,
            fields=["max_mentees"],
            previous=capacity.total,
            value=value,
        )
        changed.append(mentor_id)
    if errors:
        raise ValidationError(errors)
    return changed
