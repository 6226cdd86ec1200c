"""Scripts use personal API tokens: shown once, stored hashed, revocable, optionally expiring."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from qdeck.auth.models import ApiToken
from qdeck.db.types import utcnow
from tests.accounts import Accounts


async def _create(person, **body):
    response = await person.client.post("/api/v1/tokens", json={"name": "laptop", **body})
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_token_works_as_bearer_and_is_shown_only_once(accounts: Accounts, app) -> None:
    ada = await accounts.sign_up("Ada")
    created = await _create(ada)
    assert created["token"].startswith("qdk_")
    script = accounts.new_client()
    script.headers["Authorization"] = f"Bearer {created['token']}"
    me = await script.get("/api/v1/auth/me")
    assert me.status_code == 200
    assert me.json()["authenticated_by"] == "token"
    # Bearer clients need no CSRF token for writes.
    assert (
        await script.post("/api/v1/workspaces", json={"name": "From a script"})
    ).status_code == 201

    listed = (await ada.client.get("/api/v1/tokens")).json()["items"]
    assert [t["id"] for t in listed] == [created["id"]]
    assert "token" not in listed[0]
    assert listed[0]["prefix"] == created["token"][:12]
    assert listed[0]["last_used_at"] is not None

    async with app.state.database.session(write=False) as session:
        stored = (await session.scalars(select(ApiToken))).one()
    assert created["token"] not in stored.token_hash
    assert len(stored.token_hash) == 64


async def test_revoked_and_expired_tokens_stop_working(accounts: Accounts, app) -> None:
    ada = await accounts.sign_up("Ada")
    revoked = await _create(ada)
    expiring = await _create(ada, expires_in_days=1)
    script = accounts.new_client()

    assert (await ada.client.delete(f"/api/v1/tokens/{revoked['id']}")).status_code == 204
    script.headers["Authorization"] = f"Bearer {revoked['token']}"
    response = await script.get("/api/v1/auth/me")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    # Revoking twice: the token is gone.
    assert (await ada.client.delete(f"/api/v1/tokens/{revoked['id']}")).status_code == 404

    script.headers["Authorization"] = f"Bearer {expiring['token']}"
    assert (await script.get("/api/v1/auth/me")).status_code == 200
    async with app.state.database.session() as session:
        await session.execute(update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert (await script.get("/api/v1/auth/me")).status_code == 401


async def test_someone_elses_token_cannot_be_revoked(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    eve = await accounts.sign_up("Eve")
    token = await _create(ada)
    assert (await eve.client.delete(f"/api/v1/tokens/{token['id']}")).status_code == 404
    assert len((await ada.client.get("/api/v1/tokens")).json()["items"]) == 1


async def test_malformed_authorization_is_401_not_500(accounts: Accounts) -> None:
    client = accounts.new_client()
    for header in ("Basic abc", "Bearer", "Bearer qdk_made_up", "garbage"):
        client.headers["Authorization"] = header
        response = await client.get("/api/v1/auth/me")
        assert response.status_code == 401, header
        assert response.headers["content-type"] == "application/problem+json"
