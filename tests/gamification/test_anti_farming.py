"""Each anti-farming rule, tried by someone who wants XP for nothing: they get nothing
beyond what the rule allows, and the ledger says why."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from qdeck.jobs.status import JobStatus
from tests.gamification.conftest import BELL, circuit, ledger, me, run_job, settle

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


async def test_a_completed_job_earns_xp_and_a_first_backend_bonus(still_app, people):
    ada = await people.sign_up("Ada")
    await run_job(still_app, ada, qasm=circuit(1), submitted_at=T0)
    await settle(still_app)
    mine = await me(ada)
    # 5 for the ideal simulator, 20 for the first job on a backend, 10 for the
    # "First light" achievement (bronze).
    assert mine["xp"] == 5 + 20 + 10
    await run_job(still_app, ada, qasm=circuit(2), submitted_at=T0 + timedelta(hours=1))
    await settle(still_app)
    assert (await me(ada))["xp"] == 35 + 5


async def test_the_daily_job_cap_stops_at_200(still_app, people):
    ada = await people.sign_up("Ada")
    # 45 distinct jobs in one day on the simulator: 20 + 45 * 5 = 245 job XP asked for.
    for n in range(45):
        await run_job(still_app, ada, qasm=circuit(n), submitted_at=T0 + timedelta(minutes=n))
    await settle(still_app)
    rows = await ledger(ada)
    job_xp = sum(r["xp"] for r in rows if r["rule"] == "job")
    assert job_xp == 200
    assert any(r["note"] == "daily_job_cap" for r in rows)
    assert (await me(ada))["job_xp_today"] in (0, 200)  # "today" is the real clock
    # The next day the cap starts again.
    await run_job(still_app, ada, qasm=circuit(99), submitted_at=T0 + timedelta(days=1))
    await settle(still_app)
    assert sum(r["xp"] for r in await ledger(ada) if r["rule"] == "job") == 205


async def test_resubmitting_the_same_circuit_within_10_minutes_earns_nothing(still_app, people):
    ada = await people.sign_up("Ada")
    for minutes in (0, 3, 6, 9):
        await run_job(still_app, ada, qasm=BELL, submitted_at=T0 + timedelta(minutes=minutes))
    # Reformatting the same circuit is still the same circuit.
    await run_job(
        still_app, ada, qasm=BELL.replace("\n", "\n\n  "), submitted_at=T0 + timedelta(minutes=12)
    )
    await settle(still_app)
    rows = [r for r in await ledger(ada) if r["rule"] == "job"]
    assert sorted(r["xp"] for r in rows) == [0, 0, 0, 0, 25]
    assert {r["note"] for r in rows if r["xp"] == 0} == {"identical_circuit_within_10_min"}
    # Twenty minutes after the last one, the same circuit earns again.
    await run_job(still_app, ada, qasm=BELL, submitted_at=T0 + timedelta(minutes=40))
    await settle(still_app)
    assert sum(r["xp"] for r in await ledger(ada) if r["rule"] == "job") == 30


async def test_one_shot_jobs_and_quick_cancels_earn_nothing_and_keep_no_streak(still_app, people):
    ada = await people.sign_up("Ada")
    for n in range(5):
        await run_job(
            still_app, ada, qasm=circuit(n), shots=1, submitted_at=T0 + timedelta(hours=n)
        )
    for n in range(5, 10):
        await run_job(
            still_app,
            ada,
            qasm=circuit(n),
            status=JobStatus.CANCELLED,
            submitted_at=T0 + timedelta(hours=n),
            took=timedelta(seconds=2),
        )
    await settle(still_app)
    rows = await ledger(ada)
    assert sum(r["xp"] for r in rows) == 0
    assert sorted({r["note"] for r in rows}) == ["cancelled_within_5s", "one_shot"]
    mine = await me(ada)
    assert mine["xp"] == 0 and mine["streak"]["longest"] == 0


async def test_a_viewer_only_workspace_and_a_switched_off_one_earn_no_job_xp(still_app, people):
    owner = await people.sign_up("Owner")
    bob = await people.sign_up("Bob")
    created = await owner.client.post("/api/v1/workspaces", json={"name": "Lab"})
    assert created.status_code == 201, created.text
    lab = created.json()["id"]
    added = await owner.client.post(
        f"/api/v1/workspaces/{lab}/members", json={"email": bob.email, "role": "member"}
    )
    assert added.status_code in (200, 201), added.text
    job = await run_job(still_app, bob, qasm=circuit(1), workspace_id=lab, submitted_at=T0)
    # Bob is made a viewer before the job's XP is counted: it earns nothing.
    changed = await owner.client.patch(
        f"/api/v1/workspaces/{lab}/members/{bob.id}", json={"role": "viewer"}
    )
    assert changed.status_code == 200, changed.text
    await settle(still_app)
    assert [r["note"] for r in await ledger(bob)] == ["viewer_only_workspace"]
    assert job

    # The owner switches gamification off: their own jobs there earn nothing either.
    off = await owner.client.put(
        f"/api/v1/gamification/workspaces/{lab}/settings", json={"enabled": False}
    )
    assert off.status_code == 200 and off.json()["enabled"] is False
    refused = await bob.client.put(
        f"/api/v1/gamification/workspaces/{lab}/settings", json={"enabled": True}
    )
    assert refused.status_code == 403
    await run_job(still_app, owner, qasm=circuit(2), workspace_id=lab, submitted_at=T0)
    await settle(still_app)
    assert [r["note"] for r in await ledger(owner)] == ["gamification_off_in_workspace"]
