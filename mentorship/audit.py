"""The audit log: services call record() for every change to personal data and download."""

from __future__ import annotations

from typing import Any

from django.db import models

from mentorship.models import AuditEntry, Organization, User


def record(
    *,
    actor: User | None,
    organization: Organization | None,
    action: str,
    obj: models.Model | None = None,
    **details: Any,
) -> AuditEntry:
    """Write one audit entry. `action` is a dotted code such as "participant.update"."""
    actor_label = ""
    if actor is not None and getattr(actor, "is_authenticated", False):
        actor_label = f"{actor.get_full_name()} <{actor.email}>".strip()
    else:
        actor = None
        actor_label = details.pop("actor_label", "система")
    return AuditEntry.objects.create(
        actor=actor,
        actor_label=actor_label[:300],
        organization=organization,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        details=details,
    )


def entries_for(obj: models.Model) -> models.QuerySet[AuditEntry]:
    """Who saw or changed this object, newest first (a data subject's request)."""
    return AuditEntry.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).select_related("actor")
