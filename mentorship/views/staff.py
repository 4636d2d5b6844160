"""The staff page of an organisation (/o/<slug>/staff/): people, roles, last login and
open invitations; invite, resend, revoke, change a role, end a membership.

Each action is a POST that calls one service; the service applies the grant rule
(mentorship/services/grants.py), so a forged form cannot grant more than the page
offers. Refusals come back as Russian messages on the page.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mentorship import access, selectors
from mentorship.conflicts import Conflict
from mentorship.forms import apply_service_errors
from mentorship.forms.staff import InviteForm, RoleForm
from mentorship.models import Invitation, Membership, Role
from mentorship.services import grantable_roles
from mentorship.services import invitations as invitation_service
from mentorship.services import memberships as membership_service
from mentorship.services.invitations import InvitationThrottled
from mentorship.tenancy.access import get_in_tenant_or_404, tenant_view
from mentorship.tenancy.rules import level_of
from mentorship.views.actions import run_row_action

__all__ = [
    "invitation_resend",
    "invitation_revoke",
    "membership_change_role",
    "membership_end",
    "staff_invite",
    "staff_list",
]


def _page(request: HttpRequest, form: InviteForm | None = None, status: int = 200) -> HttpResponse:
    tenant = request.tenant
    organization = tenant.organization
    may_manage = access.STAFF_MANAGE.permits(tenant)
    # The roles this person may give here: computed from the roles of the request, no query.
    roles = grantable_roles(tenant.roles, organization) if may_manage else ()
    if roles and form is None:
        form = InviteForm(roles=roles)
    members = list(selectors.staff_of(organization))
    for member in members:
        member.manageable = member.role in roles and member.user_id != request.user.pk
    invitations = list(selectors.open_invitations_of(organization))
    now = timezone.now()
    for invitation in invitations:
        invitation.current_state = invitation.state(now)
        invitation.manageable = invitation.role in roles
    context = {
        "organization": organization,
        "members": members,
        "invitations": invitations,
        "form": form if roles else None,
        "roles": [(r, Role(r).label) for r in roles],
        "may_manage": may_manage,
        # Who invites people here, for those who may not: «Куратор, Методист».
        "managers": [Role(r).label for r in access.STAFF_MANAGE.get(level_of(organization), ())],
    }
    return render(request, "mentorship/staff/list.html", context, status=status)


@require_GET
@tenant_view(access.STAFF_READ)
def staff_list(request: HttpRequest, org_slug: str) -> HttpResponse:
    return _page(request)


@require_POST
@tenant_view(access.STAFF_MANAGE)
def staff_invite(request: HttpRequest, org_slug: str) -> HttpResponse:
    tenant = request.tenant
    form = InviteForm(request.POST, roles=grantable_roles(tenant.roles, tenant.organization))
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        invitation = invitation_service.invitation_create(
            actor=request.user, organization=tenant.organization, **form.cleaned_data
        )
    except InvitationThrottled as exc:
        apply_service_errors(form, exc)
        return _page(request, form, status=429)
    except ValidationError as exc:
        apply_service_errors(form, exc)
        # 409: the same invitation was sent a moment ago (a double click).
        return _page(request, form, status=409 if isinstance(exc, Conflict) else 400)
    messages.success(
        request,
        _("Приглашение для %(email)s отправлено: ссылка действует 7 дней.")
        % {"email": invitation.email},
    )
    return redirect("staff_list", org_slug=org_slug)


def _invitation(request: HttpRequest, invitation_id: int) -> Invitation:
    return get_in_tenant_or_404(
        Invitation.objects.of(request.tenant.organization).open(), pk=invitation_id
    )


def _membership(request: HttpRequest, membership_id: int) -> Membership:
    return get_in_tenant_or_404(
        Membership.objects.filter(organization=request.tenant.organization).select_related(
            "user", "organization"
        ),
        pk=membership_id,
    )


@require_POST
@tenant_view(access.STAFF_MANAGE)
def invitation_resend(request: HttpRequest, org_slug: str, invitation_id: int) -> HttpResponse:
    invitation = _invitation(request, invitation_id)
    return run_row_action(
        request,
        lambda: invitation_service.invitation_resend(actor=request.user, invitation=invitation),
        _("Приглашение для %(email)s отправлено ещё раз; прежняя ссылка больше не действует.")
        % {"email": invitation.email},
        "staff_list",
    )


@require_POST
@tenant_view(access.STAFF_MANAGE)
def invitation_revoke(request: HttpRequest, org_slug: str, invitation_id: int) -> HttpResponse:
    invitation = _invitation(request, invitation_id)
    return run_row_action(
        request,
        lambda: invitation_service.invitation_revoke(actor=request.user, invitation=invitation),
        _("Приглашение для %(email)s отозвано.") % {"email": invitation.email},
        "staff_list",
    )


@require_POST
@tenant_view(access.STAFF_MANAGE)
def membership_change_role(request: HttpRequest, org_slug: str, membership_id: int) -> HttpResponse:
    membership = _membership(request, membership_id)
    tenant = request.tenant
    form = RoleForm(request.POST, roles=grantable_roles(tenant.roles, tenant.organization))
    if not form.is_valid():
        messages.error(request, _("Выберите роль из списка."))
        return redirect("staff_list", org_slug=org_slug)
    role = form.cleaned_data["role"]
    return run_row_action(
        request,
        lambda: membership_service.membership_change_role(
            actor=request.user, membership=membership, role=role
        ),
        _("%(person)s: теперь роль «%(role)s».")
        % {"person": membership.user, "role": Role(role).label},
        "staff_list",
    )


@require_POST
@tenant_view(access.STAFF_MANAGE)
def membership_end(request: HttpRequest, org_slug: str, membership_id: int) -> HttpResponse:
    membership = _membership(request, membership_id)
    return run_row_action(
        request,
        lambda: membership_service.membership_revoke(actor=request.user, membership=membership),
        _("%(person)s больше не «%(role)s» в этой организации.")
        % {"person": membership.user, "role": membership.get_role_display()},
        "staff_list",
    )
