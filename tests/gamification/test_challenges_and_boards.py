"""Workspace challenges made by admins (bad input refused and nothing stored), their
progress and boards; the weekly global challenge; workspace and opt-in global boards
that never name people who did not opt in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.gamification.conftest import circuit, run_job, settle


def _body(**changes) -> dict:
    start = datetime.now(UTC) - timedelta(minutes=1)
    body = {
        "title": "Three jobs",
        "rule": "jobs_completed",
        "target": 3,
        "reward_xp": 40,
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(days=2)).isoformat(),
    }
    return {**body, **changes}


async def _team(people):
    owner = await people.sign_up("Owner")
    bob = await people.sign_up("Bob")
    lab = (await owner.client.post("/api/v1/workspaces", json={"name": "Lab"})).json()["id"]
    added = await owner.client.post(
        f"/api/v1/workspaces/{lab}/members", json={"email": bob.email, "role": "member"}
    )
    assert added.status_code == 201
    return owner, bob, lab


async def test_bad_challenges_are_refused_with_a_clear_422_and_nothing_stored(still_app, people):
    owner, bob, lab = await _team(people)
    url = f"/api/v1/gamification/workspaces/{lab}/challenges"
    now = datetime.now(UTC)
    cases = {
        "ends_at": _body(ends_at=(now - timedelta(days=1)).isoformat()),
        "rule": _body(rule="every_job_ever"),
        "starts_at": _body(starts_at=(now - timedelta(days=30)).isoformat()),
        "target": _body(target=0),
    }
    for field, body in cases.items():
        response = await owner.client.post(url, json=body)
        assert response.status_code == 422, response.text
        assert field in response.text
    long = _body(ends_at=(now + timedelta(days=400)).isoformat())
    assert "at most 92 days" in (await owner.client.post(url, json=long)).json()["detail"]
    assert (await bob.client.post(url, json=_body())).status_code == 403
    listed = (await owner.client.get("/api/v1/gamification/challenges")).json()
    assert [c for c in listed if c["workspace_id"] == lab] == []


async def test_a_workspace_challenge_counts_members_jobs_and_pays_its_reward(still_app, people):
    owner, bob, lab = await _team(people)
    made = await owner.client.post(
        f"/api/v1/gamification/workspaces/{lab}/challenges", json=_body()
    )
    assert made.status_code == 201, made.text
    challenge = made.json()
    now = datetime.now(UTC)
    for n in range(3):
        await run_job(still_app, bob, qasm=circuit(n), workspace_id=lab, submitted_at=now)
    # A job in Bob's personal workspace does not count for the Lab's challenge.
    await run_job(still_app, bob, qasm=circuit(9), submitted_at=now)
    await settle(still_app)
    board = (
        await owner.client.get(f"/api/v1/gamification/challenges/{challenge['id']}/leaderboard")
    ).json()
    assert [(r["display_name"], r["xp"]) for r in board["rows"]] == [("Bob", 3)]
    assert board["final"] is False
    ledger = (await bob.client.get("/api/v1/gamification/ledger", params={"limit": 200})).json()
    assert [r["xp"] for r in ledger if r["rule"] == "challenge.reward"] == [40]
    # Outsiders do not see it.
    eve = await people.sign_up("Eve")
    hidden = await eve.client.get(f"/api/v1/gamification/challenges/{challenge['id']}/leaderboard")
    assert hidden.status_code == 404
    # The weekly global challenge exists and counted Bob's four jobs.
    weekly = [
        c for c in (await bob.client.get("/api/v1/gamification/challenges")).json() if c["key"]
    ]
    assert len(weekly) == 1 and weekly[0]["status"] == "open"


async def test_boards_rank_members_and_the_global_one_shows_only_who_opted_in(still_app, people):
    owner, bob, lab = await _team(people)
    now = datetime.now(UTC)
    await run_job(still_app, owner, qasm=circuit(1), workspace_id=lab, submitted_at=now)
    for n in range(3):
        await run_job(still_app, bob, qasm=circuit(10 + n), workspace_id=lab, submitted_at=now)
    await settle(still_app)
    for period in ("week", "month", "all"):
        board = (
            await owner.client.get(
                f"/api/v1/gamification/leaderboards/workspaces/{lab}", params={"period": period}
            )
        ).json()
        assert [r["display_name"] for r in board["rows"]] == ["Bob", "Owner"]
    bad = await owner.client.get(
        f"/api/v1/gamification/leaderboards/workspaces/{lab}", params={"period": "decade"}
    )
    assert bad.status_code == 422

    # Nobody opted in: the global board is empty.
    global_url = "/api/v1/gamification/leaderboards/global"
    assert (await bob.client.get(global_url)).json()["rows"] == []
    await bob.client.patch("/api/v1/gamification/me", json={"global_opt_in": True})
    await owner.client.patch("/api/v1/gamification/me", json={"global_opt_in": True})
    rows = (await bob.client.get(global_url)).json()["rows"]
    assert [r["display_name"] for r in rows] == ["Bob", "Owner"]
    assert "Lab" not in str(rows)
    await bob.client.patch("/api/v1/gamification/me", json={"hidden": True})
    rows = (await owner.client.get(global_url)).json()["rows"]
    assert [r["display_name"] for r in rows] == ["Owner"]
    wrong = await bob.client.patch("/api/v1/gamification/me", json={"hidden": "yes"})
    assert wrong.status_code == 422
