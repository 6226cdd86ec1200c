"""Queries for jobs: the filtered list, text search, the scheduler's queue, leases, counts."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, exists, func, or_, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from qdeck.db.keyset import MAX_PAGE_SIZE, PageRequest, after_cursor, encode_cursor, fetch_page
from qdeck.jobs.filters import SORTS, JobFilter, search_words
from qdeck.jobs.models import Job, JobEvent, JobTag
from qdeck.jobs.search import (
    SEARCH_WINDOW,
    among,
    few_matches,
    first_matches,
    job_text_match,
    text_query,
)
from qdeck.jobs.status import JobStatus
from qdeck.workspaces.models import Membership

__all__ = ["SORTABLE", "JobFilter", "JobRepository"]

ACTIVE = (JobStatus.RUNNING, JobStatus.CANCELLING)
SORTABLE = {
    "created_at": Job.created_at,
    "name": Job.name,
    "backend": Job.backend,
    "status": Job.status,
    "priority": Job.priority,
}
assert tuple(SORTABLE) == SORTS


def keyset_order(sort: str) -> list[Any]:
    """The full order of a sort: its column, then age, then id (unique). The jobs table
    has an index on (workspace_id, *this) for each sort (jobs/models.py)."""
    if sort == "created_at":
        return [Job.created_at, Job.id]
    return [SORTABLE[sort], Job.created_at, Job.id]


class JobRepository:
    def __init__(self, session: AsyncSession, *, search_window: int = SEARCH_WINDOW) -> None:
        self.session = session
        # How many jobs a search walks before asking the text index (jobs/search.py).
        self.search_window = search_window

    async def get(self, job_id: uuid.UUID, *, with_tags: bool = True) -> Job | None:
        stmt = select(Job).where(Job.id == job_id)
        if with_tags:
            stmt = stmt.options(selectinload(Job.tags))
        return await self.session.scalar(stmt)

    async def add(self, job: Job, tags: Sequence[str]) -> Job:
        job.tags = [JobTag(tag=tag, workspace_id=job.workspace_id) for tag in tags]
        self.session.add(job)
        await self.session.flush()
        return job

    async def set_tags(self, job: Job, tags: Sequence[str]) -> None:
        job.tags = [JobTag(tag=tag, workspace_id=job.workspace_id) for tag in tags]
        await self.session.flush()

    async def _visible(
        self, user_id: uuid.UUID, flt: JobFilter, *, with_text: bool = True
    ) -> Select[Any]:
        """Jobs of the user's workspaces narrowed by ``flt`` (its text too, unless told)."""
        stmt = select(Job).options(selectinload(Job.tags))
        if flt.workspace_id is not None:
            # One membership check, not one per row: the jobs index stays the only driver.
            stmt = stmt.where(
                Job.workspace_id == flt.workspace_id,
                exists().where(
                    Membership.user_id == user_id, Membership.workspace_id == flt.workspace_id
                ),
            )
        else:
            member_of = select(Membership.workspace_id).where(Membership.user_id == user_id)
            stmt = stmt.where(Job.workspace_id.in_(member_of))
        if flt.statuses:
            stmt = stmt.where(Job.status.in_(list(flt.statuses)))
        if flt.backend:
            stmt = stmt.where(Job.backend == flt.backend)
        if flt.project_id:
            stmt = stmt.where(Job.project_id == flt.project_id)
        if flt.submitted_by:
            stmt = stmt.where(Job.submitted_by == flt.submitted_by)
        if flt.created_after:
            stmt = stmt.where(Job.created_at >= flt.created_after)
        if flt.created_before:
            stmt = stmt.where(Job.created_at < flt.created_before)
        if flt.ids:
            stmt = stmt.where(Job.id.in_(list(flt.ids)))
        if flt.tag:
            stmt = stmt.where(
                exists().where(
                    JobTag.job_id == Job.id,
                    JobTag.tag == flt.tag,
                    JobTag.workspace_id == Job.workspace_id,
                )
            )
        if flt.text and with_text:
            query = await text_query(self.session, search_words(flt.text))
            keys = await few_matches(self.session, query)
            if keys is None:
                stmt = stmt.where(job_text_match(query))
            else:
                stmt = stmt.where(among(keys, self.session.get_bind().dialect.name))
        return stmt

    async def list_page(
        self,
        user_id: uuid.UUID,
        flt: JobFilter,
        page: PageRequest,
        *,
        sort: str = "created_at",
        descending: bool = True,
    ) -> tuple[list[Job], str | None]:
        """One page of the filtered list in ``sort`` order. This is the jobs list's only
        query: the API, the web UI and the CLI all page and search through it. A search
        costs about one page of work however many jobs match (jobs/search.py)."""
        order = keyset_order(sort)
        if not flt.text:
            stmt = await self._visible(user_id, flt)
            return await fetch_page(self.session, stmt, order, page, descending=descending)
        stmt = await self._visible(user_id, flt, with_text=False)
        if page.cursor:
            stmt = stmt.where(after_cursor(order, page.cursor, descending=descending))
        limit = max(1, min(page.limit, MAX_PAGE_SIZE))
        rows = await first_matches(
            self.session,
            stmt,
            await text_query(self.session, search_words(flt.text)),
            order,
            limit + 1,
            descending=descending,
            window=self.search_window,
        )
        if len(rows) <= limit:
            return rows, None
        rows = rows[:limit]
        return rows, encode_cursor([getattr(rows[-1], column.key) for column in order])

    async def list_all(self, user_id: uuid.UUID, flt: JobFilter, limit: int) -> list[Job]:
        stmt = (await self._visible(user_id, flt)).order_by(Job.created_at.desc(), Job.id.desc())
        return list((await self.session.scalars(stmt.limit(limit))).all())

    async def events(self, job_id: uuid.UUID) -> list[JobEvent]:
        rows = await self.session.scalars(
            select(JobEvent).where(JobEvent.job_id == job_id).order_by(JobEvent.id)
        )
        return list(rows)

    async def retried_by(self, job_id: uuid.UUID) -> list[uuid.UUID]:
        rows = await self.session.scalars(
            select(Job.id).where(Job.retry_of_id == job_id).order_by(Job.created_at)
        )
        return list(rows)

    async def queue_positions(self, jobs: Sequence[Job]) -> dict[uuid.UUID, int]:
        """1-based place in the queue of each queued job, in the scheduler's order
        (priority first, then age, then id), for all of ``jobs`` in one query.

        The window only spans the queue up to the last of these jobs, so the cost follows
        how far back in the queue they are, not how long the queue is."""
        queued = [job for job in jobs if job.status == JobStatus.QUEUED]
        if not queued:
            return {}
        last = max(queued, key=lambda j: (-j.priority, j.created_at, j.id))
        ahead_or_last = or_(
            Job.priority > last.priority,
            and_(
                Job.priority == last.priority,
                tuple_(Job.created_at, Job.id) <= tuple_(last.created_at, last.id),
            ),
        )
        ranked = (
            select(
                Job.id,
                func.row_number()
                .over(order_by=(Job.priority.desc(), Job.created_at, Job.id))
                .label("position"),
            )
            .where(Job.status == JobStatus.QUEUED, ahead_or_last)
            .subquery()
        )
        rows = await self.session.execute(
            select(ranked.c.id, ranked.c.position).where(ranked.c.id.in_([j.id for j in queued]))
        )
        return {job_id: int(position) for job_id, position in rows}

    # --- the scheduler's queries ---

    async def queued_candidates(self, now: datetime, limit: int) -> list[Job]:
        stmt = (
            select(Job)
            .where(
                Job.status == JobStatus.QUEUED,
                or_(Job.available_at.is_(None), Job.available_at <= now),
            )
            .order_by(Job.priority.desc(), Job.created_at, Job.id)
            .limit(limit)
        )
        return list((await self.session.scalars(stmt)).all())

    async def running_counts(self) -> tuple[dict[str, int], dict[uuid.UUID, int], set[uuid.UUID]]:
        """Running jobs per backend, per submitter, and the sessions with a job running."""
        rows = (
            await self.session.execute(
                select(Job.backend, Job.submitted_by, Job.quantum_session_id).where(
                    Job.status.in_(ACTIVE)
                )
            )
        ).all()
        per_backend: dict[str, int] = {}
        per_user: dict[uuid.UUID, int] = {}
        sessions: set[uuid.UUID] = set()
        for backend, user, session_id in rows:
            per_backend[backend] = per_backend.get(backend, 0) + 1
            if user is not None:
                per_user[user] = per_user.get(user, 0) + 1
            if session_id is not None:
                sessions.add(session_id)
        return per_backend, per_user, sessions

    async def claim(self, job_id: uuid.UUID, worker_id: str, lease_until: datetime) -> bool:
        """Take a queued job for this server; False if someone else took it first."""
        result = await self.session.execute(
            update(Job)
            # worker_id IS NULL too: on PostgreSQL a second server waiting on the row lock
            # re-checks this after the first commits, and must then find the job taken.
            .where(Job.id == job_id, Job.status == JobStatus.QUEUED, Job.worker_id.is_(None))
            .values(
                worker_id=worker_id,
                lease_expires_at=lease_until,
                attempts=Job.attempts + 1,
            )
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1

    async def held_by(self, worker_id: str) -> list[Job]:
        stmt = select(Job).where(Job.worker_id == worker_id, Job.status.in_(ACTIVE))
        return list((await self.session.scalars(stmt)).all())

    async def renew_leases(self, worker_id: str, lease_until: datetime) -> None:
        await self.session.execute(
            update(Job)
            .where(Job.worker_id == worker_id, Job.status.in_(ACTIVE))
            .values(lease_expires_at=lease_until)
            .execution_options(synchronize_session=False)
        )

    async def orphaned(self, now: datetime, me: str) -> list[Job]:
        """Active jobs of other holders whose lease has run out: their server is gone."""
        stmt = select(Job).where(
            Job.status.in_(ACTIVE),
            or_(Job.worker_id.is_(None), Job.worker_id != me),
            or_(Job.lease_expires_at.is_(None), Job.lease_expires_at < now),
        )
        return list((await self.session.scalars(stmt)).all())
