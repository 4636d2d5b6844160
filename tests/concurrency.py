"""Two real requests at once on PostgreSQL: the double click, reproduced.

Each request runs in its own thread with its own Client (and so its own database
connection); a barrier releases them together, so both reach the service before
either commits. Use from tests marked `django_db(transaction=True)`: the rows the
threads write must be committed for the other connection to see them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test import Client


def at_once(*calls: Callable[[], Any], timeout: float = 60) -> list[Any]:
    """Run the calls in threads released together; return their results in order."""
    barrier = threading.Barrier(len(calls), timeout=timeout)
    results: list[Any] = [None] * len(calls)
    errors: list[BaseException] = []

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except BaseException as exc:  # re-raised in the test's thread below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    if errors:
        raise errors[0]
    return results


def logged_in(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def posts_at_once(user, path: str, *bodies: dict, api: bool = False) -> list:
    """POST `path` once per body, all at once, each from its own session of `user`."""
    clients = [logged_in(user) for _ in bodies]
    kwargs = {"content_type": "application/json"} if api else {}
    return at_once(
        *(lambda c=c, b=b: c.post(path, b, **kwargs) for c, b in zip(clients, bodies, strict=True))
    )


def codes(responses) -> list[int]:
    return sorted(r.status_code for r in responses)
