"""The worker's sweeps with a clock the test chooses (long queues, expiring sessions,
backends going offline and back, the weekly digest), usage quotas on submission, and
team changes: invited, role changed, removed."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from qdeck.db.types import utcnow
from qdeck.notifications import sweeps
from qdeck.notifications.worker import tick
from tests.jobs.conftest import BELL, submit
from tests.notifications.conftest import database, notifications, wait_notifications


@pytest.fixture
async def team(quiet_app, accounts_factory):
    accounts = accounts_factory(quiet_app)
    ada = await accounts.sign_up("Ada")
    grace = await accounts.sign_up("Grace")
    ws = (await ada.client.post("/api/v1/workspaces", json={"name": "Lab"})).json()["id"]
    await ada.client.post(
        f"/api/v1/workspaces/{ws}/members", json={"email": grace.email, "role": "member"}
    )
    yield accounts, ada, grace, ws
    await accounts.close()


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


async def _sweep(app, step, *args):
    async with database(app).session() as session:
        return await step(session, *args)


async def test_a_job_queued_past_the_threshold_notifies_its_owner_once(quiet_app, team) -> None:
    _, ada, grace, ws = team
    first = await submit(ada.client, BELL, shots=10, workspace_id=ws, name="first")
    second = await submit(grace.client, BELL, shots=10, workspace_id=ws, name="second")
    settings = quiet_app.state.settings
    threshold = timedelta(seconds=settings.notification_queue_threshold_seconds)
    gap = _at(second["created_at"]) - _at(first["created_at"])
    early = _at(first["created_at"]) + threshold + gap / 2
    assert await _sweep(quiet_app, sweeps.queued_too_long, settings, early) == 1  # only Ada's
    late = _at(second["created_at"]) + threshold + timedelta(seconds=1)
    assert await _sweep(quiet_app, sweeps.queued_too_long, settings, late) == 1  # Grace's now
    assert await _sweep(quiet_app, sweeps.queued_too_long, settings, late) == 0  # never twice
    (mine,) = await notifications(ada.client)
    assert mine["kind"] == "job.queued_long" and mine["severity"] == "warning"
    assert mine["title"] == "first is still waiting for aer_simulator"
    assert mine["body"].endswith("it is next in line.")
    (hers,) = await notifications(grace.client)
    assert hers["body"].endswith("1 jobs are ahead of it.")
    assert hers["link"] == f"/jobs/{second['id']}"
    assert first["id"] != second["id"]


async def test_a_session_near_its_maximum_time_warns_who_opened_it(quiet_app, team) -> None:
    _, ada, _, ws = team
    opened = await ada.client.post(
        "/api/v1/sessions",
        json={
            "workspace_id": ws,
            "backend": "aer_simulator",
            "name": "tomography",
            "max_time_seconds": 3600,
        },
    )
    assert opened.status_code == 201, opened.text
    session = opened.json()
    await submit(ada.client, BELL, shots=10, session_id=session["id"], workspace_id=ws)
    settings = quiet_app.state.settings
    created = _at(session["created_at"])
    assert (
        await _sweep(quiet_app, sweeps.sessions_expiring, settings, created + timedelta(minutes=10))
        == 0
    )
    near = created + timedelta(minutes=50)
    assert await _sweep(quiet_app, sweeps.sessions_expiring, settings, near) == 1
    assert await _sweep(quiet_app, sweeps.sessions_expiring, settings, near) == 0
    (item,) = await notifications(ada.client)
    assert item["kind"] == "session.expiring"
    assert item["title"] == "Session tomography closes in 10 min"
    assert "1 of its jobs are still queued" in item["body"]
    assert item["link"] == f"/sessions/{session['id']}"


async def test_a_used_backend_going_offline_and_back_tells_its_recent_users(
    quiet_app, team, accounts_factory
) -> None:
    accounts, ada, grace, ws = team
    await submit(ada.client, BELL, shots=10, workspace_id=ws, backend="fake_manila")
    stranger = await accounts.sign_up("Stranger")
    now = utcnow()
    # The first look only records the status; a device nobody used is not watched.
    assert (
        await _sweep(quiet_app, sweeps.backend_changes, {"fake_manila": True, "ibm_x": False}, now)
        == 0
    )
    assert await _sweep(quiet_app, sweeps.backend_changes, {"fake_manila": False}, now) == 1
    assert await _sweep(quiet_app, sweeps.backend_changes, {"fake_manila": False}, now) == 0
    (offline,) = await notifications(ada.client)
    assert offline["kind"] == "backend.offline" and offline["title"] == "fake_manila went offline"
    assert offline["body"].startswith("1 queued jobs on it wait until it returns")
    assert offline["link"] == "/backends/fake_manila"
    later = now + timedelta(minutes=5)
    assert await _sweep(quiet_app, sweeps.backend_changes, {"fake_manila": True}, later) == 1
    titles = [n["title"] for n in await notifications(ada.client)]
    assert titles == ["fake_manila is back online", "fake_manila went offline"]
    # Grace never used it; a stranger never saw it.
    assert await notifications(grace.client) == []
    assert await notifications(stranger.client) == []


async def test_the_weekly_digest_goes_to_every_member_once(quiet_app, team) -> None:
    _, ada, grace, ws = team
    for _ in range(3):
        await submit(ada.client, BELL, shots=10, workspace_id=ws)
    now = utcnow() + timedelta(hours=1)
    assert await _sweep(quiet_app, sweeps.weekly_digests, now) >= 2
    before = len(await notifications(ada.client))
    assert await _sweep(quiet_app, sweeps.weekly_digests, now) == 0
    assert len(await notifications(ada.client)) == before
    for person in (ada, grace):
        digests = [n for n in await notifications(person.client) if n["workspace_id"] == ws]
        assert [d["title"] for d in digests] == ["Lab: 3 jobs in the last 7 days"]
        assert digests[0]["body"].startswith(
            "None finished yet; the busiest backend was aer_simulator with 3 jobs"
        )


async def test_only_one_server_claims_a_sweep_and_the_first_sight_only_schedules(
    quiet_app,
) -> None:
    now = utcnow()
    due = now + timedelta(days=7)
    assert await _sweep(quiet_app, sweeps.claim, "digest.weekly", now, due) is False
    assert (
        await _sweep(quiet_app, sweeps.claim, "digest.weekly", due, due + timedelta(days=7)) is True
    )
    assert (
        await _sweep(quiet_app, sweeps.claim, "digest.weekly", due, due + timedelta(days=7))
        is False
    )
    assert sweeps.next_digest_at(datetime.fromisoformat("2026-06-03T12:00:00+00:00"), 8) == (
        datetime.fromisoformat("2026-06-08T08:00:00+00:00")
    )


async def test_a_worker_tick_runs_every_sweep_without_failing(quiet_app, team) -> None:
    _, ada, _, ws = team
    await submit(ada.client, BELL, shots=10, workspace_id=ws)
    settings = quiet_app.state.settings
    later = utcnow() + timedelta(seconds=settings.notification_queue_threshold_seconds + 5)
    await tick(database(quiet_app), settings, later)
    kinds = [n["kind"] for n in await notifications(ada.client)]
    assert kinds == ["job.queued_long"]


async def test_usage_crossing_80_and_100_percent_notifies_the_admins_once_each(
    quiet_app, team
) -> None:
    _, ada, grace, ws = team
    quota = await ada.client.put(
        f"/api/v1/workspaces/{ws}/usage-quota", json={"daily_job_quota": 5}
    )
    assert quota.status_code == 200, quota.text
    # A member may look but not change it; an outsider is told it does not exist.
    assert (await grace.client.get(f"/api/v1/workspaces/{ws}/usage-quota")).status_code == 200
    denied = await grace.client.put(
        f"/api/v1/workspaces/{ws}/usage-quota", json={"daily_job_quota": 50}
    )
    assert denied.status_code == 403
    for _ in range(3):
        await submit(grace.client, BELL, shots=10, workspace_id=ws)
    assert await notifications(ada.client) == []
    await submit(grace.client, BELL, shots=10, workspace_id=ws)
    (eighty,) = await wait_notifications(ada.client, lambda items: len(items) == 1)
    assert eighty["kind"] == "usage.quota_80"
    assert eighty["title"] == "Lab used 80 % of its daily jobs quota"
    assert eighty["body"].startswith("4 of 5 jobs today")
    for _ in range(2):
        await submit(grace.client, BELL, shots=10, workspace_id=ws)
    items = await wait_notifications(ada.client, lambda items: len(items) == 2)
    assert [n["kind"] for n in items] == ["usage.quota_100", "usage.quota_80"]
    assert items[0]["severity"] == "error" and "the quota is spent" in items[0]["body"]
    # Members who cannot change the quota are not told.
    assert await notifications(grace.client) == []
    used = (await ada.client.get(f"/api/v1/workspaces/{ws}/usage-quota")).json()
    assert used["jobs_today"] == 6 and used["shots_today"] == 60


async def test_invited_role_changed_and_removed_reach_the_person(
    quiet_app, team, accounts_factory
) -> None:
    accounts, ada, grace, ws = team
    alan = await accounts.sign_up("Alan")
    invited = await ada.client.post(
        f"/api/v1/workspaces/{ws}/invitations", json={"email": alan.email, "role": "viewer"}
    )
    assert invited.status_code == 201, invited.text
    (invitation,) = await wait_notifications(alan.client, lambda items: len(items) == 1)
    assert (
        invitation["kind"] == "member.invited" and invitation["title"] == "Ada invited you to Lab"
    )
    assert invitation["body"].startswith("You would join as viewer; the invitation is open until")
    assert invitation["link"] == "/account"

    changed = await ada.client.patch(
        f"/api/v1/workspaces/{ws}/members/{grace.id}", json={"role": "admin"}
    )
    assert changed.status_code == 200, changed.text
    (role,) = await wait_notifications(grace.client, lambda items: len(items) == 1)
    assert role["title"] == "Your role in Lab changed"
    assert role["body"] == "Ada changed the role from member to admin in Lab."

    removed = await ada.client.delete(f"/api/v1/workspaces/{ws}/members/{grace.id}")
    assert removed.status_code == 204
    items = await wait_notifications(grace.client, lambda items: len(items) == 2)
    assert items[0]["kind"] == "member.removed" and items[0]["title"] == "You were removed from Lab"
    assert items[0]["workspace_id"] is None
    # Leaving yourself is no news to you.
    await ada.client.post(f"/api/v1/workspaces/{ws}/invitations", json={"email": grace.email})
    await ada.client.post(f"/api/v1/workspaces/{ws}/members", json={"email": alan.email})
    left = await alan.client.post(f"/api/v1/workspaces/{ws}/leave")
    assert left.status_code == 204
    kinds = [n["kind"] for n in await notifications(alan.client)]
    assert "member.removed" not in kinds
