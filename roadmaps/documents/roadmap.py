"""The roadmap as a printed document: A4 landscape, the table as methodists lay it out,
and the same text as an editable Word file (structured content, see
mentorship/documents/content.py)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentorship.documents.content import (
    CENTER,
    DocumentContent,
    Letterhead,
    Para,
    Stamp,
    Table,
    Title,
)
from mentorship.documents.kinds import DocumentDataError, register
from mentorship.models import Document, OrganizationKind, Role
from roadmaps.models import Roadmap, RoadmapStatus
from roadmaps.selectors import roadmap_with_content

KIND = "roadmap"


def document_key(roadmap: Roadmap) -> str:
    """The pipeline reuses a document by (organisation, kind, year, number): keying it by
    the roadmap keeps each roadmap's PDF apart. Not printed: the stamp shows the order."""
    return str(roadmap.pk)


def pick_roadmap(params: dict[str, Any]) -> Roadmap:
    """The roadmap asked for, or else the current approved one, or else the latest draft."""
    roadmaps = Roadmap.objects.all()
    if params.get("roadmap_id"):
        roadmap = roadmaps.filter(pk=params["roadmap_id"]).first()
    else:
        roadmap = (
            roadmaps.filter(status=RoadmapStatus.APPROVED).order_by("-version", "-pk").first()
            or roadmaps.filter(status=RoadmapStatus.DRAFT).order_by("-pk").first()
        )
    if roadmap is None:
        raise DocumentDataError(_("В организации нет такой дорожной карты."))
    return roadmap


def _cells(activity: Any, indent: str = "") -> tuple[str, ...]:
    title = indent + activity.title
    if getattr(activity, "content", ""):
        title += "\n" + activity.content
    return (
        str(activity.number),
        title,
        activity.responsible_text,
        activity.deadline_text,
        activity.expected_result,
        activity.document_kind,
    )


def build_content(document: Document) -> DocumentContent:
    """The roadmap as methodists lay it out, one text for the PDF and the .docx: the
    approval stamp (or «ПРОЕКТ»), the title and period, the table by sections."""
    roadmap = pick_roadmap(document.params)
    sections = roadmap_with_content(roadmap)
    if not any(section.top_activities for section in sections):
        raise DocumentDataError(_("В дорожной карте нет мероприятий."))
    organization = document.organization
    if roadmap.status in (RoadmapStatus.APPROVED, RoadmapStatus.ARCHIVED):
        stamp = Stamp(
            (
                _("УТВЕРЖДЕНА"),
                _("приказом от %(d)s № %(n)s")
                % {
                    "d": f"{roadmap.order_date:%d.%m.%Y}" if roadmap.order_date else "",
                    "n": roadmap.order_number,
                },
            )
        )
    else:
        stamp = Stamp((_("ПРОЕКТ"),))
    rows: list[tuple[str, ...]] = []
    for section in sections:
        heading = section.title
        if section.for_every_school:
            # A regional roadmap's such sections are every municipality's duties.
            below = (
                _("для каждого муниципалитета")
                if roadmap.organization.kind == OrganizationKind.REGION
                else _("на уровне образовательных организаций")
            )
            heading += " (" + below + ")"
        rows.append((heading,))
        for activity in section.top_activities:
            rows.append(_cells(activity))
            rows.extend(_cells(sub, "\u00a0\u00a0") for sub in activity.subitems)
    period = _("на период с %(a)s по %(b)s") % {
        "a": f"{roadmap.period_start:%d.%m.%Y}" if roadmap.period_start else "",
        "b": f"{roadmap.period_end:%d.%m.%Y}" if roadmap.period_end else "",
    }
    return DocumentContent().add(
        Letterhead(issuer=organization.document_header or organization.full_name),
        stamp,
        Title(roadmap.title),
        Para(period, CENTER),
        Table(
            headers=(
                _("№ п/п"),
                _("Мероприятие"),
                _("Ответственные"),
                _("Сроки"),
                _("Ожидаемый результат"),
                _("Вид документа"),
            ),
            rows=tuple(rows),
            widths=(6, 32, 18, 13, 18, 13),
        ),
    )


register(
    KIND,
    label=gettext_lazy("Дорожная карта"),
    build_content=build_content,
    # The regional centre prints its own roadmap (issue 17).
    roles=(Role.METHODIST, Role.CURATOR, Role.REGIONAL),
    landscape=True,
    numbered=False,
)
