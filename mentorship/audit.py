"""The audit log: services call record() for every change to personal data and download.

Every action code has a Russian name for the people who read the log. The core names its
own codes below; each project app names its codes in `<app>/audit_actions.py` as a dict
`ACTIONS = {"code": gettext_lazy("Название")}`, found through the app registry (as the
permission rules are), so the core imports no feature app.
tests/mentorship/test_audit_log.py walks every `record(action=...)` in the code base and
fails on a code without a name.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _

from mentorship.discovery import project_apps
from mentorship.models import AuditEntry, Organization, User

ACTIONS = {
    "organization.create": _("Создание организации"),
    "organization.update": _("Изменение данных организации"),
    "organization.close": _("Закрытие организации"),
    "organization.reopen": _("Восстановление организации"),
    "organization.bulk_start": _("Загрузка списка школ с кураторами"),
    "membership.grant": _("Назначение роли"),
    "membership.revoke": _("Снятие роли"),
    "membership.change_role": _("Смена роли"),
    "invitation.create": _("Приглашение сотрудника"),
    "invitation.resend": _("Повторная отправка приглашения"),
    "invitation.revoke": _("Отзыв приглашения"),
    "invitation.accept": _("Принятие приглашения"),
    "document.request": _("Формирование документа"),
    "document.regenerate": _("Повторное формирование документа"),
    "document.download": _("Скачивание документа"),
}

ACTIONS_MODULE = "audit_actions"


@cache
def action_labels() -> dict[str, Any]:
    """Every known action code → its Russian name (lazy strings)."""
    labels: dict[str, Any] = dict(ACTIONS)
    for config in project_apps():
        # A third-party app's module of that name is not ours: only the project's apps.
        if not module_has_submodule(config.module, ACTIONS_MODULE):
            continue
        for code, label in import_module(f"{config.name}.{ACTIONS_MODULE}").ACTIONS.items():
            if code in labels:
                raise ImproperlyConfigured(f"Audit action {code!r} is named twice")
            labels[code] = label
    return labels


def action_label(code: str) -> str:
    """The Russian name of an action; an unknown (retired) code is shown as it is."""
    label = action_labels().get(code)
    return str(label) if label is not None else code


def action_choices() -> list[tuple[str, str]]:
    """(code, name) of every action, in the order of the names, for a filter's select."""
    return sorted(((c, str(label)) for c, label in action_labels().items()), key=lambda c: c[1])


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
