from django import template

from mentorship.events import Event
from roadmaps.deadlines.describe import describe
from roadmaps.models import ActivityStatus
from roadmaps.services.autotick import guess_event

register = template.Library()

BADGES = {
    ActivityStatus.DONE: "success",
    ActivityStatus.IN_PROGRESS: "warning",
    ActivityStatus.OVERDUE: "danger",
    ActivityStatus.NOT_STARTED: "secondary",
}


@register.filter
def deadline_meaning(parsed) -> str:
    return describe(parsed)


@register.filter
def status_label(value: str) -> str:
    return ActivityStatus(value).label if value else "—"


@register.filter
def status_badge(value: str) -> str:
    return BADGES.get(value, "light")


@register.filter
def auto_event_label(title: str) -> str:
    """The import preview: the event a title will be linked to on saving, or ""."""
    event = guess_event(title)
    return str(Event(event).label) if event else ""
