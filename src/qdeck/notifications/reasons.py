"""Why a notification matters, in one sentence built from the data behind it:
"3 of your last 5 jobs on fake_kyiv failed: circuit needs 156 qubits"."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.jobs.models import Job, JobEvent
from qdeck.jobs.status import FINAL_STATUSES, JobStatus

RECENT = 5


def seconds(value: float) -> str:
    if value < 60:
        return f"{value:.1f} s"
    if value < 3600:
        return f"{value / 60:.0f} min"
    return f"{value / 3600:.1f} h"


def first_line(text: str | None, limit: int = 140) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


async def recent_outcomes(session: AsyncSession, job: Job) -> list[JobStatus]:
    """The owner's last finished jobs on the same backend, newest first (this one too)."""
    rows = await session.scalars(
        select(Job.status)
        .where(
            Job.submitted_by == job.submitted_by,
            Job.backend == job.backend,
            Job.status.in_(list(FINAL_STATUSES)),
        )
        .order_by(Job.finished_at.desc().nulls_last(), Job.created_at.desc())
        .limit(RECENT)
    )
    return list(rows)


async def job_outcome(session: AsyncSession, job: Job, status: JobStatus, reason: str) -> str:
    recent = await recent_outcomes(session, job)
    failed = sum(1 for s in recent if s == JobStatus.FAILED)
    if status == JobStatus.FAILED:
        message = first_line(job.error_message) or first_line(reason) or "no reason recorded"
        if failed > 1:
            return f"{failed} of your last {len(recent)} jobs on {job.backend} failed: {message}"
        phase = f" while {job.failed_phase.replace('_', ' ')}" if job.failed_phase else ""
        return f"It failed on {job.backend}{phase}: {message}"
    if status == JobStatus.CANCELLED:
        return f"It was cancelled before finishing: {first_line(reason) or 'no reason given'}"
    ran = _duration(job.started_at, job.finished_at)
    waited = _duration(job.created_at, job.started_at)
    sentence = f"It ran {seconds(ran)} on {job.backend} after {seconds(waited)} in the queue"
    earlier = recent[1:]
    if earlier and all(s == JobStatus.FAILED for s in earlier):
        sentence += f", the first success there after {len(earlier)} failed"
    return sentence + "."


def burst(jobs: list[dict[str, str]], counts: Counter[str], errors: Counter[str]) -> str:
    """The sentence of a grouped notification, from what it holds."""
    backends = Counter(j.get("backend", "") for j in jobs)
    where = ", ".join(b for b, _ in backends.most_common(2)) or "their backends"
    failed = counts.get(JobStatus.FAILED.value, 0)
    if failed:
        message, times = errors.most_common(1)[0] if errors else ("no reason recorded", failed)
        share = "all" if times == failed else f"{times}"
        return f"{failed} failed on {where}; {share} of them: {message}"
    cancelled = counts.get(JobStatus.CANCELLED.value, 0)
    if cancelled:
        return f"{cancelled} were cancelled before finishing; the others completed on {where}."
    return f"All completed on {where}; their results are ready."


def _duration(start: datetime | None, end: datetime | None) -> float:
    if start is None or end is None:
        return 0.0
    return max(0.0, (end - start).total_seconds())


async def cancelled_by(session: AsyncSession, job_id: uuid.UUID) -> uuid.UUID | None:
    """Who asked for the cancellation (the first cancelling or cancelled event's actor)."""
    return await session.scalar(
        select(JobEvent.actor_id)
        .where(
            JobEvent.job_id == job_id,
            JobEvent.to_status.in_([JobStatus.CANCELLING, JobStatus.CANCELLED]),
        )
        .order_by(JobEvent.id)
        .limit(1)
    )


async def queued_ahead(session: AsyncSession, job: Job) -> int:
    return int(
        await session.scalar(
            select(func.count()).where(
                Job.status == JobStatus.QUEUED,
                Job.backend == job.backend,
                Job.created_at < job.created_at,
                Job.priority >= job.priority,
            )
        )
        or 0
    )
