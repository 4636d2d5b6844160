"""The demo region's roadmaps: the municipal one cascaded into the schools, with some
progress already reported, and last cycle's, imported from the seed Word file.

Called by `manage.py load_demo` after the organisations and users exist; running it
twice changes nothing.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.conf import settings

from mentorship.models import Organization, User
from mentorship.tenancy.scoping import tenant_scope
from roadmaps.models import Activity, Roadmap
from roadmaps.services.authoring import roadmap_approve, roadmap_create
from roadmaps.services.cascade import roadmap_cascade
from roadmaps.services.importing import preview_import, roadmap_import
from roadmaps.services.progress import activity_set_progress


def load_roadmaps_demo(data: dict) -> None:
    """`data` is the whole fixtures/demo.json: its "roadmap" and "previous_roadmap"."""
    _roadmap(Organization.objects.get(slug=data["roadmap"]["org"]), data["roadmap"])
    _previous_roadmap(data["previous_roadmap"])


def _roadmap(municipality: Organization, spec: dict) -> None:
    """The municipal roadmap, its school duties cascaded into every school."""
    with tenant_scope(municipality):
        if Roadmap.objects.filter(title=spec["title"]).exists():
            return
        methodist = User.objects.get(email=spec["author"])
        roadmap = roadmap_create(
            actor=methodist,
            organization=municipality,
            title=spec["title"],
            period_start=date.fromisoformat(spec["period_start"]),
            period_end=date.fromisoformat(spec["period_end"]),
            from_standard=True,
        )
        roadmap_cascade(actor=methodist, roadmap=roadmap)
    _progress(spec["progress"])


def _progress(marks: list[dict]) -> None:
    """Some schools have already reported, so the matrix is not a blank sheet."""
    for mark in marks:
        school = Organization.objects.get(slug=mark["school"])
        curator = User.objects.filter(memberships__organization=school).first()
        with tenant_scope(school):
            activity = Activity.objects.filter(origin__isnull=False).order_by(
                "section__position", "position"
            )[mark["index"]]
            activity_set_progress(
                actor=curator, activity=activity, status=mark["status"], comment=mark["comment"]
            )


def _previous_roadmap(spec: dict) -> None:
    """Last cycle's roadmap, imported from the municipality's own Word file (the seed)."""
    municipality = Organization.objects.get(slug=spec["org"])
    path = Path(settings.BASE_DIR) / spec["file"]
    start, end = (
        date.fromisoformat(spec["period_start"]),
        date.fromisoformat(spec["period_end"]),
    )
    with tenant_scope(municipality):
        if Roadmap.objects.filter(period_start=start, origin__isnull=True).exists():
            return
        methodist = User.objects.get(email=spec["author"])
        preview = preview_import(path.read_bytes(), path.name, period_start=start, period_end=end)
        roadmap = roadmap_import(
            actor=methodist,
            organization=municipality,
            preview=preview,
            title=preview["title"],
            period_start=start,
            period_end=end,
        )
        roadmap_approve(
            actor=User.objects.get(email=spec["approver"]),
            roadmap=roadmap,
            order_number=spec["order_number"],
            order_date=date.fromisoformat(spec["order_date"]),
        )
