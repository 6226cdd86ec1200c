"""Dates a client sends: one rule everywhere (naive means UTC, a bare date its midnight),
and a moment outside years 1-9999 after conversion is a 422 naming the parameter.

Before: ``created_after=2026-01-01T00:00:00`` answered 500 and the server closed the
connection, so the client's next request failed with "connection reset"."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import update

from qdeck.db.types import utcnow
from qdeck.jobs.models import Job
from qdeck.testing.live_server import api_client
from tests.accounts import PASSWORD, Accounts
from tests.jobs.conftest import BELL, submit
from tests.live_server import LiveServer

NAIVE = ["2026-01-01T00:00:00", "2026-01-01", "0001-01-01T00:00:00", "9999-12-31T23:59:59"]
OUT_OF_RANGE = ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"]


async def test_a_date_without_a_zone_is_utc_on_list_export_and_bulk_cancel(
    accounts: Accounts,
) -> None:
    ada = await accounts.sign_up("Ada")
    for param in ("created_after", "created_before"):
        for value in NAIVE:
            listed = await ada.client.get("/api/v1/jobs", params={param: value})
            assert listed.status_code == 200, (param, value, listed.text)
            exported = await ada.client.get("/api/v1/jobs/export", params={param: value})
            assert exported.status_code == 200, (param, value, exported.text)
            cancelled = await ada.client.post(
                "/api/v1/jobs/cancel", json={"filter": {param: value, "status": ["queued"]}}
            )
            assert cancelled.status_code == 200, (param, value, cancelled.text)


async def test_a_moment_that_overflows_is_a_422_naming_the_parameter(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    for value in OUT_OF_RANGE:
        for response, field in (
            (
                await ada.client.get("/api/v1/jobs", params={"created_after": value}),
                "created_after",
            ),
            (
                await ada.client.get("/api/v1/jobs/export", params={"created_before": value}),
                "created_before",
            ),
            (
                await ada.client.post(
                    "/api/v1/jobs/cancel", json={"filter": {"created_after": value}}
                ),
                "filter.created_after",
            ),
        ):
            assert response.status_code == 422, response.text
            assert response.headers["content-type"].startswith("application/problem+json")
            error = response.json()["errors"][0]
            assert error["field"] == field
            assert "years 1-9999" in error["message"]


async def test_naive_means_utc_not_server_local_time(accounts: Accounts, app) -> None:
    """A job made 3 h ago is after "4 h ago" written without a zone and before "2 h ago"."""
    ada = await accounts.sign_up("Ada")
    job = await submit(ada.client, BELL, shots=10, name="three hours ago")
    async with app.state.database.session() as session:
        await session.execute(
            update(Job)
            .where(Job.id == uuid.UUID(job["id"]))
            .values(created_at=utcnow() - timedelta(hours=3))
        )

    def naive(hours: int) -> str:
        return (utcnow() - timedelta(hours=hours)).replace(tzinfo=None).isoformat()

    async def names(**params: str) -> list[str]:
        response = await ada.client.get("/api/v1/jobs", params=params)
        assert response.status_code == 200, response.text
        return [j["name"] for j in response.json()["items"]]

    assert await names(created_after=naive(4), created_before=naive(2)) == ["three hours ago"]
    assert await names(created_after=naive(2)) == []
    # The same instant with an explicit offset finds the same job.
    plus_two = (utcnow() + timedelta(hours=2) - timedelta(hours=4)).replace(tzinfo=None)
    assert await names(created_after=plus_two.isoformat() + "+02:00") == ["three hours ago"]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, httpx.Client]]:
    server = LiveServer(tmp_path_factory.mktemp("dates") / "data", QDECK_WORKERS="1").start()
    try:
        with api_client(server, "dates@example.org", PASSWORD) as client:
            yield server, client
    finally:
        server.stop()


def test_the_connection_survives_bad_dates(live: tuple[LiveServer, httpx.Client]) -> None:
    """On a real server, over one keep-alive connection: each bad request is answered and
    the next one on the same connection works (before: "connection reset by peer")."""
    server, client = live
    for value in NAIVE + OUT_OF_RANGE:
        first = client.get("/api/v1/jobs", params={"created_after": value})
        assert first.status_code in (200, 422), first.text
        assert client.get("/api/v1/auth/me").status_code == 200
    assert "Traceback" not in server.log.read_text()


async def test_an_unexpected_error_is_answered_inside_the_app(app, client) -> None:
    """A bug in a route becomes a problem+json 500 answered by the app itself. Before, the
    error escaped the app after the answer, and uvicorn then closed the connection."""

    async def broken() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/api/v1/test-broken-route", broken)
    response = await client.get("/api/v1/test-broken-route")  # raised here before
    assert response.status_code == 500
    assert response.json()["code"] == "internal_error"
    assert "a bug" not in response.text
