"""The client's address: one resolver for django-axes' lockouts and the rate limiter."""

import pytest
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from mentorship.http import client_ip
from monitoring.views.public import within_rate_limit

PROXY = "10.0.0.1"
CLIENT = "203.0.113.7"
# What a client may put in the header itself: never trusted.
SPOOFED = "198.51.100.66"


def _request(forwarded: str | None = None, remote: str = PROXY):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        # Facing clients directly: the header is anyone's to forge.
        (0, f"{SPOOFED}, {CLIENT}", PROXY),
        # One proxy of ours appends the address it was reached from.
        (1, CLIENT, CLIENT),
        (1, f"{SPOOFED}, {CLIENT}", CLIENT),
        # Two: the outer one's entry, then the inner one's (the outer proxy's address).
        (2, f"{SPOOFED}, {CLIENT}, 10.0.0.2", CLIENT),
        # Not through our proxies (a direct hit on the app server): its own address.
        (1, None, PROXY),
        (2, CLIENT, PROXY),
        (1, "not-an-address", PROXY),
    ],
)
def test_client_ip_behind_the_configured_proxies(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(_request(forwarded)) == expected


def test_the_header_is_configurable(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    request = RequestFactory().get(
        "/", REMOTE_ADDR=PROXY, HTTP_X_REAL_IP=CLIENT, HTTP_X_FORWARDED_FOR=SPOOFED
    )
    assert client_ip(request) == CLIENT


def test_axes_and_the_rate_limiter_see_the_forwarded_client(client, cast, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_ENABLED = True
    request = _request(f"{SPOOFED}, {CLIENT}")
    assert get_client_ip_address(request) == CLIENT

    # A failed login behind the proxy is recorded against the client, not the proxy.
    client.post(
        reverse("login"),
        {"username": "curator@a1.test", "password": "bad"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=f"{SPOOFED}, {CLIENT}",
    )
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [CLIENT]

    # The rate limiter counts the same address: changing the forged part does not help,
    # and another client behind the same proxy has its own budget.
    settings.MONITORING_PUBLIC_RATE_LIMIT = 2
    settings.REDIS_URL = ""
    cache.clear()
    try:
        seen = [within_rate_limit(_request(f"198.51.100.{i}, {CLIENT}")) for i in range(3)]
        assert seen == [True, True, False]
        assert within_rate_limit(_request("203.0.113.8"))
    finally:
        cache.clear()
