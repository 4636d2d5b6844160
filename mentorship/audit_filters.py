"""Filters of the audit page (django-filter): action, person, date range.

The filters only narrow the queryset the view hands in (one organisation's entries), so
they cannot widen what the page shows. The choices are plain lists built here, not
ModelChoiceFilters, so validating a choice costs no query of its own.
"""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from mentorship import audit
from mentorship.forms import DateInput
from mentorship.models import AuditEntry, User

# The actor choice of entries written by nobody in particular (tasks, beat, imports).
SYSTEM = "system"


def person_label(user: User) -> str:
    short = user.get_short_name()
    return f"{short} ({user.email})" if short != user.email else user.email


class AuditFilter(django_filters.FilterSet):
    action = django_filters.ChoiceFilter(
        label=_("Действие"), choices=[], empty_label=_("Все действия")
    )
    person = django_filters.ChoiceFilter(
        label=_("Кто"), choices=[], method="filter_person", empty_label=_("Все")
    )
    since = django_filters.DateFilter(
        label=_("С"), field_name="at", lookup_expr="date__gte", widget=DateInput()
    )
    until = django_filters.DateFilter(
        label=_("По"), field_name="at", lookup_expr="date__lte", widget=DateInput()
    )

    class Meta:
        model = AuditEntry
        fields: list[str] = []

    def __init__(self, *args, people: QuerySet[User], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Built per request: the names are translated in the request's language.
        self.filters["action"].extra["choices"] = audit.action_choices()
        self.filters["person"].extra["choices"] = [
            *((str(u.pk), person_label(u)) for u in people),
            (SYSTEM, _("Система (без пользователя)")),
        ]

    def filter_person(self, queryset, name, value):
        if value == SYSTEM:
            return queryset.filter(actor__isnull=True)
        return queryset.filter(actor_id=int(value))


def people_in_log(entries: QuerySet[AuditEntry]) -> QuerySet[User]:
    """Everyone who appears as the actor of these entries, in one query."""
    return User.objects.filter(pk__in=entries.values("actor_id")).order_by(
        "last_name", "first_name", "email"
    )
