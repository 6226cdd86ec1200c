"""A person signs up, logs in and out, changes their password; sessions behave like a bank's."""

from __future__ import annotations

from httpx import AsyncClient
from sqlalchemy import select

from qdeck.auth.models import AuthSession, LoginAttempt, User
from tests.accounts import PASSWORD, Accounts


async def test_sign_up_logs_in_and_creates_a_personal_workspace(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    me = (await ada.client.get("/api/v1/auth/me")).json()
    assert me["user"]["email"] == ada.email
    assert me["authenticated_by"] == "session"
    workspaces = (await ada.client.get("/api/v1/workspaces")).json()["items"]
    assert [(w["is_personal"], w["role"]) for w in workspaces] == [(True, "owner")]


async def test_session_cookie_is_httponly_lax_and_not_secure_over_http(client: AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/signup",
        json={"email": "bob@example.org", "password": PASSWORD, "display_name": "Bob"},
    )
    cookie = next(
        h for h in response.headers.get_list("set-cookie") if h.startswith("qdeck_session=")
    )
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "samesite=lax" in cookie.lower()
    assert "Secure" not in cookie


async def test_password_is_stored_as_argon2id(accounts: Accounts, app) -> None:
    ada = await accounts.sign_up("Ada")
    async with app.state.database.session(write=False) as session:
        user = await session.scalar(select(User).where(User.email == ada.email))
    assert user.password_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert PASSWORD not in user.password_hash


async def test_duplicate_email_is_refused_whatever_its_case(accounts: Accounts, client) -> None:
    ada = await accounts.sign_up("Ada")
    response = await client.post(
        "/api/v1/auth/signup",
        json={"email": ada.email.upper(), "password": PASSWORD, "display_name": "Other"},
    )
    assert response.status_code == 409
    assert response.json()["code"] == "email_taken"


async def test_weak_password_and_bad_email_are_named(client: AsyncClient) -> None:
    response = await client.post(
        "/api/v1/auth/signup",
        json={"email": "not-an-email", "password": "short", "display_name": "X"},
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"email", "password"}


async def test_login_answers_alike_for_unknown_email_and_wrong_password(
    accounts: Accounts, client: AsyncClient
) -> None:
    ada = await accounts.sign_up("Ada")
    wrong = await client.post("/api/v1/auth/login", json={"email": ada.email, "password": "nope"})
    unknown = await client.post(
        "/api/v1/auth/login", json={"email": "ghost@example.org", "password": "nope"}
    )
    assert wrong.status_code == unknown.status_code == 401
    strip = lambda body: {k: v for k, v in body.items() if k != "request_id"}  # noqa: E731
    assert strip(wrong.json()) == strip(unknown.json())


async def test_every_login_gets_a_new_session_id(accounts: Accounts, client: AsyncClient) -> None:
    ada = await accounts.sign_up("Ada")
    tokens = set()
    for _ in range(2):
        response = await client.post(
            "/api/v1/auth/login", json={"email": ada.email, "password": PASSWORD}
        )
        assert response.status_code == 200
        tokens.add(response.cookies["qdeck_session"])
    assert len(tokens) == 2


async def test_five_failures_lock_only_that_account(
    accounts: Accounts, client: AsyncClient, app
) -> None:
    ada = await accounts.sign_up("Ada")
    bob = await accounts.sign_up("Bob")
    for _ in range(5):
        response = await client.post(
            "/api/v1/auth/login", json={"email": ada.email, "password": "wrong password"}
        )
        assert response.status_code == 401
    locked = await client.post(
        "/api/v1/auth/login", json={"email": ada.email, "password": PASSWORD}
    )
    assert locked.status_code == 429
    assert locked.json()["code"] == "too_many_login_attempts"
    assert 1 <= int(locked.headers["Retry-After"]) <= 300
    # Bob is not affected.
    other = await client.post("/api/v1/auth/login", json={"email": bob.email, "password": PASSWORD})
    assert other.status_code == 200
    # The failures were recorded even though each request ended in an error.
    async with app.state.database.session(write=False) as session:
        failures = (
            await session.scalars(
                select(LoginAttempt).where(
                    LoginAttempt.email == ada.email, LoginAttempt.succeeded.is_(False)
                )
            )
        ).all()
    assert len(failures) == 5


async def test_logout_ends_the_session(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    assert (await ada.client.post("/api/v1/auth/logout")).status_code == 204
    ada.client.cookies.clear()
    assert (await ada.client.get("/api/v1/auth/me")).status_code == 401


async def test_an_old_cookie_is_useless_after_logout(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    stolen = ada.client.cookies["qdeck_session"]
    await ada.client.post("/api/v1/auth/logout")
    thief = accounts.new_client()
    thief.cookies.set("qdeck_session", stolen)
    assert (await thief.get("/api/v1/auth/me")).status_code == 401


async def test_state_changes_by_cookie_need_the_csrf_token(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    token = ada.client.headers.pop("X-CSRF-Token")
    refused = await ada.client.post("/api/v1/workspaces", json={"name": "Lab"})
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf_failed"
    ada.client.headers["X-CSRF-Token"] = "0" * 64
    assert (await ada.client.post("/api/v1/workspaces", json={"name": "Lab"})).status_code == 403
    ada.client.headers["X-CSRF-Token"] = token
    assert (await ada.client.post("/api/v1/workspaces", json={"name": "Lab"})).status_code == 201
    # Reads need no token.
    ada.client.headers.pop("X-CSRF-Token")
    assert (await ada.client.get("/api/v1/workspaces")).status_code == 200


async def test_changing_password_logs_out_other_sessions(accounts: Accounts, app) -> None:
    ada = await accounts.sign_up("Ada")
    laptop = accounts.new_client()
    response = await laptop.post(
        "/api/v1/auth/login", json={"email": ada.email, "password": PASSWORD}
    )
    assert response.status_code == 200

    new_password = "an even better passphrase"
    wrong = await ada.client.post(
        "/api/v1/auth/password",
        json={"current_password": "not it at all", "new_password": new_password},
    )
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "current_password"
    changed = await ada.client.post(
        "/api/v1/auth/password", json={"current_password": PASSWORD, "new_password": new_password}
    )
    assert changed.status_code == 204
    assert (await ada.client.get("/api/v1/auth/me")).status_code == 200
    assert (await laptop.get("/api/v1/auth/me")).status_code == 401
    old = await laptop.post("/api/v1/auth/login", json={"email": ada.email, "password": PASSWORD})
    assert old.status_code == 401
    new = await laptop.post(
        "/api/v1/auth/login", json={"email": ada.email, "password": new_password}
    )
    assert new.status_code == 200
    async with app.state.database.session(write=False) as session:
        sessions = (await session.scalars(select(AuthSession))).all()
    assert len(sessions) == 2  # Ada's current one and the new laptop log-in


async def test_preferences_are_remembered(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    response = await ada.client.patch("/api/v1/auth/me", json={"preferences": {"theme": "dark"}})
    assert response.status_code == 200
    me = (await ada.client.get("/api/v1/auth/me")).json()
    assert me["user"]["preferences"] == {"theme": "dark"}
    bad = await ada.client.patch("/api/v1/auth/me", json={"preferences": {"theme": "purple"}})
    assert bad.status_code == 422


async def test_secure_cookies_when_served_over_https(app_with) -> None:
    async with app_with(base_url="https://t", public_url="https://qdeck.example.org") as (_, c):
        response = await c.post(
            "/api/v1/auth/signup",
            json={
                "email": "sec@example.org",
                "password": PASSWORD,
                "display_name": "S",
            },
        )
    assert response.status_code == 201
    cookie = next(
        h for h in response.headers.get_list("set-cookie") if h.startswith("qdeck_session=")
    )
    assert "Secure" in cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


async def test_the_longest_display_name_is_accepted(accounts: Accounts) -> None:
    longest = "N" * 100
    person = await accounts.sign_up(longest)
    assert person.user["display_name"] == longest
    workspaces = (await person.client.get("/api/v1/workspaces")).json()["items"]
    assert workspaces[0]["name"].endswith("'s workspace") and len(workspaces[0]["name"]) <= 100
