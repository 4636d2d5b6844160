"""REST API of the core under /api/v1/o/<org_slug>/, in the namespace `core_api`.

Routes are spelled out, with the URL kwargs of the web pages (`membership_id`,
`invitation_id`, `organization_id`), so the permission matrix fills them in by name.
"""

from django.urls import path

from .documents import DocumentViewSet
from .home import HomeViewSet
from .organizations import OrganizationViewSet
from .staff import InvitationViewSet, MemberViewSet

app_name = "core_api"

urlpatterns = [
    # The home page's to-do figures (what waits, first steps, the table one level down).
    path("home/", HomeViewSet.as_view({"get": "retrieve"}), name="home"),
    path(
        "documents/",
        DocumentViewSet.as_view({"get": "list", "post": "create"}),
        name="document_list",
    ),
    path(
        "documents/<int:document_id>/",
        DocumentViewSet.as_view({"get": "retrieve"}),
        name="document_detail",
    ),
    path(
        "documents/<int:document_id>/download/",
        DocumentViewSet.as_view({"get": "download"}),
        name="document_download",
    ),
    path("staff/members/", MemberViewSet.as_view({"get": "list"}), name="member_list"),
    path(
        "staff/members/<int:membership_id>/",
        MemberViewSet.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"}),
        name="member_detail",
    ),
    path(
        "staff/invitations/",
        InvitationViewSet.as_view({"get": "list", "post": "create"}),
        name="invitation_list",
    ),
    path(
        "staff/invitations/<int:invitation_id>/",
        InvitationViewSet.as_view({"get": "retrieve"}),
        name="invitation_detail",
    ),
    path(
        "staff/invitations/<int:invitation_id>/resend/",
        InvitationViewSet.as_view({"post": "resend"}),
        name="invitation_resend",
    ),
    path(
        "staff/invitations/<int:invitation_id>/revoke/",
        InvitationViewSet.as_view({"post": "revoke"}),
        name="invitation_revoke",
    ),
    path(
        "organizations/",
        OrganizationViewSet.as_view({"get": "list", "post": "create"}),
        name="organization_list",
    ),
    path(
        "organizations/bulk-start/",
        OrganizationViewSet.as_view({"post": "bulk_start"}),
        name="bulk_start",
    ),
    path(
        "organizations/<int:organization_id>/",
        OrganizationViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="organization_detail",
    ),
    path(
        "organizations/<int:organization_id>/close/",
        OrganizationViewSet.as_view({"post": "close"}),
        name="organization_close",
    ),
    path(
        "organizations/<int:organization_id>/reopen/",
        OrganizationViewSet.as_view({"post": "reopen"}),
        name="organization_reopen",
    ),
]
