from csp.constants import UNSAFE_INLINE as CSP_UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.permissions import IsAuthenticated

from mentorship import accounts
from mentorship.api.schema_view import SchemaView
from mentorship.metrics import metrics_view
from mentorship.views import bulk_start, invitations, organizations, pages, staff

# The core's own pages of an organisation: its staff, the organisations one level down.
core_patterns = [
    path("staff/", staff.staff_list, name="staff_list"),
    path("staff/invite/", staff.staff_invite, name="staff_invite"),
    path(
        "staff/invitations/<int:invitation_id>/resend/",
        staff.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "staff/invitations/<int:invitation_id>/revoke/",
        staff.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "staff/members/<int:membership_id>/role/",
        staff.membership_change_role,
        name="membership_change_role",
    ),
    path("staff/members/<int:membership_id>/end/", staff.membership_end, name="membership_end"),
    path("organizations/", organizations.organization_list, name="organization_list"),
    path("organizations/new/", organizations.organization_create, name="organization_create"),
    path(
        "organizations/<int:organization_id>/edit/",
        organizations.organization_edit,
        name="organization_edit",
    ),
    path(
        "organizations/<int:organization_id>/close/",
        organizations.organization_close,
        name="organization_close",
    ),
    path(
        "organizations/<int:organization_id>/reopen/",
        organizations.organization_reopen,
        name="organization_reopen",
    ),
    path("organizations/bulk/", bulk_start.bulk_start_upload, name="bulk_start_upload"),
    path(
        "organizations/bulk/template/",
        bulk_start.bulk_start_template,
        name="bulk_start_template",
    ),
    path(
        "organizations/bulk/<slug:token>/",
        bulk_start.bulk_start_preview,
        name="bulk_start_preview",
    ),
]

# Every page of an organisation lives under /o/<org_slug>/: TenantMiddleware resolves
# the slug once, checks membership and activates the tenant scope.
tenant_patterns = [
    path("", pages.org_home, name="org_home"),
    path("audit/", pages.audit_log, name="audit_log"),
    path("", include(core_patterns)),
    path("", include("registry.urls")),
    path("documents/", include("mentorship.documents.urls")),
    path("", include("roadmaps.urls")),
    path("indicators/", include("monitoring.indicators.urls")),
    path("", include("monitoring.urls")),
]

api_tenant_patterns = [
    path("", include("mentorship.api.urls")),
    path("", include("roadmaps.api.urls")),
    path("", include("registry.api.urls")),
    path("indicators/", include("monitoring.indicators.api.urls")),
    path("", include("monitoring.api.urls")),
]

urlpatterns = [
    path("", pages.home, name="home"),
    path("healthz", pages.healthz, name="healthz"),
    # Prometheus, behind METRICS_TOKEN (404 without the setting, 403 without the token).
    path("metrics", metrics_view, name="metrics"),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path(
        "accounts/password_reset/",
        accounts.ThrottledPasswordResetView.as_view(),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    # The user's own notifications: not an organisation's page, filtered by user.
    path("notifications/", include("mentorship.notifications.urls")),
    # A staff invitation's link: the person may have no account yet, the token is the key.
    path("invite/<slug:token>/", invitations.accept, name="invitation_accept"),
    # A participant's personal questionnaire link: no account, the token is the key.
    path("q/", include("monitoring.urls_public")),
    # A participant's own page through their magic link: no account, the token is the key.
    path("p/", include("registry.urls_public")),
    path("o/<slug:org_slug>/", include(tenant_patterns)),
    path("api/v1/o/<slug:org_slug>/", include(api_tenant_patterns)),
    # The API's description is for the portal's users and their integrators: behind login.
    path(
        "api/schema/",
        SchemaView.as_view(permission_classes=[IsAuthenticated]),
        name="api_schema",
    ),
    # The split view serves Swagger UI's start-up script as a file of its own (no inline
    # script); its page keeps one <style> block, so style-src is relaxed here only.
    path(
        "api/docs/",
        csp_update({"style-src": [CSP_UNSAFE_INLINE]})(
            login_required(
                SpectacularSwaggerSplitView.as_view(
                    url_name="api_schema", permission_classes=[IsAuthenticated]
                )
            )
        ),
        name="api_docs",
    ),
    path("admin/", admin.site.urls),
]

handler400 = "mentorship.errors.bad_request"
handler403 = "mentorship.errors.permission_denied"
handler404 = "mentorship.errors.page_not_found"
handler500 = "mentorship.errors.server_error"
