"""A person controls running work: cancel, retry, priorities, time limits; and the engine
copes with a worker dying under a job."""

from __future__ import annotations

import asyncio
import os
import time

import psutil
import pytest

from tests.accounts import Accounts
from tests.jobs.conftest import BELL, slow_circuit, submit, wait_for

# Seconds of statevector work on a warm worker: long enough to act on while it runs.
SLOW = slow_circuit(23, 30)
MEDIUM = slow_circuit(21, 30)


async def wait_running(client, job_id: str, phase: str = "executing") -> dict:
    return await wait_for_phase(client, job_id, phase)


async def wait_for_phase(client, job_id: str, phase: str) -> dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job = (await client.get(f"/api/v1/jobs/{job_id}")).json()
        if job["status"] == "running" and job["phase"] == phase:
            return job
        assert job["status"] in ("queued", "running"), job
        await asyncio.sleep(0.05)
    raise AssertionError(f"job never reached {phase}")


async def test_cancel_a_running_job_stops_its_process(accounts: Accounts, app) -> None:
    ada = await accounts.sign_up("Ada")
    job = await submit(ada.client, SLOW, shots=100)
    await wait_running(ada.client, job["id"])
    pid = app.state.runner.worker_pids()[job["id"]]
    response = await ada.client.post(f"/api/v1/jobs/{job['id']}/cancel")
    assert response.status_code == 200
    assert response.json()["status"] in ("cancelling", "cancelled")
    done = await wait_for(ada.client, job["id"], limit_seconds=30)
    assert done["status"] == "cancelled"
    assert done["result"] is None
    assert [e["to_status"] for e in done["events"]][-2:] == ["cancelling", "cancelled"]
    # The simulation really stopped: its worker process is gone.
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE


async def test_cancel_queued_retry_and_no_cancelling_a_finished_job(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    blockers = [await submit(ada.client, SLOW, shots=10) for _ in range(2)]
    waiting = await submit(ada.client, BELL, shots=100)
    queued = (await ada.client.get(f"/api/v1/jobs/{waiting['id']}")).json()
    assert queued["status"] == "queued"
    assert queued["queue_position"] >= 1

    cancelled = await ada.client.post(f"/api/v1/jobs/{waiting['id']}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    again = await ada.client.post(f"/api/v1/jobs/{waiting['id']}/cancel")
    assert again.status_code == 409
    assert again.json()["code"] == "invalid_transition"

    for blocker in blockers:
        await ada.client.post(f"/api/v1/jobs/{blocker['id']}/cancel")

    retry = await ada.client.post(f"/api/v1/jobs/{waiting['id']}/retry")
    assert retry.status_code == 201
    retried = retry.json()
    assert retried["retry_of_id"] == waiting["id"]
    assert retried["name"] == waiting["name"]
    done = await wait_for(ada.client, retried["id"])
    assert done["status"] == "completed"
    original = (await ada.client.get(f"/api/v1/jobs/{waiting['id']}")).json()
    assert original["retried_by"] == [retried["id"]]
    # A running or queued job cannot be retried.
    running = await submit(ada.client, SLOW, shots=10)
    refused = await ada.client.post(f"/api/v1/jobs/{running['id']}/retry")
    assert refused.status_code == 409
    await ada.client.post(f"/api/v1/jobs/{running['id']}/cancel")
    assert (await wait_for(ada.client, running["id"]))["status"] == "cancelled"


async def test_higher_priority_runs_first(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    blockers = [await submit(ada.client, SLOW, shots=10) for _ in range(2)]
    for blocker in blockers:
        await wait_running(ada.client, blocker["id"], "executing")
    low = await submit(ada.client, BELL, shots=10, priority=0)
    high = await submit(ada.client, BELL, shots=10, priority=5)
    listed = (await ada.client.get("/api/v1/jobs")).json()["items"]
    positions = {j["id"]: (j["status"], j["queue_position"]) for j in listed}
    assert positions[high["id"]][0] == positions[low["id"]][0] == "queued", positions
    assert positions[high["id"]][1] < positions[low["id"]][1]
    for blocker in blockers:
        await ada.client.post(f"/api/v1/jobs/{blocker['id']}/cancel")
    low_done = await wait_for(ada.client, low["id"])
    high_done = await wait_for(ada.client, high["id"])
    assert high_done["started_at"] <= low_done["started_at"]


async def test_a_job_over_its_time_limit_fails_with_the_reason(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    job = await submit(ada.client, SLOW, shots=10, timeout_seconds=1)
    done = await wait_for(ada.client, job["id"], limit_seconds=60)
    assert done["status"] == "failed"
    assert done["error_code"] == "timeout"
    assert "1 s time limit" in done["error_message"]


async def test_a_worker_killed_mid_job_is_retried(accounts: Accounts, app) -> None:
    ada = await accounts.sign_up("Ada")
    job = await submit(ada.client, MEDIUM, shots=10)
    await wait_running(ada.client, job["id"])
    pid = app.state.runner.worker_pids()[job["id"]]
    os.kill(pid, 9)
    done = await wait_for(ada.client, job["id"], limit_seconds=120)
    assert done["status"] == "completed", done
    assert done["attempts"] == 2
    requeued = [
        e for e in done["events"] if e["from_status"] == "running" and e["to_status"] == "queued"
    ]
    assert len(requeued) == 1
    assert "worker process" in requeued[0]["reason"]
    assert sum(1 for e in done["events"] if e["to_status"] == "completed") == 1


async def test_bulk_cancel_by_filter(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    jobs = [await submit(ada.client, SLOW, shots=10, tags=["sweep"]) for _ in range(4)]
    keep = await submit(ada.client, BELL, shots=10, tags=["keep"])
    response = await ada.client.post("/api/v1/jobs/cancel", json={"filter": {"tag": "sweep"}})
    assert response.status_code == 200
    body = response.json()
    assert set(body["cancelled"]) | set(body["cancelling"]) == {j["id"] for j in jobs}
    for job in jobs:
        assert (await wait_for(ada.client, job["id"]))["status"] == "cancelled"
    assert (await wait_for(ada.client, keep["id"]))["status"] == "completed"
    neither = await ada.client.post("/api/v1/jobs/cancel", json={})
    assert neither.status_code == 422


@pytest.mark.parametrize("role", ["viewer", "member"])
async def test_who_may_cancel_whose_job(accounts: Accounts, role: str) -> None:
    ada = await accounts.sign_up("Ada")
    bob = await accounts.sign_up("Bob")
    lab = (await ada.client.post("/api/v1/workspaces", json={"name": "Lab"})).json()
    await ada.client.post(
        f"/api/v1/workspaces/{lab['id']}/members", json={"email": bob.email, "role": role}
    )
    job = await submit(ada.client, SLOW, shots=10, workspace_id=lab["id"])
    refused = await bob.client.post(f"/api/v1/jobs/{job['id']}/cancel")
    assert refused.status_code == 403
    bulk = (await bob.client.post("/api/v1/jobs/cancel", json={"ids": [job["id"]]})).json()
    assert bulk["skipped"][0]["id"] == job["id"]
    assert (await ada.client.post(f"/api/v1/jobs/{job['id']}/cancel")).status_code == 200


async def test_a_user_runs_at_most_their_share_at_once(app_with, accounts_factory) -> None:
    async with app_with(user_concurrency=1) as (app, _):
        accounts = accounts_factory(app)
        ada = await accounts.sign_up("Ada")
        first = await submit(ada.client, SLOW, shots=10)
        second = await submit(ada.client, SLOW, shots=10)
        await wait_running(ada.client, first["id"])
        await asyncio.sleep(1.5)  # a free worker is there; the limit keeps it idle
        waiting = (await ada.client.get(f"/api/v1/jobs/{second['id']}")).json()
        assert waiting["status"] == "queued"
        await ada.client.post(f"/api/v1/jobs/{first['id']}/cancel")
        await wait_running(ada.client, second["id"])
        await ada.client.post(f"/api/v1/jobs/{second['id']}/cancel")
        assert (await wait_for(ada.client, second["id"]))["status"] == "cancelled"
        await accounts.close()
