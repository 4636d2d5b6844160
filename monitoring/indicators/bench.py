"""Seed participants, pairs and contingents for `make bench` (and a demo to look at).

Registered in `seed_bench.BENCH_SEEDERS`: `manage.py seed_bench --participants 100000`
fills the bench municipality's schools with 100,000 participants and 40,000 pairs over
five years, in big `bulk_create` batches. Deterministic (a fixed random seed) and
skipped for a municipality that already has participants, so running it twice adds
nothing.
"""

from __future__ import annotations

import random
from datetime import date

from django.db import transaction
from django.utils import timezone

from mentorship.models import Organization
from mentorship.tenancy.scoping import unscoped_reads
from monitoring.indicators.models import Contingent, SchoolYearCounts
from monitoring.indicators.selectors import cache
from monitoring.models import Questionnaire
from registry.catalog import ensure_standard_forms
from registry.models import MentoringForm, Pair, PairMember, Participant, PartnerOrganization
from registry.models import Programme as ProgrammeModel

BATCH = 5000
PAIRS_PER_PARTICIPANT = 0.4
# Share of each category among a school's participants.
MIX = (("pupil", 0.80), ("teacher", 0.15), ("college_student", 0.03), ("partner", 0.02))
# Pair statuses with their weights: mostly working or finished, a few not yet or never.
OPEN = ("active", "approved", "suspended", "proposed")
STATUSES = (
    ("active", 55),
    ("completed", 20),
    ("approved", 10),
    ("suspended", 3),
    ("ended_early", 2),
    ("proposed", 6),
    ("rejected", 4),
)
# (form code, mentor category, mentee category, weight)
SHAPES = (
    ("teacher-student", "teacher", "pupil", 55),
    ("student-student", "pupil", "pupil", 15),
    ("teacher-teacher", "teacher", "teacher", 12),
    ("college-student", "college_student", "pupil", 10),
    ("employer-student", "partner", "pupil", 8),
)


def _person(rng: random.Random, category: str, partners: list[int]) -> dict:
    if category == "pupil":
        grade = rng.randint(1, 11)
        # A pupil of grade g is about g + 6 on 1 September.
        born = date(2026 - grade - 6, rng.randint(1, 12), rng.randint(1, 28))
        return {"grade": grade, "birth_date": born, "is_mentee": True, "is_mentor": grade >= 9}
    if category == "teacher":
        experience = rng.choice([0, 1, 2, 3, 5, 8, 12, 20, 25, 30])
        born = date(2026 - 23 - experience - rng.randint(0, 8), rng.randint(1, 12), 15)
        return {"experience_years": experience, "birth_date": born, "is_mentor": True}
    if category == "college_student":
        return {"birth_date": date(rng.randint(2005, 2009), 5, 10), "is_mentor": True}
    return {"partner_id": rng.choice(partners), "birth_date": date(1985, 1, 1), "is_mentor": True}


@transaction.atomic
def seed_indicators(
    municipality: Organization,
    schools: list[Organization],
    *,
    participants: int = 0,
    answers: int | None = None,
    only_if_empty: bool = True,
    **_options,
) -> dict[str, int]:
    """Participants spread evenly over the schools, pairs of the five forms over
    2022–2026, contingents for those years, and a final monitoring campaign of November
    2026 answered by pair members until `answers` answer rows exist (two per participant
    by default). Returns what was created."""
    if not participants or not schools:
        return {}
    rng = random.Random(15)  # noqa: S311 - repeatable test data, not a secret
    ensure_standard_forms(MentoringForm)
    forms = {f.code: f for f in MentoringForm.objects.all()}
    with unscoped_reads():
        school_ids = [s.pk for s in schools]
        if only_if_empty and Participant.objects.filter(organization_id__in=school_ids).exists():
            return {}
        partners = PartnerOrganization.objects.bulk_create(
            [
                PartnerOrganization(organization=municipality, kind="enterprise", name=f"ООО «{i}»")
                for i in range(1, 61)
            ]
        )
        partner_ids = [p.pk for p in partners]
        programmes = {}
        for school in schools:
            for code, *_rest in SHAPES:
                programmes[(school.pk, code)] = ProgrammeModel(
                    organization=school,
                    name=f"Программа «{forms[code].name}»",
                    form=forms[code],
                    mentors_description="—",
                    mentees_description="—",
                    starts_on=date(2021, 9, 1),
                )
        ProgrammeModel.objects.bulk_create(programmes.values(), batch_size=BATCH)

        per_school = participants // len(schools)
        people: list[Participant] = []
        for school in schools:
            for i in range(per_school):
                category = rng.choices([c for c, _w in MIX], [w for _c, w in MIX])[0]
                people.append(
                    Participant(
                        organization=school,
                        last_name=f"Участник{i}",
                        first_name="Замер",
                        category=category,
                        consent_state="valid",
                        **_person(rng, category, partner_ids),
                    )
                )
        Participant.objects.bulk_create(people, batch_size=BATCH)
        by_school: dict[tuple[int, str], list[int]] = {}
        for p in people:
            by_school.setdefault((p.organization_id, p.category), []).append(p.pk)

        pairs: list[Pair] = []
        # (pair index, participant id, role, whether the pair is open)
        members: list[tuple[int, int, str, bool]] = []
        open_mentees: set[int] = set()
        per_school_pairs = int(per_school * PAIRS_PER_PARTICIPANT)
        for school in schools:
            for n in range(per_school_pairs):
                code, mentor_cat, mentee_cat, _w = rng.choices(SHAPES, [s[3] for s in SHAPES])[0]
                mentors = by_school.get((school.pk, mentor_cat))
                mentees = by_school.get((school.pk, mentee_cat))
                if not mentors or not mentees:
                    code, mentors, mentees = (
                        "teacher-student",
                        by_school[(school.pk, "teacher")],
                        by_school[(school.pk, "pupil")],
                    )
                start_year = rng.randint(2022, 2026)
                status = rng.choices([s for s, _w in STATUSES], [w for _s, w in STATUSES])[0]
                starts = date(start_year, 9 if start_year < 2026 else rng.randint(1, 9), 1)
                mentor_id = rng.choice(mentors)
                picked = rng.sample(mentees, k=min(len(mentees), rng.choice([1, 1, 2])))
                # A pupil mentoring pupils is not their own mentee.
                picked = sorted(set(picked) - {mentor_id})
                is_open = status in OPEN
                if is_open:
                    # A mentee is in one open pair at a time (one_open_pair_per_mentee):
                    # one already taken makes this pair a finished one of earlier years.
                    picked = [m for m in picked if m not in open_mentees] or picked
                    if open_mentees.intersection(picked):
                        status, is_open = "completed", False
                    else:
                        open_mentees.update(picked)
                finished = status in ("completed", "ended_early")
                ends = date(start_year + 1, 5, 31) if finished else None
                pairs.append(
                    Pair(
                        organization=school,
                        # The school's own sequence, as `pair_propose` numbers them.
                        number=n + 1,
                        programme=programmes[(school.pk, code)],
                        form=forms[code],
                        status=status,
                        starts_on=starts,
                        ends_on=ends,
                    )
                )
                index = len(pairs) - 1
                members.append((index, mentor_id, "mentor", is_open))
                members += [(index, m, "mentee", is_open) for m in picked]
        Pair.objects.bulk_create(pairs, batch_size=BATCH)
        PairMember.objects.bulk_create(
            [
                PairMember(
                    organization_id=pairs[i].organization_id,
                    pair_id=pairs[i].pk,
                    participant_id=pid,
                    role=role,
                    open=is_open,
                )
                for i, pid, role, is_open in members
            ],
            batch_size=BATCH,
        )

        contingents = []
        for school in schools:
            pupils = len(by_school.get((school.pk, "pupil"), ()))
            teachers = len(by_school.get((school.pk, "teacher"), ()))
            for year in range(2022, 2027):
                if rng.random() < 0.08:
                    continue  # a few schools forget a year: «нет знаменателя»
                contingents.append(
                    Contingent(
                        organization=school,
                        year=year,
                        pupils_10_19=int(pupils * 1.6),
                        pupils_15_19=int(pupils * 0.5),
                        young_specialists=max(teachers // 5, 1),
                        young_teachers=max(teachers // 2, 1),
                    )
                )
        contingents += [
            Contingent(organization=municipality, year=y, enterprises=120, college_students=900)
            for y in range(2022, 2027)
        ]
        Contingent.objects.bulk_create(contingents, batch_size=BATCH)
        respondents = list(
            dict.fromkeys(
                (pairs[i].organization_id, pid, role)
                for i, pid, role, _open in members
                if pairs[i].status not in ("proposed", "rejected")
            )
        )
        rng.shuffle(respondents)
        written = _seed_answers(
            municipality,
            schools,
            respondents,
            rng,
            participants * 2 if answers is None else answers,
        )
        forget_stored_counts(school_ids)
    return {
        "participants": len(people),
        "pairs": len(pairs),
        "members": len(members),
        "contingents": len(contingents),
        **written,
    }


def forget_stored_counts(school_ids: list[int]) -> None:
    """Rows written in bulk send no signal: the counts stored while these schools were
    empty are deleted, and the generations of the region's whole pages bumped, so the
    fresh data is counted on the next read (selectors/cache.py)."""
    with unscoped_reads():
        SchoolYearCounts.objects.filter(organization_id__in=school_ids).delete()
    cache.invalidate_years()


def _answer_value(rng: random.Random, kind: str, options: int):
    """A plausible answer: scales lean to the top, as satisfaction answers do."""
    if kind == "scale_5":
        return rng.choices([1, 2, 3, 4, 5], [3, 5, 17, 40, 35])[0], None
    if kind == "scale_10":
        return rng.randint(4, 10), None
    if kind == "yes_no":
        return int(rng.random() < 0.8), None
    if kind == "single":
        return rng.randrange(max(options, 1)), None
    return None, sorted(rng.sample(range(options), k=min(options, rng.randint(1, 3))))


def satisfaction_questionnaires() -> tuple[dict[str, Questionnaire], dict[str, list]]:
    """The standard satisfaction questionnaires by role, and the (id, kind, options) of
    each question a seeded answer fills (text questions stay empty)."""
    from monitoring.standard import ensure_standard_questionnaires

    ensure_standard_questionnaires()
    questionnaires = {
        role: Questionnaire.objects.get(
            organization__isnull=True, standard_code=f"{role}_satisfaction", is_current=True
        )
        for role in ("mentee", "mentor")
    }
    questions = {
        role: [
            (q.pk, q.kind, len(q.options))
            for q in questionnaire.questions.order_by("position", "pk")
            if q.kind != "text"
        ]
        for role, questionnaire in questionnaires.items()
    }
    return questionnaires, questions


def _seed_answers(
    municipality: Organization,
    schools: list[Organization],
    respondents: list[tuple[int, int, str]],
    rng: random.Random,
    target: int,
) -> dict[str, int]:
    """Invitations, responses and answer rows of one final campaign, in big batches."""
    from monitoring.models import Answer, Campaign, CampaignSchool, Invitation, Response

    if target <= 0 or not respondents:
        return {}
    questionnaires, questions = satisfaction_questionnaires()
    run = Campaign.objects.create(
        organization=municipality,
        title="Мониторинг — ноябрь 2026",
        stage="final",
        starts_on=date(2026, 11, 1),
        ends_on=date(2026, 11, 30),
        mentor_questionnaire=questionnaires["mentor"],
        mentee_questionnaire=questionnaires["mentee"],
    )
    CampaignSchool.objects.bulk_create(
        [CampaignSchool(organization=s, campaign=run) for s in schools], batch_size=BATCH
    )
    chosen, total = [], 0
    for school_id, pid, role in respondents:
        if total >= target:
            break
        chosen.append((school_id, pid, role))
        total += len(questions[role])
    now = timezone.now()
    invitations = Invitation.objects.bulk_create(
        [
            Invitation(
                organization_id=school_id,
                campaign=run,
                participant_id=pid,
                questionnaire=questionnaires[role],
                role=role,
                token=f"bench{run.pk:06d}{i:021d}",
                channel="print",
                responded_at=now,
            )
            for i, (school_id, pid, role) in enumerate(chosen)
        ],
        batch_size=BATCH,
    )
    responses = Response.objects.bulk_create(
        [
            Response(
                organization_id=inv.organization_id,
                invitation=inv,
                campaign=run,
                questionnaire_id=inv.questionnaire_id,
                participant_id=inv.participant_id,
                role=inv.role,
            )
            for inv in invitations
        ],
        batch_size=BATCH,
    )
    rows = []
    for response in responses:
        for question_id, kind, options in questions[response.role]:
            value, choices = _answer_value(rng, kind, options)
            rows.append(
                Answer(
                    organization_id=response.organization_id,
                    response_id=response.pk,
                    question_id=question_id,
                    campaign=run,
                    value=value,
                    choices=choices,
                )
            )
    Answer.objects.bulk_create(rows, batch_size=BATCH)
    return {"responses": len(responses), "answers": len(rows)}
