"""Generated documents (PDF): one pipeline for every kind the portal produces.

Apps register their kinds in `<app>/documents.py` (see `kinds.register`); the request
service writes a `Document` row and a Celery task renders it through WeasyPrint with a
URL fetcher that can reach only our own static files.
"""
