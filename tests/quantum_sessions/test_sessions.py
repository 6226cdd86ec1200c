"""Sessions group jobs on one backend: they run in order, and the session ends when its
owner closes it or it runs out of time."""

from __future__ import annotations

import asyncio
import itertools
import time

from tests.accounts import Accounts
from tests.jobs.conftest import BELL, GHZ3, slow_circuit, submit, wait_for


async def _open(person, **body) -> dict:
    response = await person.client.post(
        "/api/v1/sessions", json={"backend": "aer_simulator", **body}
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_jobs_of_a_session_run_one_after_another(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    session = await _open(ada, name="calibration sweep")
    assert session["status"] == "open"
    circuit = slow_circuit(18, 20)
    jobs = [await submit(ada.client, circuit, shots=10, session_id=session["id"]) for _ in range(3)]
    done = [await wait_for(ada.client, job["id"]) for job in jobs]
    assert [j["status"] for j in done] == ["completed"] * 3
    for before, after in itertools.pairwise(done):
        assert after["started_at"] >= before["finished_at"], "session jobs overlapped"
    detail = (await ada.client.get(f"/api/v1/sessions/{session['id']}")).json()
    assert detail["status"] == "active"
    assert [j["id"] for j in detail["jobs"]] == [j["id"] for j in jobs]


async def test_a_session_only_takes_jobs_for_its_backend(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    session = await _open(ada, backend="fake_manila")
    response = await ada.client.post(
        "/api/v1/jobs",
        json={
            "circuits": [{"source": BELL}],
            "backend": "aer_simulator",
            "session_id": session["id"],
        },
    )
    assert response.status_code == 422
    assert response.json()["code"] == "session_backend_mismatch"
    unknown = await ada.client.post("/api/v1/sessions", json={"backend": "fake_atlantis"})
    assert unknown.status_code == 422


async def test_closing_lets_queued_jobs_finish_but_takes_no_new_ones(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    session = await _open(ada)
    jobs = [await submit(ada.client, GHZ3, shots=10, session_id=session["id"]) for _ in range(2)]
    closed = await ada.client.post(f"/api/v1/sessions/{session['id']}/close")
    assert closed.json()["status"] == "closed"
    for job in jobs:
        assert (await wait_for(ada.client, job["id"]))["status"] == "completed"
    late = await ada.client.post(
        "/api/v1/jobs", json={"circuits": [{"source": BELL}], "session_id": session["id"]}
    )
    assert late.status_code == 409
    assert late.json()["code"] == "session_closed"
    again = await ada.client.post(f"/api/v1/sessions/{session['id']}/close")
    assert again.status_code == 409


async def test_cancelling_a_session_cancels_its_jobs(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    session = await _open(ada)
    slow = slow_circuit(23, 30)
    jobs = [await submit(ada.client, slow, shots=10, session_id=session["id"]) for _ in range(3)]
    response = await ada.client.post(f"/api/v1/sessions/{session['id']}/cancel")
    assert response.json()["status"] == "closed"
    for job in jobs:
        assert (await wait_for(ada.client, job["id"]))["status"] == "cancelled"


async def test_an_idle_session_expires(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    session = await _open(ada, idle_timeout_seconds=1)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        current = (await ada.client.get(f"/api/v1/sessions/{session['id']}")).json()
        if current["status"] == "expired":
            break
        await asyncio.sleep(0.2)
    assert current["status"] == "expired"
    assert "idle" in current["close_reason"]
    listed = (await ada.client.get("/api/v1/sessions", params={"status": "expired"})).json()
    assert [s["id"] for s in listed["items"]] == [session["id"]]


async def test_sessions_of_other_workspaces_are_invisible(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    eve = await accounts.sign_up("Eve")
    session = await _open(ada)
    assert (await eve.client.get(f"/api/v1/sessions/{session['id']}")).status_code == 404
    assert (await eve.client.post(f"/api/v1/sessions/{session['id']}/close")).status_code == 404
    assert (await eve.client.get("/api/v1/sessions")).json()["items"] == []
