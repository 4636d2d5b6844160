"""factory_boy factories for the core and the registry."""

import factory
from factory.django import DjangoModelFactory

from mentorship.models import Membership, Organization, OrganizationKind, User
from registry.models import MentoringForm, Programme

PASSWORD = "test-pass-123"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    last_name = factory.Faker("last_name", locale="ru_RU")
    first_name = factory.Faker("first_name", locale="ru_RU")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("slug",)

    kind = OrganizationKind.SCHOOL
    short_name = factory.Sequence(lambda n: f"Школа №{n}")
    full_name = factory.LazyAttribute(lambda o: f"МБОУ «{o.short_name}»")
    slug = factory.Sequence(lambda n: f"org-{n}")


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = "curator"


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Программа {n}")
    form = factory.LazyFunction(lambda: MentoringForm.objects.get(code="teacher-student"))
    mentors_description = "Педагоги"
    mentees_description = "Обучающиеся 6-11 класса"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Rows of a tenant are written inside that tenant's scope, as services do.
        from mentorship.tenancy.scoping import tenant_scope

        with tenant_scope(kwargs["organization"]):
            return super()._create(model_class, *args, **kwargs)


def make_roadmap(org, *, title="Дорожная карта", from_standard=True, actor=None):
    """A draft roadmap of `org` built through the service, from the standard template."""
    from datetime import date

    from mentorship.tenancy.scoping import tenant_scope
    from roadmaps.services.authoring import roadmap_create

    with tenant_scope(org):
        return roadmap_create(
            actor=actor,
            organization=org,
            title=title,
            period_start=date(2026, 9, 1),
            period_end=date(2027, 8, 31),
            from_standard=from_standard,
        )


def make_review(org, *, text="Уточните сроки мониторинга.", year=None, roadmap=None):
    """A review thread of the region opened at municipality `org` (issue 17)."""
    from mentorship.tenancy.scoping import tenant_scope
    from monitoring.indicators.services.oversight import review_open

    with tenant_scope(org):
        return review_open(actor=None, municipality=org, text=text, year=year, roadmap=roadmap)


def first_section(org):
    from mentorship.tenancy.scoping import tenant_scope

    roadmap = make_roadmap(org)
    with tenant_scope(org):
        return roadmap.sections.order_by("position").first()


def first_activity(org):
    from mentorship.tenancy.scoping import tenant_scope

    roadmap = make_roadmap(org)
    with tenant_scope(org):
        return roadmap.activities.order_by("section__position", "position").first()


def make_participant(org, **overrides):
    """A participant created through the service, inside the school's scope."""
    from datetime import date

    from mentorship.tenancy.scoping import tenant_scope
    from registry.services.participants import participant_create

    data = {
        "last_name": "Иванова",
        "first_name": "Мария",
        "patronymic": "Петровна",
        "birth_date": date(2012, 3, 14),
        "category": "pupil",
        "grade": 8,
        "class_letter": "А",
        "is_mentee": True,
    }
    data.update(overrides)
    with tenant_scope(org):
        return participant_create(actor=None, organization=org, **data)


def make_consented(org, **overrides):
    """A participant with a valid consent: a parent's for a pupil, their own for an adult."""
    from datetime import date

    from mentorship.tenancy.scoping import tenant_scope
    from registry.services.consent import consent_record

    participant = make_participant(org, **overrides)
    minor = participant.is_minor()
    with tenant_scope(org):
        consent_record(
            actor=None,
            participant=participant,
            given_by="parent" if minor else "self",
            giver_name="Иванов Пётр Сергеевич" if minor else "",
            giver_relation="отец" if minor else "",
            given_on=date(2026, 9, 1),
            purposes=["programme", "mentor_base"],
        )
        participant.refresh_from_db()
    return participant


def first_consent(org):
    """A valid consent with its signed scan, so that the scan's page has a file to serve."""
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile

    from mentorship.tenancy.scoping import tenant_scope
    from registry.services.consent import consent_record

    participant = make_participant(org, last_name="Согласова")
    with tenant_scope(org):
        return consent_record(
            actor=None,
            participant=participant,
            given_by="parent",
            giver_name="Согласов Пётр Сергеевич",
            giver_relation="отец",
            given_on=date(2026, 9, 1),
            purposes=["programme"],
            scan=SimpleUploadedFile("consent.pdf", MINIMAL_PDF),
        )


def make_partner(org, name="ПАО «КАМАЗ»"):
    from mentorship.tenancy.scoping import tenant_scope
    from registry.models import PartnerOrganization

    with tenant_scope(org):
        return PartnerOrganization.objects.create(
            organization=org, kind="enterprise", name=name, agreement_number="15/2026"
        )


_pair_counter = iter(range(1, 10**6))


def make_pair(org, *, approved=False):
    """A proposed (or approved) pair of a consented teacher and a consented pupil."""
    from datetime import date

    from mentorship.tenancy.scoping import tenant_scope
    from registry.services.pairs import pair_propose, pairs_approve_by_order

    n = next(_pair_counter)
    programme = ProgrammeFactory(organization=org)
    mentor = make_consented(
        org,
        last_name=f"Наставник{n}",
        category="teacher",
        grade=None,
        birth_date=date(1980, 1, 1),
        experience_years=10,
        is_mentor=True,
        is_mentee=False,
    )
    mentee = make_consented(org, last_name=f"Наставляемый{n}")
    with tenant_scope(org):
        pair = pair_propose(
            actor=None, programme=programme, mentor_ids=[mentor.pk], mentee_ids=[mentee.pk]
        )
        if approved:
            pairs_approve_by_order(actor=None, pairs=[pair], order=None)
            pair.refresh_from_db()
    return pair


def make_meeting(org):
    from datetime import date

    from mentorship.tenancy.scoping import tenant_scope
    from registry.services.pairs import meeting_log

    pair = make_pair(org, approved=True)
    with tenant_scope(org):
        return meeting_log(
            actor=None, pair=pair, kind="first", held_on=date.today(), topic="Знакомство"
        )


def make_planned_meeting(org, **overrides):
    """A meeting planned for tomorrow at 15:00 for an approved pair, through the service."""
    import datetime as dt

    from django.utils import timezone

    from mentorship.tenancy.scoping import tenant_scope
    from registry.services.schedule import meeting_plan

    pair = overrides.pop("pair", None) or make_pair(org, approved=True)
    starts_at = timezone.make_aware(
        dt.datetime.combine(timezone.localdate() + dt.timedelta(days=1), dt.time(15, 0))
    )
    data = {"starts_at": starts_at, "topic": "Встреча-планирование", "place": "Кабинет 21"}
    data.update(overrides)
    with tenant_scope(org):
        return meeting_plan(actor=None, pair=pair, **data)


def make_plan(org):
    from mentorship.tenancy.scoping import tenant_scope
    from registry.models import MemberRole
    from registry.services.pairs import plan_save

    pair = make_pair(org)
    with tenant_scope(org):
        mentee = pair.members.get(role=MemberRole.MENTEE).participant
        return plan_save(actor=None, pair=pair, mentee=mentee, goals="Цели")


# A complete, minimal PDF (header, one empty A4 page, xref, trailer): evidence uploads are
# opened, so a stand-in must be a real PDF.
MINIMAL_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n"
    b"0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n165\n%%EOF\n"
)


# --- Staff and organisations --------------------------------------------------------------

# A role that belongs to each level, for memberships and invitations made in tests.
ROLE_AT_LEVEL = {"school": "school_viewer", "municipality": "department", "region": "regional"}


def _level(org) -> str:
    from mentorship.tenancy.rules import level_of

    return level_of(org)


def make_membership(org, role=None, **user_fields):
    """A membership of a new person at `org`, in a role of its level."""
    user = UserFactory(**user_fields)
    return MembershipFactory(user=user, organization=org, role=role or ROLE_AT_LEVEL[_level(org)])


def make_invitation(org, role=None, email=None, invited_by=None, **fields):
    """An open invitation at `org` (not sent: no token), written directly."""
    import uuid

    from mentorship.models import Invitation

    return Invitation.objects.create(
        organization=org,
        role=role or ROLE_AT_LEVEL[_level(org)],
        email=email or f"invitee-{uuid.uuid4().hex[:8]}@example.org",
        invited_by=invited_by,
        **fields,
    )


def make_child(org):
    """An organisation directly under `org` (a school itself has none: itself)."""
    if org.is_educational:
        return org
    kind = (
        OrganizationKind.SCHOOL
        if org.kind == OrganizationKind.MUNICIPALITY
        else (OrganizationKind.MUNICIPALITY)
    )
    return OrganizationFactory(parent=org, kind=kind)


def make_course(org):
    """A course of the school of mentors with one session (a school's or a municipality's)."""
    from datetime import date

    from mentorship.tenancy.scoping import tenant_scope
    from registry.services.school import course_create, course_session_add

    with tenant_scope(org):
        course = course_create(actor=None, organization=org, title="Школа наставника", hours=36)
        course_session_add(
            actor=None, course=course, date=date(2026, 10, 1), topic="Роль наставника"
        )
        return course


def make_council(org):
    from mentorship.tenancy.scoping import tenant_scope
    from registry.services.council import council_create, council_member_add

    with tenant_scope(org):
        council = council_create(actor=None, organization=org, title="Совет наставников")
        council_member_add(actor=None, council=council, full_name="Гарипова Лилия Маратовна")
        return council


def make_council_meeting(org):
    from datetime import date

    from mentorship.tenancy.scoping import tenant_scope
    from registry.services.council import council_meeting_create

    council = make_council(org)
    with tenant_scope(org):
        return council_meeting_create(
            actor=None, council=council, date=date(2026, 10, 5), agenda="О плане работы"
        )


def make_competition(org, title="Лучший наставник"):
    """An announced competition of a municipality: one nomination, two criteria."""
    from datetime import timedelta

    from django.utils import timezone

    from mentorship.tenancy.scoping import tenant_scope
    from registry.services.competitions import competition_create

    today = timezone.localdate()
    with tenant_scope(org):
        return competition_create(
            actor=None,
            organization=org,
            title=title,
            nominations=["Лучший наставник"],
            criteria=[("Результаты наставляемых", 10), ("Методическая активность", 5)],
            nominations_until=today + timedelta(days=10),
            judging_until=today + timedelta(days=20),
        )


def make_nominee(org):
    """A school's nominee with materials, in a competition of the school's municipality."""
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile

    from mentorship.tenancy.scoping import tenant_scope
    from registry.services.competitions import nominee_create

    competition = make_competition(org.parent, "Конкурс школы")
    with tenant_scope(org.parent):
        nomination = competition.nominations.get()
    mentor = make_participant(
        org,
        last_name="Номинантов",
        category="teacher",
        birth_date=date(1980, 1, 1),
        grade=None,
        class_letter="",
        is_mentor=True,
        is_mentee=False,
    )
    with tenant_scope(org):
        return nominee_create(
            actor=None,
            school=org,
            competition=competition,
            nomination=nomination,
            participant=mentor,
            file=SimpleUploadedFile("portfolio.pdf", MINIMAL_PDF),
        )
