# ruff: noqa: F811 - the fixtures come from channel_fixtures (conftest.py is the core's)
"""SSRF: webhooks never reach loopback, private, link-local or metadata addresses unless
QDECK_WEBHOOK_ALLOW_PRIVATE is set, checked at every attempt; URL rules at creation."""

from __future__ import annotations

import ipaddress

import pytest

from qdeck.notifications import ssrf
from tests.notifications.channel_fixtures import (  # noqa: F401 - fixtures
    channel_app,
    eventually,
    receiver,
)
from tests.notifications.receivers import WebhookReceiver

REFUSED = ["127.0.0.1", "10.0.0.1", "169.254.169.254", "::1", "fd00:ec2::254", "100.64.0.1"]


@pytest.mark.parametrize("address", REFUSED)
async def test_forbidden_addresses_are_refused_without_the_setting(address: str):
    with pytest.raises(ssrf.UrlRefused, match=address):
        await ssrf.resolve(address, 443, allow_private=False)
    # With the setting (a receiver on this machine), the same address is used.
    assert await ssrf.resolve(address, 443, allow_private=True) == ipaddress.ip_address(address)


async def test_a_name_resolving_to_loopback_is_refused():
    with pytest.raises(ssrf.UrlRefused, match="localhost resolves to"):
        await ssrf.resolve("localhost", 443, allow_private=False)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.org/x", "https://"),
        ("http://example.org/x", "must use https"),
        ("https:///nohost", "no host"),
        ("https://user:pw@example.org/", "user name"),
        ("https://example.org:99999/", "not valid"),
        ("https://exa mple.org/", "spaces"),
    ],
)
def test_bad_urls_are_refused_with_the_reason(url: str, reason: str):
    with pytest.raises(ssrf.UrlRefused, match=reason):
        ssrf.parse_url(url, allow_http=False)


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "10.0.0.1", "169.254.169.254", "[::1]"], ids=lambda h: h.strip("[]")
)
async def test_a_delivery_to_a_private_address_is_refused_and_logged(
    channel_app, receiver: WebhookReceiver, host: str
):
    async with channel_app(webhook_allow_private=False) as (_, accounts):
        ada = await accounts.sign_up("Ada")
        url = f"http://{host}:{receiver.port}/private"
        made = await ada.client.post("/api/v1/notifications/webhooks", json={"url": url})
        assert made.status_code == 201, made.text
        endpoint = made.json()["id"]
        await ada.client.post(f"/api/v1/notifications/webhooks/{endpoint}/test")

        async def failed_once():
            log = await ada.client.get(f"/api/v1/notifications/webhooks/{endpoint}/deliveries")
            rows = log.json()
            return rows if rows and rows[0]["attempts"] >= 1 else None

        [delivery] = await eventually(failed_once, "the refused attempt")
        assert delivery["state"] != "delivered"
        assert "may not be sent there" in delivery["last_error"]
        assert delivery["last_status_code"] is None
        assert receiver.at("private") == []
