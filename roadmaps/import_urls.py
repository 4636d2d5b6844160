"""Roadmap import from .docx/.xlsx: upload → preview → save (mounted under the tenant)."""

urlpatterns: list = []
