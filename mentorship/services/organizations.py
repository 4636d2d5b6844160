"""Writes to the organisation tree: create, edit, close, reopen. Each is one audited
transaction.

With an `actor`, the write needs the organisations rule at the parent
(mentorship/access.py ORGANIZATIONS_MANAGE: the methodist for the schools of the
municipality, the regional centre for the municipalities of the region); `actor=None`
is the system (the demo loader, commands).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorship import access, audit
from mentorship.models import (
    EDUCATIONAL_KINDS,
    PARENT_KIND,
    Invitation,
    Organization,
    OrganizationKind,
    User,
)
from mentorship.signals import organization_created
from mentorship.tenancy.resolution import roles_in

from .slugs import unique_slug

__all__ = [
    "EDITABLE_FIELDS",
    "check_organizations_manage",
    "organization_close",
    "organization_create",
    "organization_reopen",
    "organization_update",
]

# What the people managing an organisation may change; the slug (its address in the
# portal, in bookmarks and letters) and its place in the tree stay as they are.
EDITABLE_FIELDS = (
    "kind",
    "full_name",
    "short_name",
    "inn",
    "address",
    "head_name",
    "head_position",
    "document_header",
)


def check_organizations_manage(actor: User | None, parent: Organization | None) -> None:
    """May `actor` add or change the organisations directly under `parent`?"""
    if actor is None:
        return
    if parent is None:
        if not actor.is_superuser:
            raise PermissionDenied(_("Регионы добавляет администратор портала."))
        return
    if not access.ORGANIZATIONS_MANAGE.allows(parent, roles_in(actor, parent)):
        raise PermissionDenied(
            _("Вы не можете менять организации, входящие в «%(parent)s».")
            % {"parent": parent.short_name}
        )


def _check_kind(kind: str, parent: Organization | None) -> None:
    expected_parent_kind = PARENT_KIND[OrganizationKind(kind)]
    actual_parent_kind = parent.kind if parent else None
    if expected_parent_kind != actual_parent_kind:
        raise ValidationError(
            _("Организация вида «%(kind)s» должна входить в организацию вида «%(parent)s».")
            % {
                "kind": OrganizationKind(kind).label,
                "parent": OrganizationKind(expected_parent_kind).label
                if expected_parent_kind
                else _("нет (верхний уровень)"),
            }
        )


@transaction.atomic
def organization_create(
    *,
    actor: User | None,
    kind: str,
    full_name: str,
    short_name: str = "",
    slug: str = "",
    parent: Organization | None = None,
    **extra: str,
) -> Organization:
    """Add an organisation under `parent`; without a short name the full one is used,
    without a `slug` one is made from the name.

    Sends `organization_created` after the commit: roadmaps cascade the municipality's
    duties to a new school, monitoring adds it to running campaigns.
    """
    check_organizations_manage(actor, parent)
    _check_kind(kind, parent)
    if parent is not None and parent.is_closed:
        raise ValidationError(
            _("«%(parent)s» закрыта: в неё нельзя добавлять организации.")
            % {"parent": parent.short_name}
        )
    org = Organization(
        kind=kind,
        parent=parent,
        full_name=full_name.strip(),
        short_name=short_name.strip() or full_name.strip()[:200],
        slug=slug or unique_slug(short_name or full_name),
        **extra,
    )
    org.full_clean()
    try:
        with transaction.atomic():
            org.save()
    except IntegrityError:
        # The same INN or address taken by another request a moment ago.
        raise ValidationError(
            _(
                "Организация с таким ИНН или адресом в портале только что добавлена. "
                "Обновите страницу."
            )
        ) from None
    audit.record(actor=actor, organization=parent or org, action="organization.create", obj=org)
    # Apps hang their per-organisation setup here (e.g. a municipal roadmap's duties
    # cascade to a school added later), after the row is committed.
    transaction.on_commit(lambda: organization_created.send(sender=Organization, organization=org))
    return org


@transaction.atomic
def organization_update(
    *, actor: User | None, organization: Organization, **fields: str
) -> Organization:
    """Change the organisation's own details (names, INN, address, head, header)."""
    check_organizations_manage(actor, organization.parent)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    # The kind changes only among the educational kinds: a school may turn out a college.
    if (
        "kind" in fields
        and fields["kind"] != organization.kind
        and not (organization.is_educational and fields["kind"] in EDUCATIONAL_KINDS)
    ):
        raise ValidationError({"kind": _("Вид этой организации изменить нельзя.")})
    changed = {}
    for name, value in fields.items():
        value = value.strip() if isinstance(value, str) else value
        if getattr(organization, name) != value:
            changed[name] = value
            setattr(organization, name, value)
    if not changed:
        return organization
    organization.full_clean()
    organization.save(update_fields=list(changed))
    audit.record(
        actor=actor,
        organization=organization.parent or organization,
        action="organization.update",
        obj=organization,
        fields=sorted(changed),
    )
    return organization


@transaction.atomic
def organization_close(*, actor: User | None, organization: Organization) -> Organization:
    """Close a merged or liquidated organisation: it leaves the lists and switchers, keeps
    its data; its open invitations are withdrawn. A municipality closes after its schools."""
    check_organizations_manage(actor, organization.parent)
    if organization.is_closed:
        return organization
    if organization.children.open().exists():
        raise ValidationError(
            _("Сначала закройте организации, входящие в «%(name)s».")
            % {"name": organization.short_name}
        )
    organization.closed_at = timezone.now()
    organization.save(update_fields=["closed_at"])
    withdrawn = (
        Invitation.objects.of(organization)
        .open()
        .update(revoked_at=organization.closed_at, token_hash=None)
    )
    audit.record(
        actor=actor,
        organization=organization.parent or organization,
        action="organization.close",
        obj=organization,
        invitations_revoked=withdrawn,
    )
    return organization


@transaction.atomic
def organization_reopen(*, actor: User | None, organization: Organization) -> Organization:
    """Undo a closing made by mistake."""
    check_organizations_manage(actor, organization.parent)
    if not organization.is_closed:
        return organization
    if organization.parent is not None and organization.parent.is_closed:
        raise ValidationError(_("Вышестоящая организация закрыта."))
    organization.closed_at = None
    organization.save(update_fields=["closed_at"])
    audit.record(
        actor=actor,
        organization=organization.parent or organization,
        action="organization.reopen",
        obj=organization,
    )
    return organization
