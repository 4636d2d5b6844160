"""Issuing the order «Об утверждении наставнических пар/групп».

How issuing and approval fit together (decided here, relied on by the views and the API):

1. `pair_order_issue` checks the pairs, then asks the document pipeline for a numbered
   `pair_order` with the pair ids in its params. Nothing about the pairs changes yet.
2. The pipeline renders the PDF (a Celery task after commit; in-process when Celery runs
   eagerly). A failed render leaves the row «failed» with its Russian message, shown on
   the document's page; the pairs stay proposed and the curator can regenerate it.
3. When the file is stored, the pipeline saves the row as «ready» inside a transaction
   with the row locked and calls the kind's `on_ready` hook there: the `pair_order` kind
   (registry/documents/pair_order.py) registers `pair_order_approve` as that hook, so the
   pairs move to approved and get linked to the order in the same transaction as the
   finished file. No PDF, no approval; no approval, no PDF. This holds however the render
   ran: the web request, the Celery worker, a regeneration.
4. Regenerating (same organisation, kind, year, number) overwrites the row and the file;
   the params keep the pair ids, so the same pairs are printed and approval is a no-op.

Only the pairs named at issue time are approved: an order rendered from the default set
(`manage.py render_document pair_order`) is a print of the current list and moves nothing,
since that list may have changed between the request and the render.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorship.conflicts import Conflict
from mentorship.documents.kinds import DocumentDataError
from mentorship.documents.services import document_request
from mentorship.models import Document, DocumentStatus, Organization, User
from mentorship.signals import rows_changed_in_bulk
from mentorship.tenancy.scoping import tenant_scope
from registry.models import Pair, PairStatus
from registry.selectors.pairs import ORDERABLE, default_order_pairs
from registry.services.evidence import announce_pair_order
from registry.services.pairs import pairs_approve_by_order

# The document kind of the order (registered by registry/documents/pair_order.py).
KIND = "pair_order"


def pair_ids_param(params: dict[str, Any]) -> list[int] | None:
    """The ids stored by `pair_order_issue`, or None for the default set; junk is a data
    error (the render fails with this message)."""
    raw = params.get("pair_ids")
    if raw is None:
        return None
    if not isinstance(raw, list) or not all(
        isinstance(i, int) and not isinstance(i, bool) and i > 0 for i in raw
    ):
        raise DocumentDataError(_("Неверный список пар для приказа."))
    return list(dict.fromkeys(raw))


def no_pairs_message() -> str:
    return _(
        "В школе нет предложенных или утверждённых наставнических пар программ текущего "
        "года: приказ об утверждении пар формировать не о чем. Сначала сформируйте пары."
    )


def _clean_ids(pair_ids: Iterable[int | str]) -> list[int]:
    try:
        ids = [int(i) for i in pair_ids]
    except (TypeError, ValueError):
        raise ValidationError(_("Неверный номер пары.")) from None
    if any(i <= 0 for i in ids):
        raise ValidationError(_("Неверный номер пары."))
    return list(dict.fromkeys(ids))


def _lock_pairs(pairs: list[Pair]) -> None:
    """Lock the pairs' rows (id order) and refuse if an order naming any of them is still
    being made: two clicks on «issue» at once give one numbered order, and the second
    request is told which (409). A finished order does not block a new one."""
    ids = sorted(p.pk for p in pairs)
    list(Pair.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk"))
    unfinished = Document.objects.filter(
        kind=KIND, status__in=(DocumentStatus.PENDING, DocumentStatus.RENDERING)
    ).order_by("pk")
    for order in unfinished:
        try:
            named = set(pair_ids_param(order.params) or ())
        except DocumentDataError:
            continue
        shared = sorted(p.number for p in pairs if p.pk in named)
        if shared:
            raise Conflict(
                _(
                    "Приказ на пары № %(ids)s уже формируется: %(order)s. Дождитесь его — "
                    "он появится в списке документов."
                )
                % {"ids": ", ".join(str(i) for i in shared), "order": order}
            )


def _chosen_pairs(pair_ids: list[int]) -> list[Pair]:
    pairs = list(Pair.objects.filter(pk__in=pair_ids).order_by("pk"))
    missing = sorted(set(pair_ids) - {p.pk for p in pairs})
    if missing:
        # Another school's pair is "not found" like a deleted one: nothing says it exists.
        raise ValidationError(
            _("Пары № %(ids)s не найдены в реестре школы.")
            % {"ids": ", ".join(str(i) for i in missing)}
        )
    for pair in pairs:
        if pair.status not in ORDERABLE:
            raise ValidationError(
                _(
                    "Пара № %(n)s в состоянии «%(status)s»: в приказ включаются только "
                    "предложенные и утверждённые пары."
                )
                % {"n": pair.number, "status": PairStatus(pair.status).label}
            )
    return pairs


# An order is often typed in a few days before the director signs it; a date further
# ahead than this is a typo (2062 for 2026), not a plan.
MAX_DAYS_AHEAD = 14


def _check_date(on: datetime.date, today: datetime.date) -> None:
    if on > today + datetime.timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationError(
            {
                "date": _(
                    "Дата приказа %(d)s — дальше чем через %(n)s дней от сегодняшнего: "
                    "проверьте год и месяц."
                )
                % {"d": f"{on:%d.%m.%Y}", "n": MAX_DAYS_AHEAD}
            }
        )


def _check_number(number: str | None) -> str | None:
    """None: the next number of the portal's register. A typed one must say something."""
    if number is None:
        return None
    number = number.strip()
    if not number:
        raise ValidationError({"number": _("Укажите номер приказа (как в книге приказов школы).")})
    return number


def _check_periods(pairs: list[Pair], on: datetime.date) -> None:
    """Every pair starts on the order's date (or an earlier order's): its end must not
    come before that."""
    for pair in pairs:
        start = pair.start_under(_Dated(on))
        if pair.ends_on and start and pair.ends_on < start:
            raise ValidationError(
                _(
                    "Пара № %(n)s заканчивается %(end)s — раньше даты приказа %(d)s: "
                    "исправьте окончание пары или дату приказа."
                )
                % {"n": pair.number, "end": f"{pair.ends_on:%d.%m.%Y}", "d": f"{on:%d.%m.%Y}"}
            )


class _Dated:
    """An order not yet saved, as `Pair.start_under` reads it: a date and no id."""

    pk = None

    def __init__(self, date: datetime.date) -> None:
        self.date = date


def _refuse_taken_number(number: str | None, on: datetime.date, pairs: list[Pair]) -> None:
    """A typed number that another order on pairs of that year already has is a conflict:
    issuing it would overwrite that order. The same pairs again is a regeneration."""
    if not number:
        return
    taken = Document.objects.filter(kind=KIND, year=on.year, number=number).first()
    if taken is None:
        return
    try:
        named = pair_ids_param(taken.params)
    except DocumentDataError:
        named = None
    if named is not None and sorted(named) == sorted(p.pk for p in pairs):
        return
    raise Conflict(
        {
            "number": _(
                "Приказ № %(n)s за %(y)s год уже есть (от %(d)s, на другие пары): укажите "
                "другой номер или откройте тот приказ в документах."
            )
            % {"n": number, "y": on.year, "d": f"{taken.date:%d.%m.%Y}"}
        }
    )


@transaction.atomic
def pair_order_issue(
    *,
    actor: User | None,
    organization: Organization,
    pair_ids: Iterable[int | str] | None = None,
    date: datetime.date | None = None,
    number: str | None = None,
) -> Document:
    """Request the order on `pair_ids` (or on the default set of the year).

    `number` and `date` are the school's own (its book of orders); without a number the
    portal's register gives the next one, a blank one is refused. Returns the document
    as requested (pending); its pairs are approved when its PDF is stored, and start on
    its date, see the module docstring. Errors are Russian ValidationErrors; a number
    another order has, or an order on the same pairs still being made, is a Conflict.
    """
    if not organization.is_educational:
        raise ValidationError(_("Приказ об утверждении пар издаёт образовательная организация."))
    today = timezone.localdate()
    on = date or today
    _check_date(on, today)
    number = _check_number(number)
    with tenant_scope(organization):
        if pair_ids is None:
            pairs = list(default_order_pairs(on.year).order_by("pk"))
            if not pairs:
                raise ValidationError(no_pairs_message())
        else:
            ids = _clean_ids(pair_ids)
            if not ids:
                raise ValidationError(_("Не выбрано ни одной пары для приказа."))
            pairs = _chosen_pairs(ids)
        _lock_pairs(pairs)
        _check_periods(pairs, on)
        _refuse_taken_number(number, on, pairs)
        return document_request(
            actor=actor,
            organization=organization,
            kind=KIND,
            params={"pair_ids": [p.pk for p in pairs]},
            number=number,
            date=on,
        )


def pair_order_approve(*, order: Document) -> int:
    """Approve the pairs an issued order names and link them to it; returns how many moved.

    The `on_ready` hook of the `pair_order` kind: the documents service calls it with the
    order's finished file about to be committed, inside that transaction with the row
    locked. The approved pairs start on the order's date. Pairs already linked to this
    order (a regeneration) keep their approval and follow the order's date if it was
    changed; a pair approved by another order keeps that order and its date: it was
    approved there, and moving the link would rewrite history.
    """
    ids = pair_ids_param(order.params)
    if not ids:
        return 0
    announce_pair_order(order)  # «pair order issued»: linked roadmap activities tick
    with tenant_scope(order.organization):
        moved = (
            Pair.objects.filter(pk__in=ids, order=order)
            .exclude(starts_on=order.date)
            .update(starts_on=order.date, updated_at=timezone.now())
        )
        if moved:  # no model signal from an UPDATE: the stored indicator counts are told
            rows_changed_in_bulk([order.organization_id])
        pairs = [
            pair
            for pair in Pair.objects.filter(pk__in=ids, status__in=ORDERABLE).order_by("pk")
            if pair.status == PairStatus.PROPOSED or pair.order_id is None
        ]
        return pairs_approve_by_order(actor=order.created_by, pairs=pairs, order=order)
