"""The Runner contract, as the scheduler relies on it, checked against every runner.

Real simulations in real worker processes or Ray actors, no mocks. The local runner always
runs; the Ray runner runs against the head in QDECK_TEST_RAY_ADDRESS (e.g. 127.0.0.1:6380,
started with ``ray start --head``) and is skipped without one.
"""

from __future__ import annotations

import os
import signal
from collections.abc import AsyncIterator
from typing import Any

import pytest

from qdeck.engine.runner import RunRequest
from tests.engine.runner_cases import Reports, bell, request, sampler, settle, slow, wait_gone

WORKERS = 2
RAY_ADDRESS = os.environ.get("QDECK_TEST_RAY_ADDRESS", "")
NO_RAY = "Ray runner contract needs a Ray head: set QDECK_TEST_RAY_ADDRESS (e.g. 127.0.0.1:6380)"


def _make(kind: str) -> Any:
    if kind == "ray":
        from qdeck.engine.ray_runner import RayRunner  # the optional qdeck[ray] extra

        return RayRunner(RAY_ADDRESS, WORKERS, ["aer_simulator"])
    from qdeck.engine.local_runner import LocalProcessRunner

    return LocalProcessRunner(workers=WORKERS, warm_backends=["aer_simulator"])


@pytest.fixture(
    scope="module",
    params=["local", pytest.param("ray", marks=pytest.mark.skipif(not RAY_ADDRESS, reason=NO_RAY))],
)
async def runner(request: pytest.FixtureRequest) -> AsyncIterator[Any]:
    """One warm runner per kind for the whole module: warming is the slow part."""
    started = _make(request.param)
    await started.start()
    try:
        await started.wait_ready()
        yield started
    finally:
        await started.stop()


@pytest.fixture
async def reports(runner: Any) -> AsyncIterator[Reports]:
    yield Reports(runner)
    # Leave the runner idle for the next test, whatever this one left running.
    for job_id in list(runner.worker_pids()):
        await runner.cancel(job_id)
    await settle(runner, WORKERS)


def assert_attempt(reports: Reports, job: RunRequest) -> None:
    assert reports.of(job.job_id), "no messages"
    assert {m.attempt for m in reports.of(job.job_id)} == {job.attempt}


async def test_bell_job_reports_its_phases_in_order_then_counts(runner, reports) -> None:
    job = bell(attempt=7)
    await runner.submit(job)
    assert runner.free_slots() == WORKERS - 1
    assert runner.status()["busy"] == 1

    result = await reports.first(job.job_id)
    assert result.kind == "result", result
    counts = result.result["pubs"][0]["data"][0]["counts"]
    assert set(counts) <= {"00", "11"}
    assert sum(counts.values()) == 200
    kinds = [(m.kind, m.phase) for m in reports.of(job.job_id)]
    assert kinds == [
        ("phase", "transpiling"),
        ("phase", "executing"),
        ("phase", "post_processing"),
        ("result", None),
    ]
    assert_attempt(reports, job)
    # The worker is free again by the time its result is read.
    assert runner.free_slots() == WORKERS
    assert runner.status() | {"runner": None} == {
        "runner": None,
        "workers": WORKERS,
        "busy": 0,
        "idle": WORKERS,
    }


async def test_invalid_spec_is_a_final_error_with_a_code(runner, reports) -> None:
    job = request({**sampler("OPENQASM 2.0;\nqreg q[1];\nfoo q[0];\n"), "shots": 100}, attempt=3)
    await runner.submit(job)
    error = await reports.first(job.job_id)
    assert error.kind == "error", error
    assert error.error["transient"] is False
    assert isinstance(error.error["code"], str) and error.error["code"]
    assert error.error["message"]
    assert "phase" in error.error
    assert error.result is None
    assert_attempt(reports, job)
    assert runner.free_slots() == WORKERS


async def test_cancel_stops_the_computation_and_capacity_recovers(runner, reports) -> None:
    job = slow(attempt=2)
    await runner.submit(job)
    await reports.executing(job.job_id)
    pid = runner.worker_pids()[job.job_id]

    assert await runner.cancel(job.job_id) is True
    assert await runner.cancel("not-a-job-here") is False
    await wait_gone(pid)  # the simulation really stopped, not just its report
    await settle(runner, WORKERS)

    after = bell()
    await runner.submit(after)
    assert (await reports.first(after.job_id)).kind == "result"
    # Nothing final ever arrives for the cancelled job: it was killed, not finished.
    assert [m.kind for m in reports.of(job.job_id)] == ["phase"] * 2  # transpiling, executing
    assert_attempt(reports, job)


async def test_cancel_right_after_submit_reports_nothing(runner, reports) -> None:
    job = slow()
    await runner.submit(job)
    assert await runner.cancel(job.job_id) is True
    await settle(runner, WORKERS)

    # Both workers are usable again: two jobs in a row on whichever is picked.
    for after in (bell(), bell()):
        await runner.submit(after)
        assert (await reports.first(after.job_id)).kind == "result"
    assert not [m for m in reports.of(job.job_id) if m.kind != "phase"]


async def test_a_worker_killed_from_outside_loses_its_job(runner, reports) -> None:
    job = slow(attempt=4)
    await runner.submit(job)
    await reports.executing(job.job_id)
    os.kill(runner.worker_pids()[job.job_id], signal.SIGKILL)

    lost = await reports.first(job.job_id)
    assert lost.kind == "lost", lost
    assert lost.error["code"] == "worker_died"
    assert lost.error["transient"] is True
    assert lost.error["message"]
    assert_attempt(reports, job)
    # A replacement worker takes the dead one's place.
    await settle(runner, WORKERS)


async def test_two_jobs_run_at_once_and_free_slots_follow(runner, reports) -> None:
    first, second = slow(attempt=1), slow(attempt=5)
    await runner.submit(first)
    await runner.submit(second)
    assert runner.free_slots() == 0
    with pytest.raises(RuntimeError):
        await runner.submit(bell())

    # Both are executing at the same time: neither has finished while the other started.
    await reports.executing(first.job_id)
    await reports.executing(second.job_id)
    assert runner.status()["busy"] == WORKERS
    assert set(runner.worker_pids()) == {first.job_id, second.job_id}
    assert len(set(runner.worker_pids().values())) == WORKERS
    for job in (first, second):
        assert all(m.kind == "phase" for m in reports.of(job.job_id))
        assert_attempt(reports, job)

    for job in (first, second):
        assert await runner.cancel(job.job_id) is True
    await settle(runner, WORKERS)
    assert runner.status()["busy"] == 0
