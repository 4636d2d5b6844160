"""A per-IP limit on the public answer page: N requests a minute, then 429.

The limit is `MONITORING_PUBLIC_RATE_LIMIT` (env, requests per minute per address; 0
switches it off). The default leaves room for a class of 30 answering from one school
address at once (a page view and a submit each, plus corrections); it stops someone
hammering the endpoint to guess tokens. The window is counted by the core's counter
(mentorship/ratelimit.py: Redis when REDIS_URL is set, else Django's cache); if the store
is unreachable the page stays open: pupils answering matters more than the limit. The
address is the one django-axes sees too (mentorship.http.client_ip, behind PROXY_COUNT
trusted proxies).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from mentorship.http import client_ip
from mentorship.ratelimit import hit

WINDOW_SECONDS = 60


def allow(request: HttpRequest) -> bool:
    limit = int(getattr(settings, "MONITORING_PUBLIC_RATE_LIMIT", 0) or 0)
    address = client_ip(request) or "unknown"
    return hit(f"monitoring:q-rate:{address}", limit, WINDOW_SECONDS)
