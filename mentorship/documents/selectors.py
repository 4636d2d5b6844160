"""Reads of documents across an organisation's subtree, for the home pages."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from mentorship import access
from mentorship.documents import kinds
from mentorship.home import DocumentLine
from mentorship.models import Document
from mentorship.tenancy.resolution import TenantContext
from mentorship.tenancy.scoping import unscoped_reads

LATEST_DOCUMENTS = 8

__all__ = ["documents_home_figures", "unscoped_latest_documents"]


def documents_home_figures(tenant: TenantContext) -> dict[str, list]:
    """A municipality's home: its latest documents and its schools' (mentorship/home.py)."""
    if not (tenant.is_municipality and access.DOCUMENTS.permits(tenant)):
        return {}
    return {"documents": unscoped_latest_documents(tenant)}


def unscoped_latest_documents(tenant: TenantContext) -> list[DocumentLine]:
    """The latest documents of the municipality and its open schools (one query).

    Each kind decides who sees what (mentorship/documents/kinds.py): a kind the role may
    not even see listed is left out; a school's document naming pupils is a line with
    its kind, number, date and summary, no title and no link."""
    municipality = tenant.organization
    visible = {k.code: k for k in kinds.all_kinds() if kinds.may_see_listed(k, tenant.roles)}
    with unscoped_reads():
        documents = list(
            Document.objects.filter(kind__in=visible, organization__closed_at__isnull=True)
            .filter(Q(organization=municipality) | Q(organization__parent=municipality))
            .select_related("organization")
            .order_by("-created_at", "-pk")[:LATEST_DOCUMENTS]
        )
    lines = []
    for document in documents:
        kind = visible[document.kind]
        openable = kinds.may_read(kind, tenant.roles)
        lines.append(
            DocumentLine(
                organization=document.organization.short_name,
                label=document.title if openable else str(kind.label),
                number=document.number,
                date=document.date,
                status=document.get_status_display(),
                summary=kind.summary_of(document),
                url=reverse(
                    "document_detail",
                    kwargs={
                        "org_slug": document.organization.slug,
                        "document_id": document.pk,
                    },
                )
                if openable
                else "",
            )
        )
    return lines
