"""Seed a whole region for `make bench`: `manage.py seed_bench --region`.

A real region (issue 17): ~45 municipalities, ~1,500 schools, ~1.5 million participants
over five years, ~600,000 pairs and ~3 million answers. `--scale 0.01` seeds a
hundredth of it (the same shape) for quick runs. Rows are generated as tuples and
written with PostgreSQL's COPY (mentorship/bulk.py), ids taken from the sequences, so
nothing is read back. Deterministic (a fixed random seed); a region that already has
participants is left as it is.
"""

from __future__ import annotations

import random
import time
from datetime import date

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from mentorship.bulk import chunks, fast_insert
from mentorship.models import EDUCATIONAL_KINDS, Organization
from mentorship.tenancy.scoping import unscoped_reads
from monitoring.indicators.bench import (
    MIX,
    OPEN,
    PAIRS_PER_PARTICIPANT,
    SHAPES,
    STATUSES,
    _answer_value,
    _person,
    forget_stored_counts,
    satisfaction_questionnaires,
)
from monitoring.indicators.models import Contingent
from registry.catalog import ensure_standard_forms
from registry.models import MentoringForm, Pair, PairMember, Participant, PartnerOrganization
from registry.models import Programme as ProgrammeModel

REGION_MUNICIPALITIES = 45
REGION_SCHOOLS = 1500
REGION_PARTICIPANTS = 1_500_000
REGION_ANSWERS = 3_000_000

PERSON_FIELDS = (
    "organization_id",
    "last_name",
    "first_name",
    "category",
    "consent_state",
    "grade",
    "birth_date",
    "is_mentee",
    "is_mentor",
    "experience_years",
    "partner_id",
)


def _log(out, text: str, started: float) -> None:
    if out is not None:
        out.write(f"  {text} ({time.perf_counter() - started:.1f} s)")


@transaction.atomic
def seed_region(
    region: Organization,
    municipalities: list[Organization],
    *,
    participants: int,
    answers: int,
    out=None,
) -> dict[str, int]:
    """Participants over every school of the region, pairs of the five forms over
    2022–2026, contingents, and a regional final campaign of November 2026 answered
    until `answers` answer rows exist. Returns the counts created."""
    started = time.perf_counter()
    _skip_deferred_checks()
    rng = random.Random(17)  # noqa: S311 - repeatable test data, not a secret
    ensure_standard_forms(MentoringForm)
    forms = {f.code: f.pk for f in MentoringForm.objects.all()}
    with unscoped_reads():
        schools = list(
            Organization.objects.filter(
                parent__in=municipalities, kind__in=EDUCATIONAL_KINDS
            ).order_by("parent_id", "pk")
        )
        school_ids = [s.pk for s in schools]
        if not schools or Participant.objects.filter(organization_id__in=school_ids).exists():
            return {}
        partners_by_muni: dict[int, list[int]] = {}
        for m in municipalities:
            partners_by_muni[m.pk] = fast_insert(
                PartnerOrganization,
                ("organization_id", "kind", "name"),
                [(m.pk, "enterprise", f"ООО «{m.pk}-{i}»") for i in range(1, 31)],
            )
        programme_rows, programme_keys = [], []
        for school in schools:
            for code, *_rest in SHAPES:
                programme_rows.append(
                    (school.pk, f"Программа «{code}»", forms[code], "—", "—", date(2021, 9, 1))
                )
                programme_keys.append((school.pk, code))
        programme_ids = dict(
            zip(
                programme_keys,
                fast_insert(
                    ProgrammeModel,
                    (
                        "organization_id",
                        "name",
                        "form_id",
                        "mentors_description",
                        "mentees_description",
                        "starts_on",
                    ),
                    programme_rows,
                ),
                strict=True,
            )
        )
        _log(out, f"{len(schools)} школ, программы и партнёры", started)

        per_school = participants // len(schools)
        categories = [c for c, _w in MIX]
        weights = [w for _c, w in MIX]
        by_school: dict[tuple[int, str], list[int]] = {}
        people_count = 0
        for batch in chunks(schools, 100):
            rows, keys = [], []
            for school in batch:
                partners = partners_by_muni[school.parent_id]
                picks = rng.choices(categories, weights, k=per_school)
                for i, category in enumerate(picks):
                    p = _person(rng, category, partners)
                    rows.append(
                        (
                            school.pk,
                            f"Участник{i}",
                            "Замер",
                            category,
                            "valid",
                            p.get("grade"),
                            p.get("birth_date"),
                            p.get("is_mentee", False),
                            p.get("is_mentor", False),
                            p.get("experience_years"),
                            p.get("partner_id"),
                        )
                    )
                    keys.append((school.pk, category))
            for key, pk in zip(keys, fast_insert(Participant, PERSON_FIELDS, rows), strict=True):
                by_school.setdefault(key, []).append(pk)
            people_count += len(rows)
        _log(out, f"{people_count} участников", started)

        shapes = list(SHAPES)
        shape_weights = [s[3] for s in SHAPES]
        statuses = [s for s, _w in STATUSES]
        status_weights = [w for _s, w in STATUSES]
        per_school_pairs = int(per_school * PAIRS_PER_PARTICIPANT)
        pair_count = member_count = 0
        respondents: list[tuple[int, int, str]] = []
        for batch in chunks(schools, 100):
            pair_rows = []
            members: list[tuple[int, int, str, bool]] = []  # (pair index, pid, role, open)
            for school in batch:
                open_mentees: set[int] = set()
                for n in range(per_school_pairs):
                    code, mentor_cat, mentee_cat, _w = rng.choices(shapes, shape_weights)[0]
                    mentors = by_school.get((school.pk, mentor_cat))
                    mentees = by_school.get((school.pk, mentee_cat))
                    if not mentors or not mentees:
                        code = "teacher-student"
                        mentors = by_school.get((school.pk, "teacher"))
                        mentees = by_school.get((school.pk, "pupil"))
                        if not mentors or not mentees:
                            continue
                    start_year = rng.randint(2022, 2026)
                    status = rng.choices(statuses, status_weights)[0]
                    starts = date(start_year, 9 if start_year < 2026 else rng.randint(1, 9), 1)
                    mentor_id = rng.choice(mentors)
                    picked = {rng.choice(mentees) for _ in range(rng.choice((1, 1, 2)))}
                    picked.discard(mentor_id)
                    if not picked:
                        continue
                    is_open = status in OPEN
                    if is_open:
                        if open_mentees.intersection(picked):
                            status, is_open = "completed", False
                        else:
                            open_mentees.update(picked)
                    finished = status in ("completed", "ended_early")
                    ends = date(start_year + 1, 5, 31) if finished else None
                    pair_rows.append(
                        (
                            school.pk,
                            n + 1,
                            programme_ids[(school.pk, code)],
                            forms[code],
                            status,
                            starts,
                            ends,
                        )
                    )
                    index = len(pair_rows) - 1
                    members.append((index, mentor_id, "mentor", is_open))
                    members += [(index, m, "mentee", is_open) for m in sorted(picked)]
                    if status not in ("proposed", "rejected") and rng.random() < 0.5:
                        respondents.append((school.pk, mentor_id, "mentor"))
                        respondents += [(school.pk, m, "mentee") for m in picked]
            pair_ids = fast_insert(
                Pair,
                (
                    "organization_id",
                    "number",
                    "programme_id",
                    "form_id",
                    "status",
                    "starts_on",
                    "ends_on",
                ),
                pair_rows,
            )
            fast_insert(
                PairMember,
                ("organization_id", "pair_id", "participant_id", "role", "open"),
                [
                    (pair_rows[i][0], pair_ids[i], pid, role, is_open)
                    for i, pid, role, is_open in members
                ],
            )
            pair_count += len(pair_rows)
            member_count += len(members)
        _log(out, f"{pair_count} пар, {member_count} участий", started)

        contingents = []
        for school in schools:
            pupils = len(by_school.get((school.pk, "pupil"), ()))
            teachers = len(by_school.get((school.pk, "teacher"), ()))
            for year in range(2022, 2027):
                if rng.random() < 0.08:
                    continue
                contingents.append(
                    (
                        school.pk,
                        year,
                        int(pupils * 1.6),
                        int(pupils * 0.5),
                        max(teachers // 5, 1),
                        max(teachers // 2, 1),
                        None,
                        None,
                    )
                )
        contingents += [
            (m.pk, y, None, None, None, None, 120, 900)
            for m in municipalities
            for y in range(2022, 2027)
        ]
        fast_insert(
            Contingent,
            (
                "organization_id",
                "year",
                "pupils_10_19",
                "pupils_15_19",
                "young_specialists",
                "young_teachers",
                "enterprises",
                "college_students",
            ),
            contingents,
        )
        # Unique per (school, person, role): a person answers once per questionnaire.
        respondents = list(dict.fromkeys(respondents))
        rng.shuffle(respondents)
        written = _seed_regional_answers(region, schools, respondents, rng, answers)
        _log(out, f"{written.get('answers', 0)} ответов", started)
        forget_stored_counts(school_ids)
        if connection.vendor == "postgresql":
            # Fresh tables without statistics get nested loops: 12 s instead of 0.2 s.
            with connection.cursor() as cursor:
                for model in (Participant, Pair, PairMember, Contingent, *_monitoring_models()):
                    cursor.execute(f'ANALYZE "{model._meta.db_table}"')
            _log(out, "ANALYZE", started)
    return {
        "schools": len(schools),
        "participants": people_count,
        "pairs": pair_count,
        "members": member_count,
        "contingents": len(contingents),
        **written,
    }


def _skip_deferred_checks() -> None:
    """Django's foreign keys are checked at COMMIT: for 7 million generated rows that
    queue of checks took longer than the COPY itself. The rows are linked by
    construction here, so a superuser's seeding skips them for this transaction only
    (`SET LOCAL`); without the right, the checks run as usual."""
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        pass


def _monitoring_models() -> tuple:
    from monitoring.models import Answer, CampaignSchool, Invitation, Response

    return (Answer, CampaignSchool, Invitation, Response)


def _seed_regional_answers(
    region: Organization,
    schools: list[Organization],
    respondents: list[tuple[int, int, str]],
    rng: random.Random,
    target: int,
) -> dict[str, int]:
    from monitoring.models import (
        Answer,
        Campaign,
        CampaignSchool,
        Invitation,
        Response,
    )

    if target <= 0 or not respondents:
        return {}
    questionnaires, questions = satisfaction_questionnaires()
    run = Campaign.objects.create(
        organization=region,
        title="Региональный мониторинг — ноябрь 2026",
        stage="final",
        starts_on=date(2026, 11, 1),
        ends_on=date(2026, 11, 30),
        mentor_questionnaire=questionnaires["mentor"],
        mentee_questionnaire=questionnaires["mentee"],
    )
    fast_insert(
        CampaignSchool, ("organization_id", "campaign_id"), [(s.pk, run.pk) for s in schools]
    )
    chosen, silent, total = [], set(), 0
    for row in respondents:
        if total >= target:
            break
        # A tenth of those invited do not answer: the response rates are not all 100 %.
        if rng.random() < 0.1:
            silent.add(len(chosen))
        else:
            total += len(questions[row[2]])
        chosen.append(row)
    now = timezone.now()
    invitation_ids = fast_insert(
        Invitation,
        (
            "organization_id",
            "campaign_id",
            "participant_id",
            "questionnaire_id",
            "role",
            "token",
            "channel",
            "responded_at",
        ),
        [
            (
                school_id,
                run.pk,
                pid,
                questionnaires[role].pk,
                role,
                f"breg{run.pk:06d}{i:022d}",
                "print",
                None if i in silent else now,
            )
            for i, (school_id, pid, role) in enumerate(chosen)
        ],
    )
    answered = [
        (inv_id, row)
        for i, (inv_id, row) in enumerate(zip(invitation_ids, chosen, strict=True))
        if i not in silent
    ]
    response_ids = fast_insert(
        Response,
        (
            "organization_id",
            "invitation_id",
            "campaign_id",
            "questionnaire_id",
            "participant_id",
            "role",
        ),
        [
            (school_id, inv_id, run.pk, questionnaires[role].pk, pid, role)
            for inv_id, (school_id, pid, role) in answered
        ],
    )
    answer_fields = (
        "organization_id",
        "response_id",
        "question_id",
        "campaign_id",
        "value",
        "choices",
    )
    count = 0
    rows = []
    for response_id, (_inv, (school_id, _pid, role)) in zip(response_ids, answered, strict=True):
        for question_id, kind, options in questions[role]:
            value, choices = _answer_value(rng, kind, options)
            rows.append((school_id, response_id, question_id, run.pk, value, choices))
        if len(rows) >= 200_000:
            fast_insert(Answer, answer_fields, rows)
            count += len(rows)
            rows = []
    fast_insert(Answer, answer_fields, rows)
    count += len(rows)
    return {"invitations": len(invitation_ids), "responses": len(response_ids), "answers": count}
