from django import template

from roadmaps.deadlines.describe import describe
from roadmaps.models import ActivityStatus

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
