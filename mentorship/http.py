"""Request helpers shared by the core and the apps: absolute URLs, the client's address."""

from __future__ import annotations

import posixpath

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpRequest
from ipware import get_client_ip


def absolute_url(path: str) -> str:
    """The portal's full address of a path, for mail and tasks that have no request.

    Built from settings.PORTAL_URL, never from a request's Host header (which a client
    chooses), so a link in a letter always points at the real portal.
    """
    return settings.PORTAL_URL + "/" + path.lstrip("/")


def stored_file_download(stored: FieldFile) -> FileResponse:
    """An uploaded file (an evidence or consent scan), as a download, never shown inline.

    The upload checks open what they accept, but a browser must still never render a
    user's file as a page of the portal: `Content-Disposition: attachment`, a type from
    the stored name (application/octet-stream when unknown), and `X-Content-Type-Options:
    nosniff` from SecurityMiddleware (SECURE_CONTENT_TYPE_NOSNIFF) on every response.
    """
    filename = posixpath.basename(stored.name)
    return FileResponse(stored.open("rb"), as_attachment=True, filename=filename)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: the one resolver behind django-axes' lockouts
    (AXES_CLIENT_IP_CALLABLE) and the rate limits.

    With TRUSTED_PROXY_COUNT proxies of ours in front, each appends the address it was
    reached from to CLIENT_IP_HEADER, so the client is the N-th entry from the right;
    entries further left came from the client and prove nothing. Without proxies the
    header is ignored. A request that did not pass our proxies falls back to REMOTE_ADDR.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        # django-ipware counts the proxies after the client within the header; the last
        # proxy's own address is REMOTE_ADDR, not in the header, hence N - 1.
        address, _routable = get_client_ip(
            request,
            proxy_count=proxies - 1,
            request_header_order=[settings.CLIENT_IP_HEADER],
            strict=False,
        )
        if address:
            return address
    return request.META.get("REMOTE_ADDR") or None
