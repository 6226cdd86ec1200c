"""Real jobs on the real engine tell their owner how they ended: one sentence of why,
nothing for teammates, nothing for cancelling your own job, and a burst of fifty is one
notification with the counts."""

from __future__ import annotations

import asyncio

from tests.accounts import Accounts
from tests.jobs.conftest import BELL, slow_circuit, submit, wait_for
from tests.notifications.conftest import notifications, wait_notifications

SLOW = slow_circuit(23, 30)


async def job_items(client):
    """The job notifications only (other domains, e.g. achievements, notify too)."""
    return [n for n in await notifications(client) if n["kind"].startswith("job")]


async def wait_jobs(client, done, limit_seconds: float = 60.0):
    await wait_notifications(
        client,
        lambda items: done([n for n in items if n["kind"].startswith("job")]),
        limit_seconds=limit_seconds,
    )
    return await job_items(client)


async def _team(accounts: Accounts):
    ada = await accounts.sign_up("Ada")
    grace = await accounts.sign_up("Grace")
    ws = (await ada.client.post("/api/v1/workspaces", json={"name": "Lab"})).json()["id"]
    added = await ada.client.post(
        f"/api/v1/workspaces/{ws}/members", json={"email": grace.email, "role": "admin"}
    )
    assert added.status_code == 201
    return ada, grace, ws


async def test_a_failed_job_tells_its_owner_why_and_nobody_else(accounts: Accounts) -> None:
    ada, grace, ws = await _team(accounts)
    job = await submit(ada.client, SLOW, shots=10, timeout_seconds=1, workspace_id=ws, name="deep")
    done = await wait_for(ada.client, job["id"], limit_seconds=60)
    assert done["status"] == "failed"
    (item,) = await wait_jobs(ada.client, lambda items: len(items) == 1)
    assert item["kind"] == "job.failed" and item["severity"] == "error"
    assert item["title"] == "deep failed on aer_simulator"
    assert item["body"].startswith("It failed on aer_simulator")
    assert "1 s time limit" in item["body"]
    assert item["link"] == f"/jobs/{job['id']}" and item["workspace_id"] == ws
    assert await notifications(grace.client, kind="job.failed") == []


async def test_a_completed_job_says_how_long_it_ran_and_waited(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    job = await submit(ada.client, BELL, shots=100, name="bell")
    await wait_for(ada.client, job["id"])
    (item,) = await wait_jobs(ada.client, lambda items: len(items) == 1)
    assert item["kind"] == "job.completed" and item["severity"] == "info"
    assert item["title"] == "bell completed on aer_simulator"
    assert item["body"].startswith("It ran ") and "on aer_simulator after" in item["body"]
    assert item["body"].endswith("in the queue.")


async def test_cancelling_your_own_job_is_no_news_but_a_teammates_cancel_is(
    accounts: Accounts,
) -> None:
    ada, grace, ws = await _team(accounts)
    mine = await submit(ada.client, SLOW, shots=10, workspace_id=ws, name="mine")
    await ada.client.post(f"/api/v1/jobs/{mine['id']}/cancel")
    theirs = await submit(ada.client, SLOW, shots=10, workspace_id=ws, name="theirs")
    cancelled = await grace.client.post(f"/api/v1/jobs/{theirs['id']}/cancel")
    assert cancelled.status_code == 200, cancelled.text
    await wait_for(ada.client, mine["id"])
    await wait_for(ada.client, theirs["id"])
    items = await wait_jobs(ada.client, lambda items: len(items) >= 1)
    # Give the consumer a moment to (wrongly) add the first one as well.
    await asyncio.sleep(1.0)
    items = await job_items(ada.client)
    assert [(n["kind"], n["title"]) for n in items] == [
        ("job.cancelled", "theirs cancelled on aer_simulator")
    ]
    assert "cancelled before finishing" in items[0]["body"]


async def test_fifty_jobs_finishing_together_are_one_notification(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    jobs = [await submit(ada.client, BELL, shots=10, name=f"sweep-{i}") for i in range(48)]
    jobs += [
        await submit(ada.client, SLOW, shots=10, timeout_seconds=1, name=f"deep-{i}")
        for i in range(2)
    ]
    for job in jobs:
        await wait_for(ada.client, job["id"], limit_seconds=120)

    def grouped(items):
        return len(items) == 1 and items[0]["count"] == 50

    (item,) = await wait_jobs(ada.client, grouped, limit_seconds=60)
    assert item["kind"] == "jobs.finished"
    assert item["title"] == "50 jobs finished: 48 completed, 2 failed"
    assert item["severity"] == "warning"
    assert item["body"].startswith("2 failed on aer_simulator; all of them: ")
    assert "time limit" in item["body"]
    assert item["link"] == "/jobs?status=failed"
    linked = {j["id"] for j in item["data"]["jobs"]}
    assert linked == {j["id"] for j in jobs}
    assert item["data"]["counts"] == {"completed": 48, "failed": 2}
