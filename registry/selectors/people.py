"""Reads of the school's people that span relations, shaped for the pages.

Every function runs inside the request's tenant scope (the managers filter by it), and
every list is built with a fixed number of queries: forms and consents are prefetched,
never fetched per row.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registry.models import (
    Category,
    Consent,
    MemberRole,
    MentoringForm,
    PairMember,
    Participant,
    PartnerOrganization,
    PersonalLink,
)

ROLE_FILTERS = {
    "mentor": Q(is_mentor=True),
    "mentee": Q(is_mentee=True),
    "both": Q(is_mentor=True, is_mentee=True),
}
ROLE_CHOICES = [
    ("mentor", gettext_lazy("Наставники")),
    ("mentee", gettext_lazy("Наставляемые")),
    ("both", gettext_lazy("Наставник и наставляемый")),
]


def open_mentee_pair() -> Exists:
    """The person is a mentee of an open pair (proposed, approved, working, suspended)."""
    return Exists(
        PairMember.objects.filter(participant=OuterRef("pk"), role=MemberRole.MENTEE, open=True)
    )


def registry_rows() -> QuerySet[Participant]:
    """The registry as the list shows it: living records with what each row prints.

    Depersonalised rows are kept for counts only; there is nothing left to show or do.
    The forms of a page's rows are attached afterwards by `attach_forms`.
    """
    return Participant.objects.filter(depersonalized_at__isnull=True).select_related("partner")


def attach_forms(participants: list[Participant], forms: list[MentoringForm]) -> None:
    """Give each row `mentor_form_list` and `mentee_form_list` in two queries for the page.

    Not prefetch_related: it builds a queryset and a manager per row and relation, which
    on a 50-row page cost more than the queries themselves. The forms are a small
    reference list the page has already loaded; only the pairs (person, form) are read.
    """
    by_id = {f.pk: f for f in forms}
    ids = [p.pk for p in participants]
    for attr, relation in (
        ("mentor_form_list", Participant.mentor_forms),
        ("mentee_form_list", Participant.mentee_forms),
    ):
        lists: dict[int, list[MentoringForm]] = {pk: [] for pk in ids}
        pairs = relation.through.objects.filter(participant_id__in=ids).values_list(
            "participant_id", "mentoringform_id"
        )
        for participant_id, form_id in pairs:
            if form_id in by_id:
                lists[participant_id].append(by_id[form_id])
        for participant in participants:
            forms_of = lists[participant.pk]
            forms_of.sort(key=lambda f: (f.ordering, f.name))
            setattr(participant, attr, forms_of)


def with_form(queryset: QuerySet[Participant], form: MentoringForm | int) -> QuerySet[Participant]:
    """People open to `form` as mentor or as mentee.

    Two subqueries instead of OR-ed joins: joins would repeat a person who has the form
    on both sides and need DISTINCT, which PostgreSQL sorts over the whole table.
    """
    form_id = form if isinstance(form, int) else form.pk
    mentor_ids = Participant.mentor_forms.through.objects.filter(mentoringform_id=form_id).values(
        "participant_id"
    )
    mentee_ids = Participant.mentee_forms.through.objects.filter(mentoringform_id=form_id).values(
        "participant_id"
    )
    return queryset.filter(Q(pk__in=mentor_ids) | Q(pk__in=mentee_ids))


def search_names(queryset: QuerySet[Participant], text: str) -> QuerySet[Participant]:
    """Every word of the query must match a part of the full name («Иванова Мар»)."""
    for word in text.split()[:5]:
        queryset = queryset.filter(
            Q(last_name__icontains=word)
            | Q(first_name__icontains=word)
            | Q(patronymic__icontains=word)
        )
    return queryset


def position_label(participant: Participant) -> str:
    """The one line that places a person in the school: class, position or organisation."""
    if participant.category == Category.PUPIL:
        return participant.class_label and _("%(c)s класс") % {"c": participant.class_label}
    if participant.category == Category.TEACHER:
        return ", ".join(p for p in (participant.position, participant.subject) if p)
    if participant.category == Category.COLLEGE_STUDENT:
        return participant.study_place
    parts = [participant.position, participant.partner.name if participant.partner else ""]
    return ", ".join(p for p in parts if p)


def participant_for_page(participant_id: int) -> QuerySet[Participant]:
    """Everything the detail page shows, in a handful of queries."""
    return (
        Participant.objects.filter(pk=participant_id)
        .select_related("partner", "mentor_profile")
        .prefetch_related(
            "mentor_forms",
            "mentee_forms",
            Prefetch("consents", queryset=Consent.objects.select_related("recorded_by")),
            "needs",
            "assessments",
            # The person's live magic link and feed (the card's «Личная ссылка»).
            Prefetch(
                "links",
                queryset=PersonalLink.objects.filter(revoked_at__isnull=True),
                to_attr="live_links",
            ),
        )
    )


def partner_choices(organization) -> QuerySet[PartnerOrganization]:
    """Partners a school's people may represent: the school's own and its municipality's.

    Built inside a scope of both organisations: the scoped manager bakes the filter into
    the queryset, so evaluating it later under the school's scope still sees both.
    """
    from mentorship.tenancy.scoping import tenant_scope

    orgs = [organization]
    municipality = organization.municipality()
    if municipality is not None:
        orgs.append(municipality)
    with tenant_scope(*orgs):
        return PartnerOrganization.objects.all().order_by("name")
