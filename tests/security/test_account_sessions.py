"""A person sees where they are logged in and ends any of it; credential changes end the rest.

Runs against the real app (routers, unit of work, database); every ending is announced in
the outbox in the same transaction, so open pages and sockets can be closed live.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from httpx import AsyncClient
from sqlalchemy import select, update

from qdeck.auth.models import AuthSession
from qdeck.db.types import utcnow
from qdeck.events.models import OutboxEvent
from tests.accounts import PASSWORD, Accounts, Person

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0"
CHROME_MAC = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/130.0 Safari/537.36"
)


async def _second_browser(accounts: Accounts, person: Person, agent: str) -> AsyncClient:
    laptop = accounts.new_client()
    laptop.headers["User-Agent"] = agent
    response = await laptop.post(
        "/api/v1/auth/login", json={"email": person.email, "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    laptop.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    return laptop


async def _access_changes(app, kind: str) -> list[dict]:
    async with app.state.database.session(write=False) as session:
        rows = await session.scalars(
            select(OutboxEvent).where(OutboxEvent.type == "access.changed")
        )
        return [row.data for row in rows if row.data["kind"] == kind]


async def test_my_sessions_list_devices_and_marks_this_one(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    await _second_browser(accounts, ada, CHROME_MAC)
    listed = await ada.client.get("/api/v1/auth/sessions")
    assert listed.status_code == 200
    sessions = listed.json()
    assert len(sessions) == 2
    assert [s["current"] for s in sessions].count(True) == 1
    other = next(s for s in sessions if not s["current"])
    assert other["device"] == "Chrome on macOS"
    assert other["ip_address"] == "127.0.0.1"
    assert other["last_seen_at"] and other["created_at"]
    # Someone else sees only their own.
    bob = await accounts.sign_up("Bob")
    assert len((await bob.client.get("/api/v1/auth/sessions")).json()) == 1


async def test_revoking_a_session_ends_it_there_and_is_announced(accounts: Accounts, app) -> None:
    ada = await accounts.sign_up("Ada")
    laptop = await _second_browser(accounts, ada, FIREFOX)
    sessions = (await ada.client.get("/api/v1/auth/sessions")).json()
    target = next(s for s in sessions if not s["current"])
    assert (await ada.client.delete(f"/api/v1/auth/sessions/{target['id']}")).status_code == 204
    assert (await laptop.get("/api/v1/auth/me")).status_code == 401
    assert (await ada.client.get("/api/v1/auth/me")).status_code == 200
    ended = await _access_changes(app, "sessions_ended")
    assert [e["user_id"] for e in ended] == [ada.id]
    # Another person's session id is simply not found, and stays alive.
    bob = await accounts.sign_up("Bob")
    mine = (await ada.client.get("/api/v1/auth/sessions")).json()[0]["id"]
    refused = await bob.client.delete(f"/api/v1/auth/sessions/{mine}")
    assert refused.status_code == 404
    assert (await ada.client.get("/api/v1/auth/me")).status_code == 200


async def test_log_out_everywhere_ends_this_session_too(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    laptop = await _second_browser(accounts, ada, FIREFOX)
    response = await ada.client.post("/api/v1/auth/logout-everywhere", json={})
    assert response.status_code == 204
    assert any(h.startswith("qdeck_session=") for h in response.headers.get_list("set-cookie"))
    stale = accounts.new_client()
    for client in (laptop, stale):
        assert (await client.get("/api/v1/auth/me")).status_code == 401
    ada.client.cookies.clear()
    assert (await ada.client.get("/api/v1/auth/me")).status_code == 401


async def test_log_out_everywhere_else_keeps_this_one(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    laptop = await _second_browser(accounts, ada, FIREFOX)
    token = (await ada.client.post("/api/v1/tokens", json={"name": "ci"})).json()["token"]
    response = await ada.client.post(
        "/api/v1/auth/logout-everywhere", json={"keep_this_session": True}
    )
    assert response.status_code == 204
    assert (await ada.client.get("/api/v1/auth/me")).status_code == 200
    assert (await laptop.get("/api/v1/auth/me")).status_code == 401
    # Tokens stay unless asked for.
    script = accounts.new_client()
    script.headers["Authorization"] = f"Bearer {token}"
    assert (await script.get("/api/v1/auth/me")).status_code == 200


async def test_a_script_can_log_out_everywhere_including_its_own_token(
    accounts: Accounts, app
) -> None:
    ada = await accounts.sign_up("Ada")
    token = (await ada.client.post("/api/v1/tokens", json={"name": "ci"})).json()["token"]
    script = accounts.new_client()
    script.headers["Authorization"] = f"Bearer {token}"
    response = await script.post("/api/v1/auth/logout-everywhere", json={"revoke_tokens": True})
    assert response.status_code == 204
    assert (await script.get("/api/v1/auth/me")).status_code == 401
    assert (await ada.client.get("/api/v1/auth/me")).status_code == 401
    assert await _access_changes(app, "token_revoked")


async def test_password_change_ends_other_sessions_and_optionally_tokens(
    accounts: Accounts, app
) -> None:
    ada = await accounts.sign_up("Ada")
    laptop = await _second_browser(accounts, ada, FIREFOX)
    kept = (await ada.client.post("/api/v1/tokens", json={"name": "kept"})).json()["token"]
    script = accounts.new_client()
    script.headers["Authorization"] = f"Bearer {kept}"
    changed = await ada.client.post(
        "/api/v1/auth/password",
        json={"current_password": PASSWORD, "new_password": "violet kestrels over the weir"},
    )
    assert changed.status_code == 204
    assert (await laptop.get("/api/v1/auth/me")).status_code == 401
    assert (await script.get("/api/v1/auth/me")).status_code == 200
    assert [e["reason"] for e in await _access_changes(app, "sessions_ended")] == [
        "password changed"
    ]

    again = await ada.client.post(
        "/api/v1/auth/password",
        json={
            "current_password": "violet kestrels over the weir",
            "new_password": "amber otters under the bridge",
            "revoke_tokens": True,
        },
    )
    assert again.status_code == 204
    assert (await script.get("/api/v1/auth/me")).status_code == 401
    assert (await ada.client.get("/api/v1/auth/me")).status_code == 200


async def test_revoking_a_token_is_announced(accounts: Accounts, app) -> None:
    ada = await accounts.sign_up("Ada")
    token = (await ada.client.post("/api/v1/tokens", json={"name": "ci"})).json()
    assert (await ada.client.delete(f"/api/v1/tokens/{token['id']}")).status_code == 204
    assert [e["user_id"] for e in await _access_changes(app, "token_revoked")] == [ada.id]


async def test_an_idle_session_ends(app_with, accounts_factory) -> None:
    # 1.8 seconds of idleness allowed.
    async with app_with(session_idle_hours=0.0005) as (app, _):
        accounts = accounts_factory(app)
        try:
            ada = await accounts.sign_up("Ada")
            assert (await ada.client.get("/api/v1/auth/me")).status_code == 200
            await asyncio.sleep(2.0)
            assert (await ada.client.get("/api/v1/auth/me")).status_code == 401
        finally:
            await accounts.close()


async def test_use_is_recorded_as_last_seen(accounts: Accounts, app) -> None:
    ada = await accounts.sign_up("Ada")
    long_ago = utcnow() - timedelta(hours=5)
    async with app.state.database.session() as session:
        await session.execute(update(AuthSession).values(last_seen_at=long_ago))
    assert (await ada.client.get("/api/v1/auth/me")).status_code == 200
    seen = (await ada.client.get("/api/v1/auth/sessions")).json()[0]["last_seen_at"]
    async with app.state.database.session(write=False) as session:
        stored = await session.scalar(select(AuthSession.last_seen_at))
    assert stored > long_ago + timedelta(hours=4)
    assert seen
