"""Every endpoint speaks the same language: problem+json errors, request ids, safe headers,
bounded bodies, cursor pagination."""

from __future__ import annotations

import pytest
from httpx import ASGITransport, AsyncClient

from tests.accounts import Accounts

PROBLEM = "application/problem+json"


async def test_unknown_path_is_a_problem_document(client: AsyncClient) -> None:
    response = await client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["code"] == "not_found"
    assert body["status"] == 404
    assert body["instance"] == "/api/v1/nothing-here"
    assert body["type"] == "urn:qdeck:problem:not_found"


async def test_wrong_method_is_405(client: AsyncClient) -> None:
    response = await client.put("/api/v1/auth/login", json={})
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


async def test_malformed_json_is_400(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    response = await ada.client.post(
        "/api/v1/workspaces", content=b'{"name": ', headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_json"


async def test_wrong_types_and_unknown_fields_list_each_field(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    response = await ada.client.post(
        "/api/v1/workspaces", json={"name": 42, "description": ["x"], "colour": "blue"}
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_failed"
    by_field = {e["field"]: e["message"] for e in body["errors"]}
    assert set(by_field) == {"name", "description", "colour"}
    assert "unknown field" in by_field["colour"]
    # Nothing was created.
    workspaces = (await ada.client.get("/api/v1/workspaces")).json()["items"]
    assert len(workspaces) == 1


async def test_bad_path_parameters_are_4xx(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    for url in ("/api/v1/workspaces/not-a-uuid", "/api/v1/projects/123", "/api/v1/workspaces/%00"):
        response = await ada.client.get(url)
        assert 400 <= response.status_code < 500, url
        assert response.headers["content-type"] == PROBLEM


async def test_oversized_bodies_are_refused_with_413(accounts: Accounts, app) -> None:
    ada = await accounts.sign_up("Ada")
    limit = app.state.settings.max_body_bytes
    big = {"name": "x", "description": "y" * (limit + 10)}
    response = await ada.client.post("/api/v1/workspaces", json=big)
    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM
    assert str(limit) in response.json()["detail"]

    # A body streamed without Content-Length is counted as it arrives.
    async def chunks():
        yield b'{"name": "x", "description": "'
        for _ in range(limit // 65536 + 2):
            yield b"y" * 65536
        yield b'"}'

    response = await ada.client.post(
        "/api/v1/workspaces", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert len((await ada.client.get("/api/v1/workspaces")).json()["items"]) == 1


async def test_request_id_is_echoed_or_made(client: AsyncClient) -> None:
    mine = await client.get("/healthz", headers={"X-Request-ID": "trace-123"})
    assert mine.headers["X-Request-ID"] == "trace-123"
    made = await client.get("/healthz")
    assert len(made.headers["X-Request-ID"]) == 32
    hostile = await client.get("/healthz", headers={"X-Request-ID": "bad id\twith spaces"})
    assert hostile.headers["X-Request-ID"] != "bad id\twith spaces"
    problem = await client.get("/api/v1/nope", headers={"X-Request-ID": "trace-456"})
    assert problem.json()["request_id"] == "trace-456"


async def test_security_headers_on_every_response(client: AsyncClient) -> None:
    for response in (
        await client.get("/healthz"),
        await client.get("/api/v1/auth/me"),
        await client.get("/api/v1/missing"),
        await client.get("/api/docs"),
    ):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


async def test_docs_and_schema_are_served_without_a_cdn(client: AsyncClient) -> None:
    page = await client.get("/api/docs")
    assert page.status_code == 200
    assert "cdn." not in page.text
    script = await client.get("/api/docs/assets/swagger-ui-bundle.js")
    assert script.status_code == 200
    schema = (await client.get("/api/openapi.json")).json()
    assert "/api/v1/workspaces" in schema["paths"]


async def test_cors_is_closed_by_default(client: AsyncClient) -> None:
    response = await client.options(
        "/api/v1/auth/me",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
    )
    assert "access-control-allow-origin" not in response.headers


async def test_cors_opens_for_configured_origins(app_with) -> None:
    async with app_with(cors_origins="https://app.example") as (_, client):
        allowed = await client.options(
            "/api/v1/auth/me",
            headers={"Origin": "https://app.example", "Access-Control-Request-Method": "GET"},
        )
        denied = await client.options(
            "/api/v1/auth/me",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
        )
    assert allowed.headers["access-control-allow-origin"] == "https://app.example"
    assert "access-control-allow-origin" not in denied.headers


async def test_health_and_readiness(client: AsyncClient) -> None:
    assert (await client.get("/healthz")).json()["status"] == "ok"
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["migration"] == ready.json()["head"]


async def test_readiness_fails_when_the_schema_is_behind(tmp_path) -> None:
    from qdeck.app import create_app
    from tests.conftest import PG_URL, make_settings

    if PG_URL:
        pytest.skip("an empty SQLite file is the cheap way to have an unmigrated database")
    app = create_app(make_settings(tmp_path))
    transport = ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        AsyncClient(transport=transport, base_url="http://t") as client,
    ):
        response = await client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["migration"] is None


@pytest.mark.parametrize("limit", [1, 3, 50])
async def test_cursor_pagination_walks_every_item_once(accounts: Accounts, limit: int) -> None:
    ada = await accounts.sign_up("Ada")
    url = f"/api/v1/workspaces/{ada.personal_workspace_id}/projects"
    names = [f"P{i}" for i in range(7)]
    for name in names:
        assert (await ada.client.post(url, json={"name": name})).status_code == 201
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        page = (await ada.client.get(url, params=params)).json()
        assert len(page["items"]) <= limit
        seen += [p["name"] for p in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == list(reversed(names))  # newest first, each exactly once


async def test_member_pages_follow_join_order(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    lab = (await ada.client.post("/api/v1/workspaces", json={"name": "Lab"})).json()
    others = [await accounts.sign_up(n) for n in ("Bob", "Cy", "Di")]
    for person in others:
        await ada.client.post(
            f"/api/v1/workspaces/{lab['id']}/members", json={"email": person.email}
        )
    url = f"/api/v1/workspaces/{lab['id']}/members"
    first = (await ada.client.get(url, params={"limit": 2})).json()
    second = (await ada.client.get(url, params={"limit": 2, "cursor": first["next_cursor"]})).json()
    emails = [m["email"] for m in first["items"] + second["items"]]
    assert emails == [ada.email] + [p.email for p in others]
    assert second["next_cursor"] is None


async def test_a_forged_cursor_is_a_clear_422(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    url = f"/api/v1/workspaces/{ada.personal_workspace_id}/projects"
    for cursor in ("garbage", "WyJ4Il0", "W10"):
        response = await ada.client.get(url, params={"cursor": cursor})
        assert response.status_code == 422, cursor
        assert response.json()["code"] == "invalid_cursor"
