"""Guessing is slowed per account-and-address and per address, never locking the owner out.

Addresses come from X-Forwarded-For through the trusted-proxy setting, exactly as behind
a real reverse proxy (the test client's own address, 127.0.0.1, is the proxy).
"""

from __future__ import annotations

import asyncio

from httpx import AsyncClient

from tests.accounts import PASSWORD

PROXIED = {"trusted_proxies": "127.0.0.1"}


def _from(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


async def _sign_up(client: AsyncClient, email: str, address: str = "192.0.2.1") -> None:
    response = await client.post(
        "/api/v1/auth/signup",
        json={"email": email, "password": PASSWORD, "display_name": "Owner"},
        headers=_from(address),
    )
    assert response.status_code == 201, response.text


async def _login(client: AsyncClient, email: str, password: str, address: str):
    client.cookies.clear()
    return await client.post(
        "/api/v1/auth/login", json={"email": email, "password": password}, headers=_from(address)
    )


async def test_the_owner_logs_in_from_b_while_an_attacker_at_a_is_throttled(app_with) -> None:
    async with app_with(**PROXIED) as (_, client):
        await _sign_up(client, "owner@example.org")
        attacker, owner = "203.0.113.66", "198.51.100.7"
        for _ in range(5):
            guess = await _login(client, "owner@example.org", "wrong guess!", attacker)
            assert guess.status_code == 401
        blocked = await _login(client, "owner@example.org", PASSWORD, attacker)
        assert blocked.status_code == 429
        assert blocked.json()["code"] == "too_many_login_attempts"
        assert int(blocked.headers["Retry-After"]) >= 1
        # The owner, somewhere else, is not affected at all.
        welcome = await _login(client, "owner@example.org", PASSWORD, owner)
        assert welcome.status_code == 200, welcome.text


async def test_one_address_guessing_many_accounts_is_throttled(app_with) -> None:
    async with app_with(**PROXIED) as (_, client):
        await _sign_up(client, "victim@example.org")
        answers = [
            (await _login(client, f"user{i}@example.org", "guess guess", "203.0.113.9")).status_code
            for i in range(12)
        ]
        assert answers[:10] == [401] * 10
        assert answers[10:] == [429, 429]
        # That address cannot try a real account either; everyone else can.
        assert (
            await _login(client, "victim@example.org", PASSWORD, "203.0.113.9")
        ).status_code == 429
        assert (
            await _login(client, "victim@example.org", PASSWORD, "192.0.2.44")
        ).status_code == 200


async def test_the_wait_doubles_with_every_further_failure(app_with) -> None:
    async with app_with(login_delay_seconds=1, **PROXIED) as (_, client):
        await _sign_up(client, "slow@example.org")
        for _ in range(5):
            await _login(client, "slow@example.org", "not the password", "203.0.113.5")
        first = await _login(client, "slow@example.org", "not the password", "203.0.113.5")
        assert (first.status_code, first.headers["Retry-After"]) == (429, "1")
        await asyncio.sleep(1.1)
        sixth = await _login(client, "slow@example.org", "not the password", "203.0.113.5")
        assert sixth.status_code == 401
        second = await _login(client, "slow@example.org", PASSWORD, "203.0.113.5")
        assert (second.status_code, second.headers["Retry-After"]) == (429, "2")


async def test_a_forged_forwarded_for_header_is_ignored_without_a_trusted_proxy(
    client: AsyncClient,
) -> None:
    await _sign_up(client, "target@example.org")
    # Without trusted_proxies every request comes from the peer address, whatever it claims.
    for i in range(5):
        await _login(client, "target@example.org", "guessing on", f"198.51.100.{i}")
    rotated = await _login(client, "target@example.org", PASSWORD, "198.51.100.200")
    assert rotated.status_code == 429


async def test_a_forged_entry_in_front_of_the_proxys_own_is_not_believed(app_with) -> None:
    async with app_with(**PROXIED) as (_, client):
        await _sign_up(client, "target2@example.org")
        for i in range(5):
            response = await _login(
                client, "target2@example.org", "guessing on", f"10.9.9.{i}, 203.0.113.77"
            )
            assert response.status_code == 401
        again = await _login(client, "target2@example.org", PASSWORD, "10.0.0.1, 203.0.113.77")
        assert again.status_code == 429


async def test_sign_ups_are_limited_per_address(app_with) -> None:
    async with app_with(signup_max_per_address=2, **PROXIED) as (_, client):
        await _sign_up(client, "one@example.org", "203.0.113.20")
        taken = await client.post(
            "/api/v1/auth/signup",
            json={"email": "one@example.org", "password": PASSWORD, "display_name": "Again"},
            headers=_from("203.0.113.20"),
        )
        assert taken.status_code == 409  # a refused sign-up counts as well
        third = await client.post(
            "/api/v1/auth/signup",
            json={"email": "three@example.org", "password": PASSWORD, "display_name": "Three"},
            headers=_from("203.0.113.20"),
        )
        assert third.status_code == 429
        assert third.json()["code"] == "too_many_signups"
        assert 1 <= int(third.headers["Retry-After"]) <= 3600
        await _sign_up(client, "three@example.org", "192.0.2.99")
