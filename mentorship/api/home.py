"""The home page's to-do list in the API: /api/v1/o/<slug>/home/ (issue 12, item 5).

The same figures as the page (mentorship/home.py: the apps' providers registered with
`figures=True`), under the same rules: every role of the organisation may call it, and
each figure is there only for the roles its own rule lets see it (a school's people
figures for its staff, the table for the municipality and region, the approvals for the
education department). `?sort=` orders the table as on the page; a column the table
does not have is a 400.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from mentorship import access
from mentorship.home import home_figures
from mentorship.selectors.home import HomePage, home_page
from mentorship.tenancy.rules import level_of

from .base import TenantViewSet

__all__ = ["HomeViewSet"]


class TodoSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    url = serializers.CharField(help_text=gettext_lazy("Список, отфильтрованный до этих записей"))
    detail = serializers.CharField()


class StepSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    done = serializers.BooleanField()
    url = serializers.CharField()


class CellSerializer(serializers.Serializer):
    value = serializers.SerializerMethodField()
    display = serializers.CharField()
    flag = serializers.CharField()

    def get_value(self, cell) -> str | int | float | None:
        value = cell.value
        if hasattr(value, "isoformat"):
            return value.isoformat()
        return value


class ColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()


class RowSerializer(serializers.Serializer):
    slug = serializers.CharField(source="organization.slug")
    name = serializers.CharField(source="organization.short_name")
    cells = serializers.SerializerMethodField()
    flags = serializers.ListField(child=serializers.CharField())

    def get_cells(self, row) -> dict[str, dict]:
        keys = self.context["column_keys"]
        return {key: CellSerializer(cell).data for key, cell in zip(keys, row.cells, strict=True)}


class TableSerializer(serializers.Serializer):
    sort = serializers.CharField()
    columns = ColumnSerializer(many=True)
    rows = serializers.SerializerMethodField()

    def get_rows(self, table) -> list[dict]:
        context = {"column_keys": [c.key for c in table.columns]}
        return RowSerializer(table.rows, many=True, context=context).data


class DocumentLineSerializer(serializers.Serializer):
    organization = serializers.CharField()
    label = serializers.CharField()
    number = serializers.CharField()
    date = serializers.DateField()
    status = serializers.CharField()
    summary = serializers.CharField()
    url = serializers.CharField(
        help_text=gettext_lazy("Пусто, если файл открывается только в школе")
    )


class HomeSerializer(serializers.Serializer):
    level = serializers.CharField()
    todos = TodoSerializer(many=True)
    steps = StepSerializer(many=True)
    steps_done = serializers.IntegerField()
    table = TableSerializer(allow_null=True)
    approvals = TodoSerializer(many=True)
    documents = DocumentLineSerializer(many=True)


class HomeViewSet(TenantViewSet):
    schema_tags = ["home"]
    action_summaries = {"retrieve": gettext_lazy("Что ждёт: числа главной страницы организации")}
    serializer_class = HomeSerializer
    action_roles = {"retrieve": access.HOME}

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "sort",
                str,
                description=gettext_lazy(
                    "Порядок таблицы: name или ключ столбца, с «-» — по убыванию"
                ),
            )
        ]
    )
    def retrieve(self, request: Request, org_slug: str) -> Response:
        tenant = self.tenant
        # An unknown `?sort=` raises BadSort, a BadQuery: the handler's 400 {"sort": [...]}.
        page: HomePage = home_page(tenant, home_figures(tenant), request.query_params.get("sort"))
        payload = {
            "level": level_of(tenant.organization),
            "todos": page.todos,
            "steps": page.steps,
            "steps_done": page.steps_done,
            "table": page.table,
            "approvals": page.approvals,
            "documents": page.documents,
        }
        return self.output(payload)
