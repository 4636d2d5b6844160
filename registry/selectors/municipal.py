"""Named cross-tenant reads of the registry for a municipality and its schools.

Each function here lifts the tenant scope on purpose (`unscoped_reads`), filters by the
organisation tree itself, and returns only what the upper level may see:

- `unscoped_mentor_base`: adult mentors of the municipality's schools who consented to
  the municipal mentor base, as plain records with the fields the base shows;
- `unscoped_school_counts`: counts per school, cells under 5 suppressed, never people;
- `unscoped_municipal_partners`: the municipality's partners, read by its schools;
- `unscoped_partner_representative_count`: a count, to refuse deleting a partner in use.

Pupils never leave this module as rows: they exist here only inside counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from mentorship.models import EDUCATIONAL_KINDS, Organization, OrganizationKind
from mentorship.tenancy.scoping import unscoped_reads
from registry.models import Category, ConsentState, Participant, PartnerOrganization

# Cells of a published table below this count are suppressed: with 1–4 people a
# "count" at school level is close to naming them.
SUPPRESSION_THRESHOLD = 5
ADULT_AGE = 18
MENTOR_BASE_CATEGORIES = (Category.TEACHER, Category.COLLEGE_STUDENT, Category.PARTNER)


# --- The municipal mentor base ---------------------------------------------------------


@dataclass(frozen=True)
class MentorBaseEntry:
    """What the municipal base shows of a mentor: no birth date, no flags, no consents."""

    participant_id: int
    school_id: int
    school_name: str
    full_name: str
    category: str
    category_label: str
    position: str
    subject: str
    experience_years: int | None
    study_place: str
    partner_name: str
    competencies: str
    subjects: str
    interests: str
    max_mentees: int | None
    has_sen_experience: bool
    forms: tuple[str, ...]
    phone: str
    email: str


def _adult_cutoff(today: date) -> date:
    """Born on or before this date means 18 or older today (29 February → 28)."""
    try:
        return today.replace(year=today.year - ADULT_AGE)
    except ValueError:
        return today.replace(year=today.year - ADULT_AGE, day=28)


def _schools_filter(municipality: Organization) -> Q:
    return Q(organization__parent=municipality, organization__kind__in=EDUCATIONAL_KINDS)


def _entry(p: Participant) -> MentorBaseEntry:
    profile = getattr(p, "mentor_profile", None)
    return MentorBaseEntry(
        participant_id=p.pk,
        school_id=p.organization_id,
        school_name=p.organization.short_name,
        full_name=p.full_name,
        category=p.category,
        category_label=str(p.get_category_display()),
        position=p.position,
        subject=p.subject,
        experience_years=p.experience_years,
        study_place=p.study_place,
        partner_name=p.partner.name if p.partner else "",
        competencies=profile.competencies if profile else "",
        subjects=profile.subjects if profile else "",
        interests=profile.interests if profile else "",
        max_mentees=profile.max_mentees if profile else None,
        has_sen_experience=profile.has_sen_experience if profile else False,
        forms=tuple(f.name for f in p.mentor_forms.all()),
        # Everyone in the base consented to it, contacts included: that is its purpose.
        phone=p.phone,
        email=p.email,
    )


def unscoped_mentor_base(
    municipality: Organization,
    *,
    search: str = "",
    school_id: int | None = None,
    category: str = "",
    today: date | None = None,
) -> list[MentorBaseEntry]:
    """Adult mentors of the municipality's schools who consented to the municipal base.

    `in_mentor_base` is kept by the consent services (adult, not a pupil, a mentor, a
    valid consent naming the base); the filters below repeat the parts that can go
    stale or that matter most, so a bug elsewhere cannot put a child here: the consent
    still valid today, never a pupil, 18 or older by birth date, and a college student
    only with a known birth date. Two queries whatever the size.
    """
    today = today or timezone.localdate()
    query = (
        _schools_filter(municipality)
        & Q(in_mentor_base=True, is_mentor=True, consent_state=ConsentState.VALID)
        & Q(depersonalized_at__isnull=True, category__in=MENTOR_BASE_CATEGORIES)
        & (Q(consent_valid_until__isnull=True) | Q(consent_valid_until__gte=today))
    )
    if school_id is not None:
        query &= Q(organization_id=school_id)
    if category:
        query &= Q(category=category)
    for word in search.split():
        query &= (
            Q(last_name__icontains=word)
            | Q(first_name__icontains=word)
            | Q(patronymic__icontains=word)
            | Q(position__icontains=word)
            | Q(subject__icontains=word)
            | Q(mentor_profile__competencies__icontains=word)
            | Q(mentor_profile__subjects__icontains=word)
        )
    with unscoped_reads():
        rows = (
            Participant.objects.filter(query)
            .exclude(birth_date__gt=_adult_cutoff(today))
            .exclude(category=Category.COLLEGE_STUDENT, birth_date__isnull=True)
            .select_related("organization", "partner", "mentor_profile")
            .prefetch_related("mentor_forms")
            .order_by("organization__short_name", "last_name", "first_name", "pk")
        )
        return [_entry(p) for p in rows]


# --- Counts per school, suppressed ----------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """A published count: `value` is None when the true count is under the threshold."""

    value: int | None

    @property
    def suppressed(self) -> bool:
        return self.value is None

    @property
    def display(self) -> str:
        return f"<{SUPPRESSION_THRESHOLD}" if self.value is None else str(self.value)


@dataclass(frozen=True)
class Total:
    """A column total over the shown cells only, so no hidden cell can be subtracted out.

    `partial` says some cells of the column were hidden and are not in `value`.
    """

    value: int
    partial: bool


@dataclass(frozen=True)
class Column:
    key: str
    group: str
    group_label: str | Promise
    consented: bool


@dataclass(frozen=True)
class CountsRow:
    school_id: int
    school_slug: str
    school_name: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class CountsTable:
    columns: tuple[Column, ...]
    rows: tuple[CountsRow, ...]
    totals: tuple[Total, ...]
    threshold: int = SUPPRESSION_THRESHOLD

    @property
    def groups(self) -> list[tuple[str, str | Promise]]:
        seen: dict[str, str | Promise] = {}
        for c in self.columns:
            seen.setdefault(c.group, c.group_label)
        return list(seen.items())


# A pupil who is both a mentor and a mentee counts in both pupil groups: the groups are
# the target indicators (mentees aged 10–19, mentors aged 15–19), not a partition.
GROUPS: tuple[tuple[str, str | Promise, Q], ...] = (
    ("pupil_mentees", _("Обучающиеся — наставляемые"), Q(category=Category.PUPIL, is_mentee=True)),
    ("pupil_mentors", _("Обучающиеся — наставники"), Q(category=Category.PUPIL, is_mentor=True)),
    ("teachers", _("Педагоги"), Q(category=Category.TEACHER)),
    ("college_students", _("Студенты"), Q(category=Category.COLLEGE_STUDENT)),
    ("partners", _("Представители партнёров"), Q(category=Category.PARTNER)),
)
COLUMNS: tuple[Column, ...] = tuple(
    Column(f"{key}_{'consented' if consented else 'not_consented'}", key, label, consented)
    for key, label, _q in GROUPS
    for consented in (True, False)
)
GROUP_FILTERS: dict[str, Q] = {key: q for key, _label, q in GROUPS}


def suppress(count: int) -> Cell:
    return Cell(count if count >= SUPPRESSION_THRESHOLD else None)


def _totals(rows: Iterable[CountsRow], width: int) -> tuple[Total, ...]:
    rows = list(rows)
    totals = []
    for i in range(width):
        cells = [r.cells[i] for r in rows]
        totals.append(
            Total(
                value=sum(c.value for c in cells if c.value is not None),
                partial=any(c.suppressed for c in cells),
            )
        )
    return tuple(totals)


def unscoped_school_counts(municipality: Organization) -> CountsTable:
    """Participants per school of the municipality, by group and consent: counts only.

    Every cell under 5, zero included, is published as «<5»; the raw numbers never
    leave this function. Column totals add up the shown cells only (see `Total`), so a
    hidden cell cannot be recovered by subtracting the others from a total. Row totals
    are not published at all: with the two consent columns of a group they would give
    back a hidden one. Depersonalised rows (consent withdrawn, data destroyed) are not
    participants any more and are not counted. Two queries whatever the size.
    """
    schools = list(
        Organization.objects.filter(parent=municipality, kind__in=EDUCATIONAL_KINDS).order_by(
            "short_name", "pk"
        )
    )
    consented = Q(consent_state=ConsentState.VALID)
    aggregates = {
        c.key: Count(
            "pk", filter=GROUP_FILTERS[c.group] & (consented if c.consented else ~consented)
        )
        for c in COLUMNS
    }
    with unscoped_reads():
        counted = {
            row["organization_id"]: row
            for row in Participant.objects.filter(
                _schools_filter(municipality), depersonalized_at__isnull=True
            )
            .order_by()
            .values("organization_id")
            .annotate(**aggregates)
        }
    rows = tuple(
        CountsRow(
            school_id=s.pk,
            school_slug=s.slug,
            school_name=s.short_name,
            cells=tuple(suppress(counted.get(s.pk, {}).get(c.key, 0)) for c in COLUMNS),
        )
        for s in schools
    )
    return CountsTable(columns=COLUMNS, rows=rows, totals=_totals(rows, len(COLUMNS)))


# --- Partners across the tree ---------------------------------------------------------


def unscoped_municipal_partners(school: Organization) -> list[PartnerOrganization]:
    """The partners of a school's municipality, for the school to read (not to edit).

    Agreements are often signed by the municipality for all its schools; a curator
    needs to see them to name a representative's organisation.
    """
    municipality = school.parent
    if municipality is None or municipality.kind != OrganizationKind.MUNICIPALITY:
        return []
    with unscoped_reads():
        return list(PartnerOrganization.objects.filter(organization=municipality))


def unscoped_partner_representative_count(partner: PartnerOrganization) -> int:
    """How many people in any school's registry represent this partner (a count)."""
    with unscoped_reads():
        return Participant.objects.filter(partner=partner).count()
