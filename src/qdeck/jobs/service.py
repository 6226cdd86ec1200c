"""Jobs: submit (validated before anything is stored), read, list, edit, cancel, retry."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.auth.models import User
from qdeck.config import Settings
from qdeck.db.keyset import PageRequest
from qdeck.errors import Conflict, InvalidInput, PermissionDenied
from qdeck.jobs.errors import JobNotFound
from qdeck.jobs.lifecycle import record_submission, transition
from qdeck.jobs.models import Job
from qdeck.jobs.read_models import job_detail
from qdeck.jobs.repository import JobFilter, JobRepository
from qdeck.jobs.schemas import JobCreate, JobDetail, JobUpdate
from qdeck.jobs.status import EventOrigin, JobStatus
from qdeck.jobs.validation import validate_submission
from qdeck.quantum_sessions.models import SessionStatus
from qdeck.quantum_sessions.repository import QuantumSessionRepository
from qdeck.workspaces.access import Action, authorize
from qdeck.workspaces.targets import target_workspace

MAX_BULK = 1000


@dataclass
class CancelOutcome:
    cancelled: list[uuid.UUID]
    cancelling: list[uuid.UUID]
    skipped: list[dict[str, str]]


class JobService:
    def __init__(self, session: AsyncSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings
        self.jobs = JobRepository(session)

    async def submit(self, actor: User, body: JobCreate, *, retry_of: Job | None = None) -> Job:
        workspace_id = await target_workspace(
            self.session, actor.id, body.workspace_id, body.project_id, what="job"
        )
        await authorize(self.session, actor.id, workspace_id, Action.SUBMIT_JOB)
        if body.session_id is not None:
            await self._check_session(body.session_id, workspace_id, body.backend)
        spec = _spec_of(body)
        summary = await validate_submission(self.session, self.settings, actor.id, spec)
        job = Job(
            id=uuid.uuid4(),
            workspace_id=workspace_id,
            project_id=body.project_id,
            submitted_by=actor.id,
            quantum_session_id=body.session_id,
            retry_of_id=retry_of.id if retry_of else None,
            name=body.name or _default_name(body, summary),
            notes=body.notes,
            backend=body.backend,
            primitive=body.primitive,
            status=JobStatus.QUEUED,
            priority=body.priority,
            shots=summary["shots"],
            optimization_level=body.optimization_level,
            seed=body.seed,
            timeout_seconds=body.timeout_seconds,
            num_circuits=summary["num_circuits"],
            num_qubits=summary["num_qubits"],
            spec=spec,
        )
        await self.jobs.add(job, body.tags)
        if body.session_id is not None:
            await QuantumSessionRepository(self.session).touch(body.session_id)
        reason = f"retry of {retry_of.id}" if retry_of else "submitted"
        await record_submission(self.session, job, actor_id=actor.id, reason=reason)
        return job

    async def get(self, actor: User, job_id: uuid.UUID, action: Action = Action.VIEW) -> Job:
        job = await self.jobs.get(job_id)
        if job is None:
            raise JobNotFound()
        await authorize(self.session, actor.id, job.workspace_id, Action.VIEW, resource="job")
        if action != Action.VIEW:
            await self._may_manage(actor, job)
        return job

    async def list(
        self, actor: User, flt: JobFilter, page: PageRequest, *, sort: str, descending: bool
    ) -> tuple[list[Job], str | None, dict[uuid.UUID, int]]:
        if flt.workspace_id is not None:
            await authorize(self.session, actor.id, flt.workspace_id, Action.VIEW)
        jobs, cursor = await self.jobs.list_page(
            actor.id, flt, page, sort=sort, descending=descending
        )
        return jobs, cursor, await self.jobs.queue_positions(jobs)

    async def update(self, actor: User, job_id: uuid.UUID, body: JobUpdate) -> Job:
        job = await self.get(actor, job_id, Action.MANAGE_OWN_JOBS)
        if body.name is not None:
            job.name = body.name
        if body.notes is not None:
            job.notes = body.notes
        if body.tags is not None:
            await self.jobs.set_tags(job, body.tags)
        await self.session.flush()
        return job

    async def cancel(self, actor: User, job_id: uuid.UUID, reason: str = "") -> Job:
        job = await self.get(actor, job_id, Action.MANAGE_OWN_JOBS)
        await self._cancel(actor, job, reason or f"cancelled by {actor.display_name}")
        return job

    async def cancel_many(self, actor: User, flt: JobFilter) -> CancelOutcome:
        outcome = CancelOutcome([], [], [])
        candidates = await self.jobs.list_all(actor.id, flt, MAX_BULK)
        found = {job.id for job in candidates}
        for missing in [i for i in flt.ids if i not in found]:
            outcome.skipped.append({"id": str(missing), "reason": "job not found"})
        for job in candidates:
            if job.status.is_final or job.status == JobStatus.CANCELLING:
                outcome.skipped.append({"id": str(job.id), "reason": f"already {job.status}"})
                continue
            try:
                await self._may_manage(actor, job)
            except PermissionDenied:
                outcome.skipped.append({"id": str(job.id), "reason": "your role cannot cancel it"})
                continue
            await self._cancel(actor, job, f"bulk cancel by {actor.display_name}")
            target = outcome.cancelled if job.status == JobStatus.CANCELLED else outcome.cancelling
            target.append(job.id)
        return outcome

    async def retry(self, actor: User, job_id: uuid.UUID) -> Job:
        original = await self.get(actor, job_id)
        if not original.status.is_final:
            raise Conflict(
                f"Only a finished job can be retried; this one is {original.status}.",
                code="job_not_finished",
            )
        spec = original.spec
        body = JobCreate.model_validate(
            {
                **{k: v for k, v in spec.items() if k in JobCreate.model_fields},
                "workspace_id": original.workspace_id,
                "project_id": original.project_id,
                "name": original.name,
                "notes": original.notes,
                "tags": [t.tag for t in original.tags],
                "priority": original.priority,
                "timeout_seconds": original.timeout_seconds,
            }
        )
        return await self.submit(actor, body, retry_of=original)

    async def detail(self, actor: User, job_id: uuid.UUID) -> JobDetail:
        """The job as its page and GET /jobs/{id} show it: timeline, queue position, retries."""
        job = await self.get(actor, job_id)
        positions = await self.jobs.queue_positions([job])
        return job_detail(
            job, positions.get(job.id), await self.events(job), await self.retried_by(job)
        )

    async def events(self, job: Job) -> list[Any]:
        return await self.jobs.events(job.id)

    async def retried_by(self, job: Job) -> list[uuid.UUID]:
        return await self.jobs.retried_by(job.id)

    async def cancel_authorized(self, actor: User | None, job: Job, reason: str) -> None:
        """Cancel a job the caller was already allowed to manage (None: qdeck itself)."""
        await self._cancel(actor, job, reason)

    async def _cancel(self, actor: User | None, job: Job, reason: str) -> None:
        origin = EventOrigin.USER if actor else EventOrigin.SYSTEM
        actor_id = actor.id if actor else None
        # A queued job is cancelled at once; a running one goes to CANCELLING and the
        # engine records CANCELLED once the computation has really stopped.
        target = JobStatus.CANCELLED if job.status == JobStatus.QUEUED else JobStatus.CANCELLING
        await transition(self.session, job, target, origin=origin, actor_id=actor_id, reason=reason)

    async def _may_manage(self, actor: User, job: Job) -> None:
        """Members manage their own jobs; admins and owners manage everyone's."""
        action = Action.MANAGE_OWN_JOBS if job.submitted_by == actor.id else Action.MANAGE_ALL_JOBS
        await authorize(self.session, actor.id, job.workspace_id, action, resource="job")

    async def _check_session(
        self, session_id: uuid.UUID, workspace_id: uuid.UUID, backend: str
    ) -> None:
        quantum_session = await QuantumSessionRepository(self.session).get(session_id)
        if quantum_session is None or quantum_session.workspace_id != workspace_id:
            raise InvalidInput(
                "No such session in this workspace.",
                code="session_not_found",
                errors=[{"field": "session_id", "message": "not found"}],
            )
        if quantum_session.status not in (SessionStatus.OPEN, SessionStatus.ACTIVE):
            raise Conflict(
                f"The session is {quantum_session.status}; open a new one.", code="session_closed"
            )
        if quantum_session.backend != backend:
            raise InvalidInput(
                f"The session runs on {quantum_session.backend}, not {backend}.",
                code="session_backend_mismatch",
                errors=[{"field": "backend", "message": f"must be {quantum_session.backend}"}],
            )


def _spec_of(body: JobCreate) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "primitive": body.primitive.value,
        "backend": body.backend,
        "circuits": [c.model_dump(exclude_none=True) for c in body.circuits],
        "optimization_level": body.optimization_level,
    }
    for key in ("shots", "precision", "seed", "method"):
        value = getattr(body, key)
        if value is not None:
            spec[key] = value
    for circuit in spec["circuits"]:
        if "observables" in circuit:
            circuit["observables"] = [
                [list(term) for term in obs] for obs in circuit["observables"]
            ]
    return spec


def _default_name(body: JobCreate, summary: dict[str, Any]) -> str:
    width = summary["num_qubits"]
    return f"{body.primitive.value} · {width} qubit{'s' if width != 1 else ''} · {body.backend}"
