"""What the registry adds to the home pages' to-do lists (mentorship/home.py).

- A school (its staff): people without a valid consent, consented mentees without a
  pair, proposed pairs waiting for the order, working pairs without meetings for 30
  days — each a number linking to the list filtered to exactly those rows; and for the
  curator the «Первые шаги» checklist (programme → registry → consents → pairs →
  order). Four queries, whatever the size of the registry.
- A municipality's and a region's table: consented participants (counts under 5
  suppressed, as every count of people above the school) and working pairs, per school
  or per municipality. One grouped query each.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from mentorship import access as core_access
from mentorship.home import Cell, Column, RowGrouping, Step, Todo, row_grouping
from mentorship.tenancy.resolution import TenantContext
from mentorship.tenancy.scoping import unscoped_reads
from registry import access
from registry.models import ConsentState, Pair, PairStatus, Participant, Programme
from registry.selectors.municipal import SUPPRESSION_THRESHOLD, suppress
from registry.selectors.pairs import stale_pairs
from registry.selectors.people import open_mentee_pair

# Pairs at work: approved by the order and running (the meetings' and monitoring's pairs).
WORKING = (PairStatus.APPROVED, PairStatus.ACTIVE)
# A pair that went through an order on pairs, whatever became of it since.
ORDERED = (PairStatus.APPROVED, PairStatus.ACTIVE, PairStatus.COMPLETED, PairStatus.ENDED_EARLY)


def _url(name: str, slug: str, **query: str) -> str:
    url = reverse(name, kwargs={"org_slug": slug})
    return f"{url}?{urlencode(query)}" if query else url


def registry_home_figures(tenant: TenantContext) -> dict[str, list]:
    grouping = row_grouping(tenant)
    if grouping is not None:
        if not core_access.HOME_TABLE.permits(tenant):
            return {}
        columns = [unscoped_consented_column(grouping), unscoped_working_pairs_column(grouping)]
        return {"columns": columns}
    return school_figures(tenant)


def school_figures(tenant: TenantContext) -> dict[str, list]:
    """The school's to-do figures, in the school's scope."""
    slug = tenant.organization.slug
    figures: dict[str, list] = {"todos": []}
    read_people = access.PEOPLE_READ.permits(tenant)
    read_pairs = access.PAIRS_READ.permits(tenant)
    if not (read_people or read_pairs):
        return {}
    living = Participant.objects.filter(depersonalized_at__isnull=True)
    valid = Q(consent_state=ConsentState.VALID)
    people = living.aggregate(
        total=Count("pk"),
        consented=Count("pk", filter=valid),
        unpaired=Count("pk", filter=valid & Q(is_mentee=True) & ~open_mentee_pair()),
    )
    without_consent = people["total"] - people["consented"]
    pairs = Pair.objects.aggregate(
        made=Count("pk", filter=~Q(status=PairStatus.REJECTED)),
        proposed=Count("pk", filter=Q(status=PairStatus.PROPOSED)),
        ordered=Count("pk", filter=Q(order__isnull=False) | Q(status__in=ORDERED)),
    )
    if read_people:
        figures["todos"] += [
            Todo(
                "people_without_consent",
                _("Участники без действующего согласия"),
                without_consent,
                _url("registry:consent_queue", slug),
            ),
            Todo(
                "mentees_without_pair",
                _("Наставляемые с согласием, но без пары"),
                people["unpaired"],
                _url(
                    "registry:participant_list",
                    slug,
                    role="mentee",
                    consent=ConsentState.VALID,
                    pair="none",
                ),
                tone="info",
            ),
        ]
    if read_pairs:
        figures["todos"] += [
            Todo(
                "pairs_waiting_for_order",
                _("Предложенные пары ждут приказа"),
                pairs["proposed"],
                _url("registry:pair_list", slug, status=PairStatus.PROPOSED),
                tone="primary",
            ),
            Todo(
                "pairs_without_meetings",
                _("Пары без встреч 30 дней"),
                stale_pairs().count(),
                _url("registry:pair_list", slug, stale="1"),
                tone="danger",
            ),
        ]
    if access.PEOPLE_WRITE.permits(tenant):
        figures["steps"] = first_steps(
            slug,
            programmes=Programme.objects.exists(),
            people=people["total"] > 0,
            consents=people["consented"] > 0,
            pairs=pairs["made"] > 0,
            ordered=pairs["ordered"] > 0,
        )
    return figures


def first_steps(
    slug: str, *, programmes: bool, people: bool, consents: bool, pairs: bool, ordered: bool
) -> list[Step]:
    """The order a school starts in (the target model's stages 1, 2–3 and 5), each step
    linking where it is done."""
    return [
        Step(
            "programme",
            _("Создайте программу наставничества"),
            programmes,
            _url("registry:programme_list", slug),
        ),
        Step(
            "registry",
            _("Внесите наставников и наставляемых в реестр"),
            people,
            _url("registry:participant_list", slug),
        ),
        Step(
            "consents",
            _("Отметьте согласия на обработку персональных данных"),
            consents,
            _url("registry:consent_queue", slug),
        ),
        Step(
            "pairs",
            _("Сформируйте пары и группы"),
            pairs,
            _url("registry:pair_list", slug),
        ),
        Step(
            "order",
            _("Утвердите пары приказом"),
            ordered,
            _url("registry:pair_list", slug, status=PairStatus.PROPOSED),
        ),
    ]


def unscoped_consented_column(grouping: RowGrouping) -> Column:
    """Living participants with a valid consent, per row: a count of people, so under
    5 it is published as «<5» (registry/selectors/municipal.py)."""
    key = grouping.key()
    with unscoped_reads():
        rows = (
            Participant.objects.filter(
                grouping.within(),
                depersonalized_at__isnull=True,
                consent_state=ConsentState.VALID,
            )
            .values(key)
            .annotate(n=Count("pk"))
            .values_list(key, "n")
            .order_by()
        )
        counts = dict(rows)
    cells = {}
    for pk, n in counts.items():
        cell = suppress(n)
        # A hidden count sorts as the smallest, never by its true value.
        cells[pk] = Cell(cell.value or 0, cell.display)
    return Column(
        "consented",
        _("С согласием"),
        cells,
        order=30,
        empty=Cell(0, f"<{SUPPRESSION_THRESHOLD}"),
    )


def unscoped_working_pairs_column(grouping: RowGrouping) -> Column:
    """Pairs approved by the order and running, per row (pairs, not people: a count of
    pairs names nobody, and is shown as is)."""
    key = grouping.key()
    with unscoped_reads():
        rows = (
            Pair.objects.filter(grouping.within(), status__in=WORKING)
            .values(key)
            .annotate(n=Count("pk"))
            .values_list(key, "n")
            .order_by()
        )
        counts = dict(rows)
    return Column(
        "working_pairs",
        _("Работающие пары"),
        {pk: Cell(n, str(n)) for pk, n in counts.items()},
        order=40,
        empty=Cell(0, "0"),
    )
