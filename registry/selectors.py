"""Reads of the school's registry that span relations, shaped for the pages.

Every function runs inside the request's tenant scope (the managers filter by it), and
every list is built with a fixed number of queries: forms and consents are prefetched,
never fetched per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registry.models import (
    Category,
    Consent,
    ConsentGiver,
    ConsentPurpose,
    ConsentState,
    MentoringForm,
    Participant,
    PartnerOrganization,
)


@dataclass(frozen=True)
class Badge:
    label: str
    css: str


# Bootstrap colours of the consent states: green is the only state that lets the
# programme use the person's data; withdrawn is dark because it starts destruction.
_BADGE_CSS = {
    ConsentState.VALID: "success",
    ConsentState.MISSING: "warning",
    ConsentState.INVALID: "danger",
    ConsentState.EXPIRED: "secondary",
    ConsentState.WITHDRAWN: "dark",
}


def consent_badge(state: str) -> Badge:
    try:
        label = str(ConsentState(state).label)
    except ValueError:
        label = state
    return Badge(label=label, css=_BADGE_CSS.get(state, "secondary"))


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


# The queue's order: what the curator can act on first (nobody asked yet, a form signed
# by the wrong person, a lapsed term), withdrawals last (only the family may reverse them).
QUEUE_ORDER = [
    ConsentState.MISSING,
    ConsentState.INVALID,
    ConsentState.EXPIRED,
    ConsentState.WITHDRAWN,
]


def consent_queue_rows() -> QuerySet[Participant]:
    """Everyone whose data the programme may not use yet: the "consent needed" queue."""
    rank = Case(
        *(When(consent_state=state, then=Value(i)) for i, state in enumerate(QUEUE_ORDER)),
        default=Value(len(QUEUE_ORDER)),
        output_field=IntegerField(),
    )
    return (
        Participant.objects.filter(depersonalized_at__isnull=True)
        .exclude(consent_state=ConsentState.VALID)
        .prefetch_related(Prefetch("consents", queryset=Consent.objects.order_by("-given_on")))
        .order_by(rank, "last_name", "first_name", "pk")
    )


def consent_queue_count() -> int:
    return (
        Participant.objects.filter(depersonalized_at__isnull=True)
        .exclude(consent_state=ConsentState.VALID)
        .count()
    )


def consent_gap(participant: Participant, on: date | None = None) -> str:
    """What is missing for a valid consent, in words a curator acts on.

    Reads the prefetched consents: no query per row in the queue.
    """
    on = on or timezone.localdate()
    minor = participant.is_minor(on)
    who = (
        _("родителя (законного представителя)")
        if minor
        else _("самого участника (совершеннолетнего)")
    )
    consents = list(participant.consents.all())
    state = participant.consent_state
    if state == ConsentState.WITHDRAWN:
        withdrawn = next((c for c in consents if c.withdrawn_on), None)
        when = withdrawn.withdrawn_on.strftime("%d.%m.%Y") if withdrawn else ""
        return _(
            "Согласие отозвано %(when)s: обработка прекращена, данные будут обезличены. "
            "Новое согласие — только по желанию %(who)s."
        ) % {"when": when, "who": who}
    if state == ConsentState.EXPIRED:
        until = max((c.valid_until for c in consents if c.valid_until), default=None)
        return _("Срок согласия истёк %(until)s: нужно новое согласие %(who)s.") % {
            "until": until.strftime("%d.%m.%Y") if until else "",
            "who": who,
        }
    if state == ConsentState.INVALID:
        if any(
            c.given_by == ConsentGiver.SELF and participant.is_minor(c.given_on) for c in consents
        ):
            return _(
                "Согласие подписал несовершеннолетний сам: нужно согласие родителя "
                "(законного представителя)."
            )
        if any(ConsentPurpose.PROGRAMME not in c.purposes for c in consents):
            return _("В согласии нет цели «участие в программе наставничества».")
        return _("Согласие оформлено с ошибкой: нужно новое согласие %(who)s.") % {"who": who}
    return _("Нет согласия на обработку персональных данных: нужно согласие %(who)s.") % {
        "who": who
    }


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
