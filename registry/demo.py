"""A working school for the demo: Gymnasium No. 26 with a year of mentoring behind it.

School No. 40 carries the seeds' programmes and a handful of hand-written people; with
that alone every municipal indicator is a suppressed «<5». Here a second school gets
enough consented people and working pairs in three forms (teacher – pupil, pupil – pupil,
teacher – teacher) for the indicators, the matrix of pairs and the mentor base to show
real figures. Everyone is generated from the name lists in fixtures/demo.json and is
fictional; the same input always gives the same people.

Through the registry services, like a curator's work: participants, consents (a parent's
for a minor), proposals, approval, a first meeting that starts each pair. Idempotent like
the rest of load_demo: a school that already has pairs is left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import count, cycle

from django.utils import timezone

from mentorship.models import Organization, Role, User
from mentorship.tenancy.scoping import tenant_scope
from registry.catalog import ensure_standard_forms
from registry.models import (
    MentoringForm,
    MentorPreference,
    Pair,
    Participant,
    PartnerOrganization,
    Programme,
)


@dataclass(frozen=True)
class Names:
    """Invented Tatar and Russian names, by gender, cycled through in order."""

    male: list[tuple[str, str, str]]  # surname, name, patronymic
    female: list[tuple[str, str, str]]

    def people(self):
        """Endless (surname, name, patronymic), alternating genders. Each round past the
        list pairs the surnames with other names, so nobody's full name repeats."""
        for k in count():
            for rows in (self.female, self.male):
                n = len(rows)
                surname = rows[k % n][0]
                _, name, patronymic = rows[(k + (k // n) * 5) % n]
                yield surname, name, patronymic


def _names(spec: dict) -> Names:
    def split(rows: list[str]) -> list[tuple[str, str, str]]:
        return [tuple(row.split()) for row in rows]  # type: ignore[misc]

    return Names(male=split(spec["male"]), female=split(spec["female"]))


def _born(grade: int, n: int, school_year: int) -> date:
    """A pupil of `grade` on 1 September of `school_year`: 6 + grade years old."""
    return date(school_year - 6 - grade, 1 + (n * 5) % 12, 1 + (n * 7) % 28)


def load_school_demo(data: dict) -> None:
    from registry.services.consent import consent_record
    from registry.services.pairs import meeting_log, pair_propose, pairs_approve_by_order
    from registry.services.participants import participant_create
    from registry.services.schedule import meeting_plan

    spec = data["school_demo"]
    school = Organization.objects.get(slug=spec["school"])
    curator = User.objects.get(email=spec["curator"])
    consent_on = date.fromisoformat(spec["consent_date"])
    pairs_start = date.fromisoformat(spec["pairs_start"])
    year = consent_on.year if consent_on.month >= 9 else consent_on.year - 1
    names = _names(spec["names"]).people()
    with tenant_scope(school):
        if Pair.objects.exists():
            return
        forms = {f.code: f for f in MentoringForm.objects.all()}
        counter = iter(range(10_000))

        def person(**data) -> Participant:
            n = next(counter)
            last, first, patronymic = next(names)
            created = participant_create(
                actor=curator,
                organization=school,
                last_name=last,
                first_name=first,
                patronymic=patronymic,
                **data,
            )
            if created.is_minor(consent_on):
                consent = {
                    "given_by": "parent",
                    "giver_name": f"{last} {spec['parent_names'][n % len(spec['parent_names'])]}",
                    "giver_relation": "мать" if n % 3 else "отец",
                }
            else:
                consent = {"given_by": "self"}
            # Adult mentors also agree to the municipal mentor base; pupils never appear there.
            adult_mentor = data.get("is_mentor") and created.category != "pupil"
            purposes = ["programme", "mentor_base"] if adult_mentor else ["programme"]
            consent_record(
                actor=curator,
                participant=created,
                given_on=consent_on,
                purposes=purposes,
                **consent,
            )
            return created

        def role(mentor: bool, form: str) -> dict:
            """The role fields: a mentor in `form`, or a mentee in it."""
            chosen = [forms[form]]
            return {
                "is_mentor": mentor,
                "is_mentee": not mentor,
                "mentor_forms": chosen if mentor else [],
                "mentee_forms": [] if mentor else chosen,
            }

        def teacher(subject: str, experience: int, age: int, *, mentor: bool, form: str):
            n = next(counter)
            return person(
                birth_date=date(year - age, 1 + n % 12, 1 + n % 28),
                category="teacher",
                position="Учитель",
                subject=subject,
                experience_years=experience,
                **role(mentor, form),
            )

        def pupil(grade: int, letter: str, *, mentor: bool, form: str):
            n = next(counter)
            return person(
                birth_date=_born(grade, n, year),
                category="pupil",
                grade=grade,
                class_letter=letter,
                **role(mentor, form),
            )

        subjects = cycle(spec["subjects"])
        pairs: list[Pair] = []
        for plan in spec["programmes"]:
            programme = Programme.objects.get(name=plan["programme"])
            code = programme.form.code
            for i in range(plan["pairs"]):
                if code == "teacher-student":
                    mentor = teacher(next(subjects), 8 + i, 34 + i, mentor=True, form=code)
                    mentee = pupil(6 + i % 3, "АБВ"[i % 3], mentor=False, form=code)
                elif code == "student-student":
                    mentor = pupil(10 + i % 2, "АБ"[i % 2], mentor=True, form=code)
                    mentee = pupil(5 + i % 2, "АБ"[i % 2], mentor=False, form=code)
                else:  # teacher – teacher: experienced colleagues and young specialists
                    mentor = teacher(next(subjects), 15 + i, 42 + i, mentor=True, form=code)
                    mentee = teacher(next(subjects), i % 3, 24 + i, mentor=False, form=code)
                pairs.append(
                    pair_propose(
                        actor=curator,
                        programme=programme,
                        mentor_ids=[mentor.pk],
                        mentee_ids=[mentee.pk],
                        goals=plan["goals"],
                        starts_on=pairs_start,
                    )
                )
        pairs_approve_by_order(actor=curator, pairs=pairs, order=None)
        # Recent first meetings: the pairs are working, and none is flagged as silent.
        for i, pair in enumerate(Pair.objects.order_by("pk").prefetch_related("members")):
            meeting_log(
                actor=curator,
                pair=pair,
                kind="first",
                held_on=timezone.localdate() - timedelta(days=3 + i % 20),
                topic=spec["first_meeting_topic"],
                attended_ids=[m.participant_id for m in pair.members.all()],
            )
            # The next meeting of the first pairs, planned ahead: the calendar has entries.
            if i < 3:
                meeting_plan(
                    actor=curator,
                    pair=pair,
                    starts_at=timezone.make_aware(
                        datetime.combine(
                            timezone.localdate() + timedelta(days=2 + 3 * i), time(15, 0)
                        )
                    ),
                    topic="Встреча-планирование: задачи плана развития",
                    kind="planning",
                    place="Кабинет 21",
                )


def load_programmes(data: dict) -> None:
    """The standard forms of mentoring, and each school's programmes from the seeds."""
    ensure_standard_forms(MentoringForm)
    for municipality in data["municipalities"]:
        for school_data in municipality["schools"]:
            programmes = school_data.get("programmes", [])
            if programmes:
                _programmes(Organization.objects.get(slug=school_data["slug"]), programmes)


def _programmes(school: Organization, programmes: list[dict]) -> None:
    # The school's curator runs its programmes (the seeds name no one else).
    curator = (
        User.objects.filter(memberships__organization=school, memberships__role=Role.CURATOR)
        .order_by("pk")
        .first()
    )
    with tenant_scope(school):
        for p in programmes:
            Programme.objects.get_or_create(
                organization=school,
                name=p["name"],
                defaults={
                    "form": MentoringForm.objects.get(code=p["form"]),
                    "operator": p["operator"],
                    "mentors_description": p["mentors"],
                    "mentor_role": p["mentor_role"],
                    "mentees_description": p["mentees"],
                    "period_text": p["period"],
                    "starts_on": date.fromisoformat(p["starts_on"]),
                    "responsible": curator,
                },
            )


def load_partners(data: dict) -> None:
    """Partner organisations of the demo schools (thank-you letters are addressed to them)."""
    for municipality in data["municipalities"]:
        for school_data in municipality["schools"]:
            if not school_data.get("partners"):
                continue
            school = Organization.objects.get(slug=school_data["slug"])
            with tenant_scope(school):
                for p in school_data["partners"]:
                    agreed = p.get("agreement_date")
                    PartnerOrganization.objects.get_or_create(
                        organization=school,
                        name=p["name"],
                        defaults={
                            "kind": p["kind"],
                            "contact_person": p.get("contact_person", ""),
                            "agreement_number": p.get("agreement_number", ""),
                            "agreement_date": date.fromisoformat(agreed) if agreed else None,
                        },
                    )


def load_matching_people(data: dict) -> None:
    """Unpaired consented mentors and mentees of school No. 40, so matching has work.

    Through the registry services; a person already there is left as is.
    """
    spec = data["matching"]
    from registry.services.consent import consent_record
    from registry.services.participants import (
        mentee_need_add,
        mentor_profile_save,
        participant_create,
    )

    school = Organization.objects.get(slug=spec["school"])
    curator = User.objects.get(email=spec["curator"])
    forms = {f.code: f for f in MentoringForm.objects.all()}
    with tenant_scope(school):
        for item in spec["people"]:
            data = dict(item)
            consent, needs = data.pop("consent"), data.pop("needs", [])
            profile = data.pop("profile", None)
            mentor_forms = [forms[c] for c in data.pop("mentor_forms", [])]
            mentee_forms = [forms[c] for c in data.pop("mentee_forms", [])]
            data["birth_date"] = date.fromisoformat(data["birth_date"])
            if Participant.objects.filter(
                last_name=data["last_name"], first_name=data["first_name"]
            ).exists():
                continue
            person = participant_create(
                actor=curator,
                organization=school,
                mentor_forms=mentor_forms,
                mentee_forms=mentee_forms,
                **data,
            )
            if profile:
                mentor_profile_save(actor=curator, participant=person, **profile)
            for need in needs:
                mentee_need_add(actor=curator, participant=person, **need)
            # One of them has no consent yet: the matching page counts them as excluded.
            if consent:
                consent_record(
                    actor=curator,
                    participant=person,
                    given_on=date.fromisoformat(spec["consent_date"]),
                    purposes=["programme"],
                    **consent,
                )
        # The questionnaire after the group meeting has no service yet (monitoring owns
        # questionnaires), so the demo's one preference is written directly.
        for pref in spec["preferences"]:
            MentorPreference.objects.get_or_create(
                organization=school,
                programme=Programme.objects.get(name=pref["programme"]),
                mentee=Participant.objects.get(last_name=pref["mentee"]),
                mentor=Participant.objects.get(last_name=pref["mentor"]),
                defaults={"rank": pref["rank"]},
            )


# --- The school of mentors and the mentors' councils (issue 16) -------------------------

# The 36-hour course of seed 002 and the «Школа наставника» of seed 000, as a school and
# the municipality's methodical centre run them; the councils of seeds 000 and 004.
DEMO_SESSIONS = (
    "Роль наставника в целевой модели наставничества",
    "Формы наставничества и подбор пар",
    "Индивидуальный план развития наставляемого",
    "Техники обратной связи и рефлексии",
    "Итоговое занятие: защита планов работы пар",
)


def load_mentor_school_demo(data: dict) -> None:
    """A school course at the gymnasium with attendance and completers, a municipal course
    enrolling from the mentor base, and the councils of the municipality and school No. 40
    with a meeting, its decisions and deadlines. Skipped where a course or council exists."""
    from registry.selectors.school import course_candidates
    from registry.services import council as councils
    from registry.services import school as courses

    spec = data.get("school_demo")
    municipality = Organization.objects.filter(kind="municipality").order_by("pk").first()
    if spec is None or municipality is None:
        return
    gymnasium = Organization.objects.get(slug=spec["school"])
    start = date(timezone.localdate().year, 10, 1)

    def run_course(org: Organization, title: str, trainers: str, take: int) -> None:
        with tenant_scope(org):
            if courses.Course.objects.filter(organization=org).exists():
                return
            course = courses.course_create(
                actor=None, organization=org, title=title, hours=36, trainers=trainers,
                programme="\n".join(DEMO_SESSIONS), starts_on=start,
                ends_on=start + timedelta(weeks=len(DEMO_SESSIONS)), status="running",
            )  # fmt: skip
            sessions = [
                courses.course_session_add(
                    actor=None,
                    course=course,
                    date=start + timedelta(weeks=n),
                    topic=topic,
                    hours=36 // len(DEMO_SESSIONS),
                    place="МБУ «ИМЦ», ауд. 12",
                )  # fmt: skip
                for n, topic in enumerate(DEMO_SESSIONS)
            ]
            ids = [c.participant_id for c in course_candidates(course)][:take]
            if not ids:
                return
            enrolled = courses.course_enroll(actor=None, course=course, participant_ids=ids)
            # The first sessions are behind: most came, one missed the second.
            marks = [
                (s.pk, e.pk)
                for s in sessions[:3]
                for n, e in enumerate(enrolled)
                if not (s is sessions[1] and n == 0)
            ]
            courses.course_set_attendance(actor=None, course=course, marks=marks)

    run_course(gymnasium, "Школа наставника", "Сафина А.Р., куратор целевой модели", 8)
    run_course(
        municipality,
        "Наставничество в образовательной организации (36 часов)",
        "Галиева Г.Р., методист МБУ «ИМЦ»",
        12,
    )

    methodist = (
        User.objects.filter(
            memberships__organization=municipality, memberships__role=Role.METHODIST
        )
        .order_by("pk")
        .first()
    )
    school40 = Organization.objects.filter(slug="school-40").first()
    for org, title, people, owner in (
        (
            municipality,
            "Муниципальный Совет наставников",
            (("Ахметова Рания Фаридовна", "начальник управления образования", "chair"),
             ("Галиева Гульнара Рашитовна", "методист МБУ «ИМЦ»", "secretary"),
             ("Сафина Алсу Ринатовна", "куратор целевой модели, гимназия №26", "member"),
             ("Фисенко Елена Юрьевна", "заместитель директора по УР, СШ №40", "member")),
            methodist,
        ),
        (
            school40,
            "Совет наставников",
            (("Гарипова Лилия Маратовна", "директор", "chair"),
             ("Лещенко Ольга Юрьевна", "заместитель директора по УР", "secretary"),
             ("Фисенко Елена Юрьевна", "куратор целевой модели", "member")),
            None,
        ),
    ):  # fmt: skip
        if org is None:
            continue
        with tenant_scope(org):
            if councils.Council.objects.filter(organization=org).exists():
                continue
            council = councils.council_create(
                actor=None, organization=org, title=title,
                purpose="Координация и методическое сопровождение наставнической деятельности",
            )  # fmt: skip
            members = [
                councils.council_member_add(
                    actor=None, council=council, full_name=name, position=position, role=role
                )
                for name, position, role in people
            ]
            for topic, when in (
                ("Утверждение плана работы Совета наставников на учебный год", "сентябрь"),
                ("Об организации обучения наставников («Школа наставника»)", "октябрь"),
                ("О проведении конкурса «Лучший наставник»", "февраль"),
                ("Подведение итогов реализации программ наставничества", "май"),
            ):
                councils.council_plan_add(
                    actor=None, council=council, topic=topic, period_text=when,
                    responsible=members[1].full_name,
                )  # fmt: skip
            meeting = councils.council_meeting_create(
                actor=None, council=council, date=start - timedelta(days=20),
                place="МБУ «ИМЦ»" if org == municipality else "СШ №40, кабинет 204",
                agenda="Об утверждении плана работы Совета наставников\n"
                "Об организации обучения наставников в «Школе наставника»",
                minutes="Слушали секретаря Совета о проекте плана работы на учебный год.",
                present=[m.pk for m in members],
            )  # fmt: skip
            councils.council_decision_add(
                actor=None, meeting=meeting, text="Утвердить план работы Совета наставников",
                owner_name=members[0].full_name,
            )  # fmt: skip
            councils.council_decision_add(
                actor=None, meeting=meeting,
                text="Сформировать списки наставников для обучения в «Школе наставника»",
                owner=owner, owner_name="" if owner else members[2].full_name,
                due_on=start + timedelta(days=14),
            )  # fmt: skip


def load_competitions_demo(data: dict) -> None:
    """«Лучший наставник» of the municipality, judged and published (seeds 000, 002, 004):
    two schools' adult mentors nominated, the methodist and a curator in the jury, the
    winners' diplomas and reward order ready to print. Idempotent: a municipality that
    already has a competition is left as it is."""
    from registry.models import Category, Competition
    from registry.services.competitions import (
        competition_create,
        competition_publish,
        jury_add,
        nominee_create,
        scores_save,
    )

    spec = data["school_demo"]
    school = Organization.objects.get(slug=spec["school"])
    municipality = school.parent
    methodist = User.objects.get(email="methodist@demo.ru")
    curator = User.objects.get(email=spec["curator"])
    today = timezone.localdate()
    with tenant_scope(municipality):
        if Competition.objects.exists():
            return
        competition = competition_create(
            actor=methodist,
            organization=municipality,
            title="Лучший наставник",
            nominations=["Лучший педагог-наставник", "Наставник молодого специалиста"],
            criteria=[
                ("Результаты наставляемых", 10),
                ("Методическая активность и распространение опыта", 10),
                ("Представление практики (портфолио)", 5),
            ],
            nominations_until=today,
            judging_until=today + timedelta(days=7),
            description="Муниципальный конкурс профессионального мастерства наставников.",
        )
        nominations = list(competition.nominations.all())
        seats = [
            jury_add(actor=methodist, competition=competition, user=user)
            for user in (methodist, curator)
        ]
        criteria = list(competition.criteria.all())
    nominees = []
    for slug in (spec["school"], "school-40"):
        member = Organization.objects.filter(slug=slug).first()
        if member is None:
            continue
        with tenant_scope(member):
            mentors = Participant.objects.filter(
                is_mentor=True, category=Category.TEACHER, depersonalized_at__isnull=True
            ).order_by("last_name", "pk")[:3]
            for index, mentor in enumerate(mentors):
                nominees.append(
                    nominee_create(
                        actor=None,
                        school=member,
                        competition=competition,
                        nomination=nominations[index % len(nominations)],
                        participant=mentor,
                        today=today,
                    )
                )
    if not nominees:
        return
    with tenant_scope(municipality):
        for shift, seat in enumerate(seats):
            values = {}
            for n, nominee in enumerate(nominees):
                for c, criterion in enumerate(criteria):
                    values[(nominee.pk, criterion.pk)] = max(
                        0, criterion.max_score - (n * 3 + c + shift) % (criterion.max_score + 1)
                    )
            scores_save(actor=seat.user, seat=seat, values=values)
        competition_publish(actor=methodist, competition=competition)
