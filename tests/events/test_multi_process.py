"""Two qdeck server processes behind one load balancer, sharing the database and Redis: a
job submitted through one is followed live, in order, through the other."""

from __future__ import annotations

import os
import uuid

import pytest

from qdeck.testing.live_server import api_client
from tests.accounts import PASSWORD
from tests.events.live_client import LiveClient
from tests.jobs.conftest import BELL
from tests.live_server import LiveServer

REDIS_URL = os.environ.get("QDECK_TEST_REDIS_URL", "")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not REDIS_URL and not os.environ.get("CI"),
        reason="set QDECK_TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/15) to run Redis tests",
    ),
]
FINAL = ("completed", "failed", "cancelled")


async def test_submit_through_a_watch_through_b(tmp_path) -> None:
    shared = {
        "QDECK_REDIS_URL": REDIS_URL,
        "QDECK_REDIS_CHANNEL": f"qdeck:test:{uuid.uuid4().hex}",
        "QDECK_WORKERS": "1",
        # Both processes use one SQLite file, or one PostgreSQL schema in the PostgreSQL run.
        "QDECK_DATABASE_URL": os.environ.get("QDECK_TEST_DATABASE_URL")
        or f"sqlite+aiosqlite:///{tmp_path / 'shared.db'}",
    }
    a = LiveServer(tmp_path / "a", schema="qdeck_two_servers", **shared).start()
    b = LiveServer(tmp_path / "b", schema="qdeck_two_servers", fresh=False, **shared).start()
    try:
        api_a = api_client(a, "two@example.org", PASSWORD)
        token = api_a.headers["Authorization"].removeprefix("Bearer ")
        workspace = next(
            w["id"] for w in api_a.get("/api/v1/workspaces").json()["items"] if w["is_personal"]
        )
        watcher = await LiveClient.open(b.url, token)
        await watcher.subscribe(f"workspace:{workspace}")
        job_ids = [
            api_a.post("/api/v1/jobs", json={"circuits": [{"source": BELL}], "shots": 100}).json()[
                "id"
            ]
            for _ in range(3)
        ]
        frames = []
        finished: set[str] = set()
        while finished != set(job_ids):
            frame = (await watcher.events_until(lambda f: True))[0]
            frames.append(frame)
            if frame["data"]["status"] in FINAL:
                finished.add(frame["data"]["job_id"])
        for job_id in job_ids:
            seen = [f["seq"] for f in frames if f["data"]["job_id"] == job_id]
            stored = [e["id"] for e in api_a.get(f"/api/v1/jobs/{job_id}/events").json()]
            assert seen == stored, f"B saw {seen}, the database has {stored}"
        statuses = {api_a.get(f"/api/v1/jobs/{j}").json()["status"] for j in job_ids}
        assert statuses == {"completed"}
        await watcher.close()
    finally:
        a.stop()
        b.stop()
