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
        shared = sorted(named.intersection(ids))
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
                % {"n": pair.pk, "status": PairStatus(pair.status).label}
            )
    return pairs


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

    Returns the document as requested (pending); its pairs are approved when its PDF is
    stored, see the module docstring. Errors are Russian ValidationErrors.
    """
    if not organization.is_educational:
        raise ValidationError(_("Приказ об утверждении пар издаёт образовательная организация."))
    on = date or timezone.localdate()
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
    locked. Pairs already linked to
    this order (a regeneration) are left alone; a pair approved by another order keeps
    that order: it was approved there, and moving the link would rewrite history.
    """
    ids = pair_ids_param(order.params)
    if not ids:
        return 0
    announce_pair_order(order)  # «pair order issued»: linked roadmap activities tick
    with tenant_scope(order.organization):
        pairs = [
            pair
            for pair in Pair.objects.filter(pk__in=ids, status__in=ORDERABLE).order_by("pk")
            if pair.status == PairStatus.PROPOSED or pair.order_id is None
        ]
        return pairs_approve_by_order(actor=order.created_by, pairs=pairs, order=order)
