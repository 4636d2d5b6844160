"""What the registry tells the rest of the portal happened, as evidence on the core's
event bus (mentorship/events.py): the roadmaps tick «Формирование базы…» and «Издание
приказа «Об утверждении наставнических пар/групп»» by themselves."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorship import events
from mentorship.models import Document, Organization
from registry import access


def pair_order_evidence(order: Document) -> events.Evidence:
    """«издан приказ № 12 от 01.10.2026», linked for those who may open the order (it
    names pupils: the school's curator only)."""
    return events.document_evidence(order, rule=access.PAIR_ORDER.name)


def import_evidence(organization: Organization, filename: str, rows: int) -> events.Evidence:
    day = timezone.localdate()
    return events.Evidence(
        note=_("загружен реестр участников из файла «%(f)s» (%(d)s, строк: %(n)s)")
        % {"f": filename, "d": day.strftime("%d.%m.%Y"), "n": rows},
        on=day,
        url=reverse("registry:participant_list", kwargs={"org_slug": organization.slug}),
        rule=access.PEOPLE_READ.name,
    )


def announce_import(organization: Organization, filename: str, rows: int) -> None:
    events.emit(
        events.Event.REGISTRY_IMPORTED,
        organization,
        evidence=import_evidence(organization, filename, rows),
    )


def announce_pair_order(order: Document) -> None:
    events.emit(
        events.Event.PAIR_ORDER_ISSUED, order.organization, evidence=pair_order_evidence(order)
    )
