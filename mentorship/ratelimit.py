"""Fixed-window counters for rate limits, shared by every web node.

Counted in Redis (INCR + EXPIRE) when REDIS_URL is set, else in Django's cache (per
process in the embedded setup). If the store is unreachable the limit lets the request
through: a broken Redis must not lock people out of the portal.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)
_redis_client = None


def redis_client():
    """One Redis connection pool per process for the portal's own keys (REDIS_URL)."""
    global _redis_client
    if _redis_client is None:
        import redis

        _redis_client = redis.Redis.from_url(
            settings.REDIS_URL, socket_timeout=0.5, socket_connect_timeout=0.5
        )
    return _redis_client


def hit(bucket: str, limit: int, window_seconds: int, cost: int = 1) -> bool:
    """Count one request (or `cost` of them) in `bucket`; True while the window's count
    is within `limit`.

    `limit <= 0` switches the limit off.
    """
    if limit <= 0:
        return True
    window = int(time.time() // window_seconds)
    # The namespace keeps separate runs apart on a shared Redis (each test run sets its own).
    namespace = getattr(settings, "RATELIMIT_NAMESPACE", "")
    key = f"ratelimit:{namespace}:{bucket}:{window}"
    try:
        if getattr(settings, "REDIS_URL", ""):
            pipe = redis_client().pipeline()
            pipe.incr(key, cost)
            pipe.expire(key, window_seconds + 5)
            count = pipe.execute()[0]
        else:
            cache.add(key, 0, window_seconds + 5)
            count = cache.incr(key, cost)
    except Exception:
        logger.warning("Rate limit store unavailable; %s is not limited", bucket, exc_info=True)
        return True
    return count <= limit
