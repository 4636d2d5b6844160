"""HTML → PDF with WeasyPrint, able to reach nothing but our own static files.

WeasyPrint's default fetcher follows any URL a document names: a `<link rel="attachment"
href="file:///etc/passwd">` in user text embeds the file into the PDF, an `<img
src="http://10.0.0.1/...">` makes the worker call into the internal network. Documents
here are built from templates with autoescaped user text, and the fetcher below is the
second wall: it serves `/static/...` through the staticfiles finders and `data:` URLs,
and refuses everything else.
"""

from __future__ import annotations

import logging
import mimetypes
import posixpath
import threading
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# A base URL that can never resolve: relative URLs in templates join onto it, and the
# fetcher recognises its static prefix. The `.invalid` TLD is reserved (RFC 2606).
BASE_URL = "https://documents.invalid/"


class RefusedURL(ValueError):
    """The document asked for a URL outside our static files."""


def _static_prefix() -> str:
    # STATIC_URL is "static/" (relative) here; `{% static %}` renders it as "/static/".
    static_url = settings.STATIC_URL or "/static/"
    if "://" in static_url:
        return static_url
    return BASE_URL.rstrip("/") + "/" + static_url.lstrip("/")


class StaticOnlyFetcher(URLFetcher):
    """A WeasyPrint fetcher that serves our static files and `data:` URLs, nothing else.

    Refused URLs raise; WeasyPrint then logs and skips the resource (the image or the
    attachment is simply absent), so a hostile URL cannot fail the whole document.
    """

    def __init__(self) -> None:
        super().__init__(timeout=1, allowed_protocols=("data",), allow_redirects=False)
        self.served: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            # urllib's DataHandler decodes it in memory; allowed_protocols keeps the
            # parent from ever opening anything else.
            return super().fetch(url, headers)
        path = self._static_path(url)
        if path is None:
            self.refused.append(url)
            logger.warning("Document render refused URL %s", url[:200])
            raise RefusedURL(f"URL is not one of the portal's static files: {url[:200]}")
        self.served.append(url)
        mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": mime_type})

    @staticmethod
    def _static_path(url: str) -> Path | None:
        prefix = _static_prefix()
        if not url.startswith(prefix):
            return None
        relative = unquote(urlsplit(url[len(prefix) :]).path)
        normalised = posixpath.normpath(relative)
        # finders already refuse paths outside their roots; this keeps a `..` from even
        # being asked, and rejects absolute paths finders would join as-is.
        if normalised.startswith(("/", "..")) or "\\" in normalised or "\x00" in normalised:
            return None
        found = finders.find(normalised)
        if not found or isinstance(found, list):
            return None
        return Path(found)


# One font configuration per process: building it scans the system fonts (~tens of ms),
# and WeasyPrint's own docs recommend reusing it between documents.
_font_config: FontConfiguration | None = None
_font_lock = threading.Lock()


def font_config() -> FontConfiguration:
    global _font_config
    if _font_config is None:
        with _font_lock:
            if _font_config is None:
                _font_config = FontConfiguration()
    return _font_config


def html_to_pdf(html: str, *, fetcher: StaticOnlyFetcher | None = None) -> bytes:
    """Render an HTML string to PDF bytes; only static files and `data:` can be loaded."""
    fetcher = fetcher or StaticOnlyFetcher()
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    pdf = document.write_pdf(font_config=font_config())
    assert pdf is not None  # write_pdf() without a target returns the bytes
    return pdf


def render_pdf(template: str, context: dict[str, Any], *, landscape: bool = False) -> bytes:
    """Render a Django template (autoescaped, like every page) and turn it into a PDF."""
    html = render_to_string(template, {**context, "landscape": landscape})
    return html_to_pdf(html)
