"""Diplomas of a competition's winners (issue 16, item 3).

competition_diploma  one page per prize place of a published competition
                     (`params["competition_id"]`; `nominee_ids` to print some of them):
                     «ДИПЛОМ I степени … вручается Петрову Ивану Сергеевичу, занявшему
                     1 место в номинации «…» конкурса «Лучший наставник»». The name is in
                     the dative (mentorship/declension.py), the participle follows the
                     gender read from the patronymic.

The reward order «О поощрении наставников» takes a competition's winners the same way
(`params["competition_id"]`, registry/documents/acts/orders.py).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from mentorship.declension import Case, Gender, PersonName, full_name
from mentorship.documents.content import BIG, CENTER, DocType, DocumentContent, PageBreak, Para
from mentorship.documents.kinds import DocumentDataError
from mentorship.models import Document
from mentorship.tenancy.scoping import unscoped_reads
from registry.models import PRIZE_PLACES, Competition, CompetitionStatus, Nominee

from .common import Person, date_text, ids_param, letterhead, place, signature

ROMAN = {1: "I", 2: "II", 3: "III"}


def competition_param(document: Document) -> Competition:
    ids = ids_param(document, "competition_id")
    if not ids or len(ids) != 1:
        raise DocumentDataError(_("Укажите конкурс (параметр competition_id)."))
    competition = Competition.objects.filter(pk=ids[0], organization=document.organization).first()
    if competition is None:
        raise DocumentDataError(_("Такого конкурса у организации нет."))
    if competition.status != CompetitionStatus.PUBLISHED:
        raise DocumentDataError(_("Итоги конкурса ещё не опубликованы."))
    return competition


def competition_winners(document: Document) -> tuple[Competition, list[Nominee]]:
    """The published competition's prize winners (or the chosen `nominee_ids` of them)."""
    competition = competition_param(document)
    # The nominees are their schools' rows; the competition's municipality reads them.
    with unscoped_reads():
        nominees = list(
            Nominee.objects.filter(competition=competition, place__lte=PRIZE_PLACES)
            .select_related("nomination", "organization")
            .order_by("nomination__ordering", "place", "last_name", "pk")
        )
    chosen = ids_param(document, "nominee_ids")
    if chosen is not None:
        found = {n.pk: n for n in nominees}
        if any(pk not in found for pk in chosen):
            raise DocumentDataError(_("Дипломы выдаются только призёрам этого конкурса."))
        nominees = [found[pk] for pk in dict.fromkeys(chosen)]
    if not nominees:
        raise DocumentDataError(_("У конкурса нет призёров."))
    return competition, nominees


def winner_person(nominee: Nominee) -> Person:
    return Person(
        PersonName(nominee.last_name, nominee.first_name, nominee.patronymic),
        ", ".join(p for p in (nominee.position, nominee.organization.short_name) if p),
    )


def _took(name: PersonName) -> str:
    return {Gender.MALE: "занявшему", Gender.FEMALE: "занявшей"}.get(name.gender, "занявшему(-ей)")


def build_competition_diploma(document: Document) -> DocumentContent:
    organization = document.organization
    competition, nominees = competition_winners(document)
    content = DocumentContent()
    for index, nominee in enumerate(nominees):
        if index:
            content.add(PageBreak())
        content.add(letterhead(organization), DocType(_("ДИПЛОМ")))
        degree = ROMAN.get(nominee.place or 0, "")
        content.add(Para(_("%(d)s степени") % {"d": degree}, CENTER, bold=True))
        if nominee.last_name:
            name = PersonName(nominee.last_name, nominee.first_name, nominee.patronymic)
            content.add(
                Para(_("вручается"), CENTER),
                Para(full_name(name, Case.DATIVE), BIG, bold=True),
            )
            if nominee.position:
                content.add(Para(nominee.position, CENTER))
            took = _took(name)
        else:
            content.add(Para(_("вручается"), CENTER), Para(nominee.organization.short_name, BIG))
            took = _("занявшему")
        practice = (
            _(" с практикой «%(p)s»") % {"p": nominee.practice_title}
            if nominee.practice_title
            else ""
        )
        content.add(
            Para(nominee.organization.short_name, CENTER),
            Para(
                _(
                    "%(took)s %(place)s место%(practice)s в номинации «%(nomination)s» "
                    "конкурса «%(competition)s»"
                )
                % {
                    "took": took,
                    "place": nominee.place,
                    "practice": practice,
                    "nomination": nominee.nomination.title,
                    "competition": competition.title,
                },
                CENTER,
            ),
            Para(
                date_text(document.date)
                + (f", {place(organization)}" if place(organization) else ""),
                CENTER,
            ),
            signature(organization),
        )
    return content
