"""HTTP helpers every app uses."""

from __future__ import annotations

from django.conf import settings


def absolute_url(path: str) -> str:
    """The portal's full address of a path, for mail and tasks that have no request.

    Built from settings.PORTAL_URL, never from a request's Host header (which a client
    chooses), so a link in a letter always points at the real portal.
    """
    return settings.PORTAL_URL + "/" + path.lstrip("/")
