"""Weekly team insights against values computed by hand from a seeded history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from qdeck.app import create_app
from qdeck.jobs.status import JobStatus
from tests.assistant.history import job_row, store

WEEK = "2026-W10"
MONDAY = datetime(2026, 3, 2, tzinfo=UTC)
# Failed jobs out of ten in each of the eight weeks before: failure rates 10%, 10%, 20%...
HISTORY_FAILURES = [1, 1, 2, 1, 0, 1, 1, 2]


def _history(workspace_id: str) -> list:
    rows = []
    for k, failures in enumerate(HISTORY_FAILURES):
        week_start = MONDAY - timedelta(weeks=len(HISTORY_FAILURES) - k)
        for i in range(10):
            failed = i < failures
            rows.append(
                job_row(
                    workspace_id,
                    week_start + timedelta(days=1, minutes=i),
                    status=JobStatus.FAILED if failed else JobStatus.COMPLETED,
                    error_code="timeout" if failed else None,
                    wait_seconds=2.0,
                )
            )
    return rows


def _this_week(workspace_id: str) -> list:
    day = MONDAY + timedelta(days=2)
    rows = []
    # fake_manila: 4 completed, 6 failed (4 timeouts, 2 too wide); waits 20..29 s.
    for i in range(10):
        failed = i >= 4
        code = "timeout" if i < 8 else "circuit_too_wide"
        rows.append(
            job_row(
                workspace_id,
                day + timedelta(minutes=i),
                status=JobStatus.FAILED if failed else JobStatus.COMPLETED,
                error_code=code if failed else None,
                wait_seconds=20.0 + i,
            )
        )
    # aer_simulator: 2 completed jobs of 2 circuits x 500 shots, 1 s waits; one still queued.
    for i in range(2):
        rows.append(
            job_row(
                workspace_id,
                day + timedelta(hours=1, minutes=i),
                backend="aer_simulator",
                shots=500,
                num_circuits=2,
                wait_seconds=1.0,
            )
        )
    rows.append(
        job_row(workspace_id, day + timedelta(hours=2), status=JobStatus.QUEUED, wait_seconds=None)
    )
    return rows


@pytest.fixture
async def app(settings):
    """Without the engine: the seeded queued job must stay queued."""
    application = create_app(settings.model_copy(update={"engine_enabled": False}))
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def team(app, accounts):
    owner = await accounts.sign_up("Owner")
    outsider = await accounts.sign_up("Outsider")
    workspace = owner.personal_workspace_id
    await store(app, _history(workspace) + _this_week(workspace))
    # Someone else's week, and a job a week before the window: neither may be counted.
    await store(app, _this_week(outsider.personal_workspace_id))
    before = MONDAY - timedelta(weeks=9, days=-1)
    await store(app, [job_row(workspace, before, status=JobStatus.FAILED, error_code="x")])
    return owner, outsider, workspace


async def test_the_week_in_numbers(team) -> None:
    owner, _, workspace = team
    response = await owner.client.get(
        f"/api/v1/assistant/workspaces/{workspace}/insights", params={"week": WEEK}
    )
    assert response.status_code == 200, response.text
    week = response.json()
    assert (week["week"], week["starts"]) == (WEEK, "2026-03-02")
    assert (week["jobs"], week["finished"], week["completed"], week["failed"]) == (13, 12, 6, 6)
    assert week["success_rate"] == pytest.approx(0.5)
    # Waits sorted: 1, 1, 20..29 -> median (23 + 24) / 2; p90 at rank 9.9 -> 27 + 0.9.
    assert week["median_queue_seconds"] == pytest.approx(23.5)
    assert week["p90_queue_seconds"] == pytest.approx(27.9)
    assert week["shots_used"] == 4 * 1000 + 2 * 500 * 2
    assert [(f["code"], f["count"]) for f in week["top_failures"]] == [
        ("timeout", 4),
        ("circuit_too_wide", 2),
    ]
    assert week["top_failures"][0]["title"] == "The job ran longer than its time limit"
    trend = week["trend"]
    assert trend[0]["week"] == "2026-W02" and trend[-1]["week"] == WEEK
    assert [t["success_rate"] for t in trend[:-1]] == [1 - f / 10 for f in HISTORY_FAILURES]


async def test_a_backend_that_got_worse_and_the_anomalies(team) -> None:
    owner, _, workspace = team
    week = (
        await owner.client.get(
            f"/api/v1/assistant/workspaces/{workspace}/insights", params={"week": WEEK}
        )
    ).json()
    (worse,) = week["worse_backends"]  # aer_simulator has too few jobs to judge
    assert worse["backend"] == "fake_manila"
    assert worse["success_rate"] == pytest.approx(0.4)
    assert worse["previous_success_rate"] == pytest.approx(71 / 80)
    # Pooled 75/90; spread sqrt(p(1-p)(1/10 + 1/80)) = 0.125 exactly.
    assert worse["z"] == pytest.approx((0.4 - 71 / 80) / 0.125)
    anomalies = {a["metric"]: a for a in week["anomalies"]}
    # Failure rates before: median 0.1, MAD 0 -> the 5-point floor: bound 0.1 + 3 * 0.05.
    assert anomalies["failure_rate"]["bound"] == pytest.approx(0.25)
    assert anomalies["failure_rate"]["value"] == pytest.approx(0.5)
    # Waits before: all 2 s, MAD 0 -> the 5 s floor: bound 2 + 15.
    assert anomalies["median_queue_seconds"]["bound"] == pytest.approx(17.0)
    assert anomalies["median_queue_seconds"]["weeks_compared"] == 8


async def test_a_quiet_week_has_no_anomalies(team) -> None:
    owner, _, workspace = team
    week = (
        await owner.client.get(
            f"/api/v1/assistant/workspaces/{workspace}/insights", params={"week": "2026-W09"}
        )
    ).json()
    assert week["jobs"] == 10 and week["failed"] == 2
    assert week["anomalies"] == [] and week["worse_backends"] == []


@pytest.mark.parametrize(
    ("week", "says"),
    [("2026-W60", "2026 has weeks 1 to 53"), ("last week", "2026-W49"), ("2026-W00", "W00")],
)
async def test_a_bad_week_is_a_422_naming_it(team, week: str, says: str) -> None:
    owner, _, workspace = team
    response = await owner.client.get(
        f"/api/v1/assistant/workspaces/{workspace}/insights", params={"week": week}
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert says in problem["detail"]
    assert problem["code"] in ("invalid_week", "validation_failed")


async def test_another_workspace_is_not_found(team) -> None:
    _, outsider, workspace = team
    response = await outsider.client.get(f"/api/v1/assistant/workspaces/{workspace}/insights")
    assert response.status_code == 404
    assert response.json()["detail"] == "Workspace not found."
