"""Gamification test helpers: an app whose engine and consumers stand still, so a test
finishes jobs itself (through the real transition table) with the times it chooses and
then runs the real gamification consumer over the real outbox."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import pytest

from qdeck.app import create_app
from qdeck.db.engine import Database
from qdeck.events.consumers import ConsumerRunner, ensure_registered
from qdeck.jobs.lifecycle import transition
from qdeck.jobs.models import Job
from qdeck.jobs.status import EventOrigin, JobPhase, JobStatus
from tests.accounts import Accounts

BELL = (
    'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\ncreg c[2];\n'
    "h q[0];\ncx q[0],q[1];\nmeasure q -> c;\n"
)


def circuit(n: int) -> str:
    """A distinct small circuit per ``n`` (the resubmission rule compares circuits)."""
    return (
        'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\ncreg c[2];\n'
        f"rz({n / 1000}) q[0];\nh q[0];\ncx q[0],q[1];\nmeasure q -> c;\n"
    )


def database(app: object) -> Database:
    return app.state.database  # type: ignore[attr-defined]


@pytest.fixture
async def still_app(settings) -> AsyncIterator[object]:
    changed = settings.model_copy(
        update={
            "engine_enabled": False,
            "consumers_enabled": False,
            "notifications_enabled": False,
            "delivery_enabled": False,
            "gamification_worker_enabled": False,
        }
    )
    application = create_app(changed)
    async with application.router.lifespan_context(application):
        yield application


async def settle(app: object) -> int:
    """Run the gamification consumer until it has passed every event; events handled."""
    registry = app.state.registry  # type: ignore[attr-defined]
    consumer = registry.consumers["gamification"]
    runner = ConsumerRunner(database(app), app.state.settings, [consumer])  # type: ignore[attr-defined]
    async with database(app).session() as session:
        await ensure_registered(session, [consumer.name])
    total = 0
    while moved := await runner.run_once(consumer):
        total += moved
    return total


async def submit(person, *, qasm: str = BELL, shots: int | None = 100, **fields: Any) -> str:
    body: dict[str, Any] = {"circuits": [{"source": qasm}], **fields}
    if shots is not None:
        body["shots"] = shots
    response = await person.client.post("/api/v1/jobs", json=body)
    assert response.status_code in (200, 201, 202), response.text
    return response.json()["id"]


async def finish(
    app: object,
    job_id: str,
    *,
    status: JobStatus = JobStatus.COMPLETED,
    submitted_at: datetime | None = None,
    took: timedelta = timedelta(seconds=30),
    counts: dict[str, int] | None = None,
) -> None:
    """Run the job through running to ``status`` and date it: submitted at
    ``submitted_at``, finished ``took`` later."""
    async with database(app).session() as session:
        job = await session.get(Job, uuid.UUID(job_id))
        assert job is not None
        if status != JobStatus.CANCELLED:
            await transition(
                session, job, JobStatus.RUNNING, origin=EventOrigin.SCHEDULER,
                phase=JobPhase.EXECUTING,
            )  # fmt: skip
        if status == JobStatus.COMPLETED:
            job.result = {"pubs": [{"data": [{"counts": counts or {"00": 50, "11": 50}}]}]}
        await transition(session, job, status, origin=EventOrigin.SCHEDULER)
        if submitted_at is not None:
            job.created_at = submitted_at
            job.finished_at = submitted_at + took
        elif status == JobStatus.CANCELLED:
            job.finished_at = job.created_at + took


async def run_job(app: object, person, **fields: Any) -> str:
    finish_fields = {
        k: fields.pop(k) for k in ("status", "submitted_at", "took", "counts") if k in fields
    }
    job_id = await submit(person, **fields)
    await finish(app, job_id, **finish_fields)
    return job_id


async def me(person) -> dict[str, Any]:
    response = await person.client.get("/api/v1/gamification/me")
    assert response.status_code == 200, response.text
    return response.json()


async def ledger(person) -> list[dict[str, Any]]:
    response = await person.client.get("/api/v1/gamification/ledger", params={"limit": 200})
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
async def people(still_app) -> AsyncIterator[Accounts]:
    registry = Accounts(still_app)
    yield registry
    await registry.close()
