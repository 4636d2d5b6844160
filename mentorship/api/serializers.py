"""Shapes of the core's API: staff, organisations, documents. Input serializers only validate;
services do the writes (and apply the grant rule)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mentorship.documents import kinds as document_kinds
from mentorship.models import (
    EDUCATIONAL_KINDS,
    DocumentStatus,
    Invitation,
    Membership,
    Organization,
    OrganizationKind,
    Role,
)
from mentorship.services.bulk_start import KEYS


@extend_schema_field({"type": "string", "enum": list(Role.values)}, component_name="StaffRoleEnum")
class RoleField(serializers.ChoiceField):
    """A staff role (curator, school_viewer, methodist, department, regional)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(choices=Role.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": list(OrganizationKind.values)},
    component_name="OrganizationKindEnum",
)
class OrganizationKindField(serializers.ChoiceField):
    def __init__(self, **kwargs) -> None:
        super().__init__(choices=OrganizationKind.choices, **kwargs)


@extend_schema_field(
    {"type": "string", "enum": [k.value for k in EDUCATIONAL_KINDS]},
    component_name="EducationalKindEnum",
)
class EducationalKindField(serializers.ChoiceField):
    def __init__(self, **kwargs) -> None:
        super().__init__(choices=[(k.value, k.label) for k in EDUCATIONAL_KINDS], **kwargs)


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    email = serializers.EmailField(read_only=True)
    full_name = serializers.CharField(source="get_full_name", read_only=True)
    position = serializers.CharField(read_only=True)
    last_login = serializers.DateTimeField(read_only=True, allow_null=True)


class StaffMemberSerializer(serializers.ModelSerializer):
    user = PersonSerializer(read_only=True)
    role = RoleField(read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user", "role", "role_label", "created_at"]
        read_only_fields = fields


class RoleSerializer(serializers.Serializer):
    role = RoleField(label=_("Роль"))


class InvitationSerializer(serializers.ModelSerializer):
    role = RoleField(read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    state = serializers.SerializerMethodField()
    invited_by = serializers.EmailField(
        source="invited_by.email", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Invitation
        fields = [
            "id",
            "email",
            "last_name",
            "first_name",
            "patronymic",
            "position",
            "role",
            "role_label",
            "state",
            "invited_by",
            "created_at",
            "sent_at",
            "expires_at",
        ]
        read_only_fields = fields

    def get_state(self, invitation: Invitation) -> str:
        return str(invitation.state().value)


class InvitationCreateSerializer(serializers.Serializer):
    email = serializers.EmailField(label=_("Электронная почта"))
    role = RoleField(label=_("Роль"))
    last_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    first_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    patronymic = serializers.CharField(max_length=100, required=False, allow_blank=True)
    position = serializers.CharField(max_length=200, required=False, allow_blank=True)


ORGANIZATION_FIELDS = [
    "kind",
    "full_name",
    "short_name",
    "inn",
    "address",
    "head_name",
    "head_position",
    "document_header",
]


class OrganizationSerializer(serializers.ModelSerializer):
    kind = OrganizationKindField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Organization
        fields = ["id", "slug", "parent", *ORGANIZATION_FIELDS, "kind_label", "closed_at"]
        read_only_fields = fields


class OrganizationWriteSerializer(serializers.Serializer):
    """An organisation's own details; the model checks the INN (its check digits)."""

    kind = EducationalKindField(
        required=False,
        help_text=_("Для школ муниципалитета; муниципалитет указывать не нужно."),
    )
    full_name = serializers.CharField(max_length=500)
    short_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    inn = serializers.CharField(max_length=12, required=False, allow_blank=True)
    address = serializers.CharField(max_length=500, required=False, allow_blank=True)
    head_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    head_position = serializers.CharField(max_length=200, required=False, allow_blank=True)
    document_header = serializers.CharField(max_length=500, required=False, allow_blank=True)


class OrganizationPatchSerializer(OrganizationWriteSerializer):
    full_name = serializers.CharField(max_length=500, required=False)


class BulkStartSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("Таблица Excel (.xlsx) по шаблону, до 10 МБ."))
    confirm = serializers.BooleanField(
        default=False,
        help_text=_("false — только проверить; true — добавить и пригласить, если нет ошибок."),
    )


class BulkStartRowSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    action = serializers.CharField(help_text=_("create — новая, match — найдена по ИНН"))
    existing_id = serializers.IntegerField(allow_null=True)
    invite = serializers.BooleanField()
    note = serializers.CharField()
    errors = serializers.ListField(child=serializers.CharField())
    kind_code = serializers.CharField()

    def get_fields(self):
        fields = super().get_fields()
        for key in KEYS:
            fields[key] = serializers.CharField()
        return fields


class BulkStartReportSerializer(serializers.Serializer):
    applied = serializers.BooleanField()
    created = serializers.IntegerField()
    matched = serializers.IntegerField()
    invited = serializers.IntegerField()
    rows = BulkStartRowSerializer(many=True)


# --- Documents ---------------------------------------------------------------------------


class DocumentSerializer(serializers.Serializer):
    """A document as its reader sees it; a school's personal-data document seen from above
    keeps its number, date and summary, never a link to the file."""

    pk = serializers.IntegerField()
    kind = serializers.CharField(help_text=_("Вид документа, например curator_order."))
    kind_label = serializers.CharField()
    title = serializers.CharField()
    number = serializers.CharField(allow_blank=True)
    date = serializers.DateField()
    status = serializers.ChoiceField(choices=DocumentStatus.choices)
    error = serializers.CharField(allow_blank=True)
    summary = serializers.CharField(allow_blank=True)
    openable = serializers.BooleanField()
    download_url = serializers.CharField(allow_null=True, help_text=_("PDF, когда готов."))
    word_download_url = serializers.CharField(
        allow_null=True, help_text=_("Word (.docx) того же текста — у приказов, положений, писем.")
    )


class DocumentRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=(), help_text=_("Вид документа."))
    number = serializers.CharField(required=False, allow_blank=True, max_length=30)
    date = serializers.DateField(required=False)
    params = serializers.DictField(
        required=False,
        help_text=_(
            "Параметры приказов, положений и писем: participant_ids (наставники), "
            "partner_id, curator, position, course, hours."
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        organization = self.context.get("organization")
        available = [
            k
            for k in document_kinds.all_kinds()
            if organization is None or k.available_in(organization.kind)
        ]
        self.fields["kind"].choices = [(k.code, str(k.label)) for k in available]
