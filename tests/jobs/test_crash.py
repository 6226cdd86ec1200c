"""kill -9 the server while jobs are queued and running, start it again: every job reaches
a final state, none is lost, none gets two results."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import psutil
import pytest

from qdeck.testing.live_server import api_client
from tests.accounts import PASSWORD
from tests.jobs.conftest import BELL, slow_circuit
from tests.live_server import LiveServer

pytestmark = pytest.mark.slow


def _wait(predicate, limit: float, what: str):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_kill_dash_nine_loses_nothing(tmp_path: Path) -> None:
    server = LiveServer(tmp_path / "data", QDECK_JOB_LEASE_SECONDS="3").start()
    try:
        api = api_client(server, "crash@example.org", PASSWORD)
        medium = slow_circuit(21, 30)
        submitted = [
            api.post("/api/v1/jobs", json={"circuits": [{"source": medium}], "shots": 10}).json()
            for _ in range(2)
        ] + [
            api.post("/api/v1/jobs", json={"circuits": [{"source": BELL}], "shots": 100}).json()
            for _ in range(4)
        ]
        ids = [job["id"] for job in submitted]

        def two_executing():
            jobs = api.get("/api/v1/jobs", params={"status": "running"}).json()["items"]
            return len(jobs) == 2

        _wait(two_executing, 60, "two running jobs")
        workers = server.children()
        server.kill()
        # The workers die with their server (they would otherwise keep computing).
        _, alive = psutil.wait_procs(workers, timeout=10)
        assert alive == []

        server.start()
        api = httpx.Client(base_url=server.url, timeout=30, headers=dict(api.headers))

        def all_final():
            jobs = [api.get(f"/api/v1/jobs/{job_id}").json() for job_id in ids]
            return (
                jobs
                if all(j["status"] in ("completed", "failed", "cancelled") for j in jobs)
                else None
            )

        jobs = _wait(all_final, 120, "every job to finish after the restart")
        for job in jobs:
            assert job["status"] == "completed", job
            assert job["result"]["pubs"][0]["data"][0]["counts"]
            finals = [e for e in job["events"] if e["to_status"] in ("completed", "failed")]
            assert len(finals) == 1, job["events"]
        rerun = [j for j in jobs if j["attempts"] == 2]
        assert len(rerun) >= 2, [j["attempts"] for j in jobs]
        for job in rerun:
            assert any(e["origin"] == "system" and "stopped" in e["reason"] for e in job["events"])
    finally:
        server.stop()
