"""For every demo role, every link on every page it can reach opens: a role never sees a
link that answers 403, 404 or 5xx (issue 12, "done when").

The crawl starts at the role's home, follows each same-site `<a href>` breadth-first and
opens every distinct URL once. Downloads are opened too (a document link that 404s is as
broken as a page). Links are collected from HTML pages only.
"""

from __future__ import annotations

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from mentorship.models import User

# Each demo login (fixtures/demo.json) and where it lands.
ROLES = [
    "curator@demo.ru",
    "viewer@demo.ru",
    "curator26@demo.ru",
    "methodist@demo.ru",
    "department@demo.ru",
    "regional@demo.ru",
]
# Links that are not pages of the portal or that end the session.
SKIP_PREFIXES = ("/static/", "/accounts/logout", "/admin/", "/i18n/")
# A role's crawl stops after this many URLs: far more than any demo role reaches today
# (the largest reached 126), so a cut-off means the page graph exploded.
MAX_URLS = 600


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _links(base: str, html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        if href.startswith(("mailto:", "tel:", "javascript:", "#")):
            continue
        url, _ = urldefrag(urljoin(base, href))
        parts = urlsplit(url)
        if parts.netloc not in ("", "testserver"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if not path.startswith(SKIP_PREFIXES):
            found.append(path)
    return found


def _crawl(client: Client) -> tuple[int, list[str]]:
    """(URLs opened, broken links as «status url ← page»)."""
    start = client.get("/", follow=True)
    first = start.request["PATH_INFO"]
    seen = {first}
    queue = deque([(first, "/")])
    broken: list[str] = []
    while queue:
        url, source = queue.popleft()
        response = client.get(url, follow=True)
        if response.status_code >= 400:
            broken.append(f"{response.status_code} {url} ← {source}")
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for link in _links(url, response.content.decode()):
            if link not in seen and len(seen) < MAX_URLS:
                seen.add(link)
                queue.append((link, url))
    return len(seen), broken


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, loaded once for the module inside a transaction rolled back at its end:
    a flush would also wipe what the migrations wrote (the standard forms) for the tests
    that run after this module."""
    from django.test import override_settings

    media_root = str(tmp_path_factory.mktemp("crawl-media"))
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media_root):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_demo", verbosity=0)
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.mark.django_db
@pytest.mark.parametrize("email", ROLES)
def test_every_link_a_role_sees_opens(demo_world, email):
    client = Client()
    client.force_login(User.objects.get(email=email))
    opened, broken = _crawl(client)
    assert opened > 10, f"{email} reached only {opened} pages"
    assert opened < MAX_URLS, f"{email}: the crawl hit its cap of {MAX_URLS} URLs"
    assert broken == [], "\n".join(broken)
