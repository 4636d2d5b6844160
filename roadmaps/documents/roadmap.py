"""The roadmap as a printed document: A4 landscape, the table as methodists lay it out."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentorship.documents.kinds import DocumentDataError, register
from mentorship.models import Document, Role
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


def build_context(document: Document) -> dict[str, Any]:
    roadmap = pick_roadmap(document.params)
    sections = roadmap_with_content(roadmap)
    if not any(section.top_activities for section in sections):
        raise DocumentDataError(_("В дорожной карте нет мероприятий."))
    return {"roadmap": roadmap, "sections": sections}


register(
    KIND,
    label=gettext_lazy("Дорожная карта"),
    template="documents/roadmap.html",
    build_context=build_context,
    roles=(Role.METHODIST, Role.CURATOR),
    landscape=True,
    numbered=False,
)
