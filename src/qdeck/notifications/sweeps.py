"""Time-based notifications, each a small idempotent sweep of ``now``: jobs queued too
long, quantum sessions about to expire, backends going offline or coming back, the
weekly digest. Every server runs them: dedupe keys make a second run a no-op, a
conditional update decides which server announces a backend's change, and a lease row
decides which server builds the week's digests."""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.config import Settings
from qdeck.jobs.models import Job
from qdeck.jobs.status import JobStatus
from qdeck.notifications import reasons
from qdeck.notifications.models import NotificationBackendState, NotificationSweep
from qdeck.notifications.service import notify, notify_many
from qdeck.quantum_sessions.models import QuantumSession, SessionStatus
from qdeck.workspaces.models import Membership, Workspace

RECENT_DAYS = 7
SWEEP_LIMIT = 500


async def queued_too_long(session: AsyncSession, settings: Settings, now: datetime) -> int:
    threshold = timedelta(seconds=settings.notification_queue_threshold_seconds)
    jobs = await session.scalars(
        select(Job)
        .where(
            Job.status == JobStatus.QUEUED,
            Job.created_at <= now - threshold,
            Job.created_at > now - timedelta(days=RECENT_DAYS),
            Job.submitted_by.is_not(None),
        )
        .order_by(Job.created_at)
        .limit(SWEEP_LIMIT)
    )
    made = 0
    for job in list(jobs):
        assert job.submitted_by is not None
        ahead = await reasons.queued_ahead(session, job)
        waited = reasons.seconds((now - job.created_at).total_seconds())
        made += bool(
            await notify(
                session,
                user_id=job.submitted_by,
                workspace_id=job.workspace_id,
                kind="job.queued_long",
                title=f"{job.name} is still waiting for {job.backend}",
                body=f"It has waited {waited} in the queue; "
                + (f"{ahead} jobs are ahead of it." if ahead else "it is next in line."),
                link=f"/jobs/{job.id}",
                data={"job_id": str(job.id), "ahead": ahead},
                dedupe_key=f"job:{job.id}:queued_long",
                now=now,
            )
        )
    return made


async def sessions_expiring(session: AsyncSession, settings: Settings, now: datetime) -> int:
    warning = timedelta(seconds=settings.notification_session_warning_seconds)
    rows = await session.scalars(
        select(QuantumSession).where(
            QuantumSession.status.in_([SessionStatus.OPEN, SessionStatus.ACTIVE]),
            QuantumSession.created_by.is_not(None),
        )
    )
    made = 0
    for qs in list(rows):
        ends = qs.created_at + timedelta(seconds=qs.max_time_seconds)
        if not now < ends <= now + warning:
            continue
        assert qs.created_by is not None
        queued = await _queued_in(session, qs.id)
        left = reasons.seconds((ends - now).total_seconds())
        made += bool(
            await notify(
                session,
                user_id=qs.created_by,
                workspace_id=qs.workspace_id,
                kind="session.expiring",
                title=f"Session {qs.name or qs.backend} closes in {left}",
                body=f"It reaches its maximum time of {reasons.seconds(qs.max_time_seconds)} "
                f"on {qs.backend}; "
                + (
                    f"{queued} of its jobs are still queued and would be cancelled."
                    if queued
                    else "none of its jobs is waiting."
                ),
                link=f"/sessions/{qs.id}",
                data={"session_id": str(qs.id), "ends_at": ends.isoformat(), "waiting": queued},
                dedupe_key=f"session:{qs.id}:expiring",
                now=now,
            )
        )
    return made


async def backend_changes(session: AsyncSession, statuses: dict[str, bool], now: datetime) -> int:
    """Compare each backend used in the last 7 days with the last status seen; a change
    notifies everyone who used it. The first sight of a backend only records it."""
    since = now - timedelta(days=RECENT_DAYS)
    used = set(await session.scalars(select(Job.backend).where(Job.created_at > since).distinct()))
    made = 0
    for backend in sorted(used & set(statuses)):
        online = statuses[backend]
        state = await session.get(NotificationBackendState, backend)
        if state is None:
            try:
                async with session.begin_nested():
                    session.add(
                        NotificationBackendState(backend=backend, online=online, changed_at=now)
                    )
            except IntegrityError:
                pass  # another server saw it first
            continue
        if state.online == online:
            continue
        won = await session.execute(
            update(NotificationBackendState)
            .where(
                NotificationBackendState.backend == backend,
                NotificationBackendState.online == state.online,
            )
            .values(online=online, changed_at=now)
            .execution_options(synchronize_session=False)
        )
        if won.rowcount != 1:
            continue  # another server announced it
        made += len(await _announce_backend(session, backend, online, since, now))
    return made


async def _announce_backend(
    session: AsyncSession, backend: str, online: bool, since: datetime, now: datetime
) -> list:
    rows = await session.execute(
        select(Job.submitted_by, Job.status).where(
            Job.backend == backend, Job.created_at > since, Job.submitted_by.is_not(None)
        )
    )
    per_user: Counter[uuid.UUID] = Counter()
    waiting = 0
    for user_id, status in rows.all():
        per_user[user_id] += 1
        waiting += status == JobStatus.QUEUED
    kind = "backend.online" if online else "backend.offline"
    if online:
        title = f"{backend} is back online"
        body = (
            f"{waiting} queued jobs on it can run again; you used it in the last 7 days."
            if waiting
            else "You used it in the last 7 days; new jobs run again."
        )
    else:
        title = f"{backend} went offline"
        body = (
            f"{waiting} queued jobs on it wait until it returns; you used it in the last 7 days."
            if waiting
            else "You used it in the last 7 days; jobs sent to it wait until it returns."
        )
    return await notify_many(
        session,
        list(per_user),
        workspace_id=None,
        kind=kind,
        title=title,
        body=body,
        link=f"/backends/{backend}",
        data={"backend": backend, "online": online, "waiting": waiting},
        dedupe_key=f"{kind}:{backend}:{now.isoformat()}",
        now=now,
    )


async def _queued_in(session: AsyncSession, session_id: uuid.UUID) -> int:
    rows = await session.scalars(
        select(Job.id).where(Job.quantum_session_id == session_id, Job.status == JobStatus.QUEUED)
    )
    return len(list(rows))


# --- the weekly digest ---


def next_digest_at(now: datetime, hour: int) -> datetime:
    """The next Monday at ``hour`` UTC after ``now``."""
    monday = (now - timedelta(days=now.weekday())).replace(
        hour=hour, minute=0, second=0, microsecond=0
    )
    return monday if monday > now else monday + timedelta(days=7)


async def claim(session: AsyncSession, name: str, now: datetime, next_due: datetime) -> bool:
    """Whether this server runs sweep ``name`` now (its lease moved to ``next_due``). The
    first sight of a sweep only schedules it."""
    won = await session.execute(
        update(NotificationSweep)
        .where(NotificationSweep.name == name, NotificationSweep.due_at <= now)
        .values(due_at=next_due)
        .execution_options(synchronize_session=False)
    )
    if won.rowcount == 1:
        return True
    if await session.get(NotificationSweep, name) is None:
        try:
            async with session.begin_nested():
                session.add(NotificationSweep(name=name, due_at=next_due))
        except IntegrityError:
            pass
    return False


async def weekly_digests(session: AsyncSession, now: datetime) -> int:
    """For every workspace with jobs in the 7 days before ``now``, a digest to each member
    who wants one; once per workspace and ISO week."""
    since = now - timedelta(days=RECENT_DAYS)
    rows = await session.execute(
        select(Job.workspace_id, Job.status, Job.backend, Job.error_message).where(
            Job.created_at > since, Job.created_at <= now
        )
    )
    per_ws: dict[uuid.UUID, list[tuple[JobStatus, str, str | None]]] = defaultdict(list)
    for workspace_id, status, backend, error in rows.all():
        per_ws[workspace_id].append((status, backend, error))
    year, week, _ = (now - timedelta(days=1)).isocalendar()
    made = 0
    for workspace_id, jobs in per_ws.items():
        workspace = await session.get(Workspace, workspace_id)
        if workspace is None:
            continue
        members = list(
            await session.scalars(
                select(Membership.user_id).where(Membership.workspace_id == workspace_id)
            )
        )
        made += len(
            await notify_many(
                session,
                members,
                workspace_id=workspace_id,
                kind="digest.weekly",
                title=f"{workspace.name}: {len(jobs)} jobs in the last 7 days",
                body=_digest_sentence(jobs),
                link="/dashboard",
                data=_digest_data(jobs),
                dedupe_key=f"digest.weekly:{workspace_id}:{year}-W{week:02d}",
                now=now,
            )
        )
    return made


def _digest_sentence(jobs: list[tuple[JobStatus, str, str | None]]) -> str:
    finished = [j for j in jobs if j[0].is_final]
    completed = sum(1 for j in finished if j[0] == JobStatus.COMPLETED)
    busiest, count = Counter(j[1] for j in jobs).most_common(1)[0]
    share = completed * 100 // len(finished) if finished else 0
    sentence = (
        f"{completed} of {len(finished)} finished jobs succeeded ({share} %); "
        if finished
        else "None finished yet; "
    )
    sentence += f"the busiest backend was {busiest} with {count} jobs"
    errors = Counter(
        reasons.first_line(j[2]) for j in finished if j[0] == JobStatus.FAILED and j[2]
    )
    if errors:
        message, times = errors.most_common(1)[0]
        sentence += f"; the most common failure ({times}x): {message}"
    return sentence + "."


def _digest_data(jobs: list[tuple[JobStatus, str, str | None]]) -> dict:
    return {
        "jobs": len(jobs),
        "by_status": dict(Counter(j[0].value for j in jobs)),
        "by_backend": dict(Counter(j[1] for j in jobs).most_common(5)),
    }
