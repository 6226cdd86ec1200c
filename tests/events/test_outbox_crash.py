"""The outbox under real servers: kill -9 in the middle of 200 jobs and every consumer
still applies every event exactly once; two servers share one consumer without handling
an event twice."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from qdeck.activity.models import ActivityEntry
from qdeck.config import Settings
from qdeck.db.engine import Database
from qdeck.events.models import EventConsumer, OutboxEvent
from qdeck.jobs.event_types import TIMELINE
from qdeck.testing.live_server import api_client
from tests.accounts import PASSWORD
from tests.conftest import PG_URL
from tests.events import effects_plugin
from tests.events.live_client import LiveClient
from tests.jobs.conftest import BELL
from tests.jobs.test_crash import _wait
from tests.live_server import LiveServer

pytestmark = pytest.mark.slow
FINAL = ("completed", "failed", "cancelled")
PLUGIN = {"QDECK_PLUGINS": '["tests.events.effects_plugin"]'}


def _database(data_dir: Path, schema: str | None) -> Database:
    if PG_URL:
        return Database(Settings(data_dir=data_dir, database_url=PG_URL, database_schema=schema))
    return Database(Settings(data_dir=data_dir))


def _submit(api: httpx.Client, count: int) -> list[str]:
    return [
        api.post("/api/v1/jobs", json={"circuits": [{"source": BELL}], "shots": 20}).json()["id"]
        for _ in range(count)
    ]


def _finished(api: httpx.Client) -> int:
    """Completed jobs, counted up to one page (100)."""
    return len(
        api.get("/api/v1/jobs", params={"status": "completed", "limit": 100}).json()["items"]
    )


def _all_final(api: httpx.Client, ids: list[str]):
    jobs = [api.get(f"/api/v1/jobs/{job_id}").json() for job_id in ids]
    return jobs if all(j["status"] in FINAL for j in jobs) else None


async def _caught_up(database: Database, consumers: tuple[str, ...], limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        async with database.session(write=False) as session:
            newest = await session.scalar(select(OutboxEvent.id).order_by(OutboxEvent.id.desc()))
            positions = {
                row.name: row.position
                for row in await session.scalars(
                    select(EventConsumer).where(EventConsumer.name.in_(consumers))
                )
            }
        if len(positions) == len(consumers) and all(p == newest for p in positions.values()):
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"consumers did not catch up: {positions} vs {newest}")


async def _check_exactly_once(database: Database, ids: list[str]) -> None:
    async with database.session(write=False) as session:
        timeline = set(
            await session.scalars(select(OutboxEvent.id).where(OutboxEvent.type.in_(TIMELINE)))
        )
        applied = Counter(event_id for event_id, _, _ in await effects_plugin.effects(session))
        outcomes = Counter(
            (entry.subject_id, entry.verb)
            for entry in await session.scalars(
                select(ActivityEntry).where(ActivityEntry.subject_type == "job")
            )
        )
    assert set(applied) == timeline, "an event was never applied"
    assert [e for e, n in applied.items() if n > 1] == [], "an event was applied twice"
    for job_id in ids:
        assert outcomes[(job_id, "job.submitted")] == 1
        assert sum(outcomes[(job_id, verb)] for verb in ("job.completed", "job.failed")) == 1


async def test_kill_dash_nine_mid_run_every_consumer_applies_every_event_once(tmp_path) -> None:
    server = LiveServer(
        tmp_path / "data", schema="qdeck_outbox_crash", QDECK_JOB_LEASE_SECONDS="2", **PLUGIN
    ).start()
    database = None
    try:
        api = api_client(server, "crash@example.org", PASSWORD)
        ids = _submit(api, 200)
        _wait(lambda: _finished(api) >= 40, 120, "some jobs to finish")
        server.kill()
        server.start()
        api = httpx.Client(base_url=server.url, timeout=30, headers=dict(api.headers))
        jobs = _wait(lambda: _all_final(api, ids), 300, "every job to finish after the restart")
        assert {j["status"] for j in jobs} == {"completed"}
        database = _database(tmp_path / "data", server.schema)
        await _caught_up(database, ("test-effects", "activity"))
        await _check_exactly_once(database, ids)

        # The WebSocket replays every job's transitions, in stored order.
        token = api.headers["Authorization"].removeprefix("Bearer ")
        client = await LiveClient.open(server.url, token)
        for job_id in ids[::10]:
            stored = [e["id"] for e in api.get(f"/api/v1/jobs/{job_id}/events").json()]
            await client.subscribe(f"job:{job_id}", since=0)
            frames = await client.events_until(lambda f: f["data"]["status"] in FINAL, 20)
            assert [f["seq"] for f in frames] == stored
            await client.send({"type": "unsubscribe", "topic": f"job:{job_id}"})
            assert (await client.next())["type"] == "unsubscribed"
        await client.close()
    finally:
        server.stop()
        if database is not None:
            await database.dispose()


async def test_two_servers_share_one_consumer_and_handle_each_event_once(tmp_path) -> None:
    schema = "qdeck_outbox_shared"
    shared = {
        **PLUGIN,
        "QDECK_WORKERS": "1",
        "QDECK_DATABASE_URL": PG_URL or f"sqlite+aiosqlite:///{tmp_path / 'shared.db'}",
        # Poll often, so both servers compete for the consumers.
        "QDECK_CONSUMER_POLL_SECONDS": "0.05",
    }
    a = LiveServer(tmp_path / "a", schema=schema, **shared).start()
    b = LiveServer(tmp_path / "b", schema=schema, fresh=False, **shared).start()
    database = None
    try:
        api_a = api_client(a, "a@example.org", PASSWORD)
        api_b = httpx.Client(base_url=b.url, timeout=30, headers=dict(api_a.headers))
        ids = _submit(api_a, 40) + _submit(api_b, 40)
        _wait(lambda: _all_final(api_a, ids), 300, "every job to finish")
        if PG_URL:
            database = _database(tmp_path / "a", a.schema)
        else:
            database = Database(
                Settings(data_dir=tmp_path / "a", database_url=shared["QDECK_DATABASE_URL"])
            )
        await _caught_up(database, ("test-effects", "activity"))
        await _check_exactly_once(database, ids)
    finally:
        a.stop()
        b.stop()
        if database is not None:
            await database.dispose()
