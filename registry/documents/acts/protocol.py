"""The protocol of a meeting of the mentors' council (`council_protocol`, issue 16 item 2).

Built from the meeting as the secretary wrote it up (registry/models/council.py):
«ПРОТОКОЛ № … заседания Совета наставников», date and place, who chaired and kept the
minutes, who was present, the agenda numbered, the course of the meeting, and the
decisions as a table with owners and deadlines; signed by the chair and the secretary.
It names staff and adult mentors only, like every local act.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mentorship.documents.content import (
    CENTER,
    ITEM,
    PLAIN,
    DocType,
    DocumentContent,
    Heading,
    Para,
    RegLine,
    Signature,
    Table,
    Title,
)
from mentorship.documents.kinds import DocumentDataError
from mentorship.models import Document
from registry.models import CouncilMeeting, CouncilRole
from registry.selectors.council import meeting_for_page

from .common import date_text, ids_param, letterhead, place


def _meeting(document: Document) -> CouncilMeeting:
    ids = ids_param(document, "meeting_id")
    if not ids or len(ids) != 1:
        raise DocumentDataError(_("Укажите заседание совета (meeting_id)."))
    meeting = meeting_for_page(ids[0])
    if meeting is None:
        raise DocumentDataError(_("Такого заседания совета в организации нет."))
    return meeting


_ADJECTIVE_ENDINGS = (("ый", "ого"), ("ой", "ого"), ("ий", "его"))


def title_genitive(title: str) -> str:
    """«Муниципальный Совет наставников» → «Муниципального Совета наставников»: the
    council's name after «заседания». Only the shape councils are named in (adjectives,
    «Совет», then anything) is declined; any other name is quoted as written (""), since
    guessing the case of free text would print a wrong word into a signed protocol."""
    words = title.split()
    index = next((i for i, w in enumerate(words) if w.lower() == "совет"), None)
    if index is None:
        return ""
    declined = []
    for word in words[:index]:
        ending = next((e for e in _ADJECTIVE_ENDINGS if word.lower().endswith(e[0])), None)
        if ending is None:
            return ""
        declined.append(word[: -len(ending[0])] + ending[1])
    return " ".join([*declined, words[index] + "а", *words[index + 1 :]])


def _named(members, role: str) -> str:
    return ", ".join(m.full_name for m in members if m.role == role)


def build_council_protocol(document: Document) -> DocumentContent:
    meeting = _meeting(document)
    organization = document.organization
    members = list(meeting.council.members.all())
    present = sorted(
        meeting.present.all(), key=lambda m: (m.role != CouncilRole.CHAIR, m.full_name)
    )
    agenda = meeting.agenda_items
    content = DocumentContent().add(
        letterhead(organization),
        DocType(_("ПРОТОКОЛ")),
        RegLine(date_text(meeting.date), document.number),
    )
    if where := place(organization):
        content.add(Para(where, CENTER))
    title = meeting.council.title
    genitive = title_genitive(title)
    if genitive:
        heading = _("заседания %(title)s (заседание № %(n)s)")
    else:
        heading = _("заседания Совета наставников «%(title)s» (заседание № %(n)s)")
    content.add(Title(heading % {"title": genitive or title, "n": meeting.number}))
    if meeting.place:
        content.add(Para(_("Место проведения: %(p)s") % {"p": meeting.place}, PLAIN))
    if chair := _named(members, CouncilRole.CHAIR):
        content.add(Para(_("Председатель: %(n)s") % {"n": chair}, PLAIN))
    if secretary := _named(members, CouncilRole.SECRETARY):
        content.add(Para(_("Секретарь: %(n)s") % {"n": secretary}, PLAIN))
    content.add(
        Para(
            ngettext(
                "Присутствовали: %(n)s член совета из %(all)s.",
                "Присутствовали: %(n)s члена совета из %(all)s.",
                len(present),
            )
            % {"n": len(present), "all": len(members)},
            PLAIN,
        )
    )
    for member in present:
        line = member.full_name + (f" — {member.position}" if member.position else "")
        content.add(Para(line, ITEM))
    content.add(Heading(_("Повестка дня:")))
    for index, item in enumerate(agenda, start=1):
        content.add(Para(f"{index}. {item}", ITEM))
    if meeting.minutes:
        content.add(Heading(_("Ход заседания:")))
        for paragraph in meeting.minutes.splitlines():
            if paragraph.strip():
                content.add(Para(paragraph.strip()))
    decisions = list(meeting.decisions.all())
    content.add(Heading(_("Решили:")))
    if decisions:
        content.add(
            Table(
                headers=(_("№"), _("Решение"), _("Ответственный"), _("Срок")),
                rows=tuple(
                    (
                        str(index),
                        d.text,
                        d.owner_name or "—",
                        date_text(d.due_on) if d.due_on else "—",
                    )
                    for index, d in enumerate(decisions, start=1)
                ),
                widths=(6, 54, 24, 16),
            )
        )
    else:
        content.add(Para(_("Принять информацию к сведению.")))
    chair_member = next((m for m in members if m.role == CouncilRole.CHAIR), None)
    secretary_member = next((m for m in members if m.role == CouncilRole.SECRETARY), None)
    content.add(
        Signature(_("Председатель"), chair_member.full_name if chair_member else ""),
        Signature(_("Секретарь"), secretary_member.full_name if secretary_member else ""),
    )
    return content
