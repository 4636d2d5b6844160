"""The API's page numbers (settings.REST_FRAMEWORK's DEFAULT_PAGINATION_CLASS).

A module of its own, outside mentorship.api: DRF imports the pagination class while its
own generics are being imported, and mentorship.api imports drf-spectacular, which needs
them finished.
"""

from __future__ import annotations

from typing import Any

from rest_framework import pagination
from rest_framework.request import Request

from mentorship.query import query_int


class Pagination(pagination.PageNumberPagination):
    """DRF's page numbers, with `?page=abc` (or 0, or -1) a 400 like any junk parameter
    (mentorship/query.py) rather than a 404 «Неправильная страница»; a page past the end
    stays DRF's 404."""

    def get_page_number(self, request: Request, paginator: Any) -> int | str:
        number = super().get_page_number(request, paginator)
        if number in self.last_page_strings:
            return number
        return query_int({"page": number}, "page", 1, min_value=1) or 1
