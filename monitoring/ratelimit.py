"""A per-IP limit on the public answer page: N requests a minute, then 429.

A fixed one-minute window counted in Redis (INCR + EXPIRE, shared by every gunicorn
worker) when REDIS_URL is set, else in Django's cache (per process in the embedded
setup). The limit is `MONITORING_PUBLIC_RATE_LIMIT` (env, requests per minute per
address; 0 switches it off). The default leaves room for a class of 30 answering from
one school address at once (a page view and a submit each, plus corrections); it stops
someone hammering the endpoint to guess tokens. If Redis is unreachable the page stays
open: pupils answering matters more than the limit. The address is the one django-axes
sees too (mentorship.http.client_ip, behind PROXY_COUNT trusted proxies).
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from mentorship.http import client_ip

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60
_redis_client = None


def _redis():
    global _redis_client
    if _redis_client is None:
        import redis

        _redis_client = redis.Redis.from_url(
            settings.REDIS_URL, socket_timeout=0.5, socket_connect_timeout=0.5
        )
    return _redis_client


def allow(request: HttpRequest) -> bool:
    limit = int(getattr(settings, "MONITORING_PUBLIC_RATE_LIMIT", 0) or 0)
    if limit <= 0:
        return True
    window = int(time.time() // WINDOW_SECONDS)
    key = f"monitoring:q-rate:{client_ip(request) or 'unknown'}:{window}"
    try:
        if getattr(settings, "REDIS_URL", ""):
            pipe = _redis().pipeline()
            pipe.incr(key)
            pipe.expire(key, WINDOW_SECONDS + 5)
            count = pipe.execute()[0]
        else:
            cache.add(key, 0, WINDOW_SECONDS + 5)
            count = cache.incr(key)
    except Exception:
        logger.warning("Rate limit store unavailable; the public page stays open", exc_info=True)
        return True
    return count <= limit
