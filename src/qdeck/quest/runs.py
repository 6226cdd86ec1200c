"""Run it for real: a Quest circuit as a normal qdeck job (tagged ``quest``), and the
comparison of its noisy counts with the ideal distribution."""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.auth.models import User
from qdeck.engine.devices import AER_SIMULATOR, default_catalog
from qdeck.errors import InvalidInput
from qdeck.jobs.models import Job
from qdeck.jobs.schemas import CircuitIn, JobCreate
from qdeck.jobs.service import JobService
from qdeck.jobs.status import JobStatus
from qdeck.quest.catalog import Catalog
from qdeck.quest.challenges import QUEST_TAG
from qdeck.quest.comparison import error_budget, explain
from qdeck.quest.grading import hellinger_fidelity, ideal_distribution, read_attempt
from qdeck.quest.schemas import Comparison
from qdeck.quest.scoring import marginal, measured

DEFAULT_SHOTS = 1000


class QuestRuns:
    def __init__(self, session: AsyncSession, jobs: JobService, catalog: Catalog) -> None:
        self.session = session
        self.jobs = jobs
        self.catalog = catalog

    async def run(
        self,
        actor: User,
        qasm: str,
        backend: str,
        level_key: str | None,
        workspace_id: uuid.UUID | None,
        shots: int | None,
    ) -> Job:
        attempt = await asyncio.to_thread(read_attempt, qasm)
        if attempt.gate_count == 0:
            raise InvalidInput(
                "The circuit has no gates to run.",
                code="empty_circuit",
                errors=[{"field": "qasm", "message": "no gates"}],
            )
        level = self.catalog.level(level_key) if level_key else None
        tags = [QUEST_TAG] + ([f"level:{level.key}"[:50]] if level else [])
        return await self.jobs.submit(
            actor,
            JobCreate(
                workspace_id=workspace_id,
                backend=backend,
                circuits=[CircuitIn(format="qasm2", source=measured(attempt))],
                shots=shots or DEFAULT_SHOTS,
                name=f"Quest · {level.title if level else 'composer'}"[:200],
                tags=tags,
            ),
        )

    async def compare(self, actor: User, job_id: uuid.UUID) -> Comparison:
        job = await self.jobs.get(actor, job_id)
        if QUEST_TAG not in {t.tag for t in job.tags}:
            raise InvalidInput(
                "Only Quest runs can be compared (jobs tagged 'quest'); POST /api/v1/quest/runs "
                "starts one.",
                code="not_a_quest_run",
            )
        source = job.spec["circuits"][0]["source"]
        attempt = await asyncio.to_thread(read_attempt, source)
        ideal = await asyncio.to_thread(ideal_distribution, attempt.circuit)
        base = {
            "job_id": job.id,
            "backend": job.backend,
            "status": job.status.value,
            "shots": job.shots,
            "ideal": ideal,
        }
        if job.status != JobStatus.COMPLETED or not job.result:
            why = {
                JobStatus.FAILED: f"The job failed: {job.error_message or 'no reason given'}.",
                JobStatus.CANCELLED: "The job was cancelled, so there is nothing to compare.",
            }.get(
                job.status,
                f"The job is {job.status.value}; the comparison follows when it completes.",
            )
            return Comparison(**base, noisy=None, hellinger_fidelity=None, explanation=why)
        pub = job.result["pubs"][0]
        noisy = marginal(pub["data"][0]["counts"], None)
        fidelity = hellinger_fidelity(ideal, noisy)
        transpiled = pub.get("transpiled")
        budget = None
        if job.backend != AER_SIMULATOR and default_catalog().has(job.backend) and transpiled:
            calibration = await asyncio.to_thread(default_catalog().calibration, job.backend)
            budget = error_budget(calibration, transpiled)
        if budget is None and job.backend != AER_SIMULATOR:
            explanation = (
                f"No calibration of {job.backend} is at hand to say why; Hellinger fidelity "
                f"{fidelity:.3f} over {job.shots or 0:,} shots."
            )
        else:
            explanation = explain(job.backend, fidelity, job.shots or 0, transpiled, budget)
        return Comparison(
            **base,
            noisy=noisy,
            hellinger_fidelity=fidelity,
            explanation=explanation,
            errors=budget,
        )
