"""The asyncio client: ``AsyncQDeckClient(url, token)``, the sync API with ``await``.

Both clients build their requests with :mod:`qdeck.client.calls`; only sending differs.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any, Literal, TypeVar, Unpack

import httpx

from qdeck.api.schemas import Page
from qdeck.auth.schemas import MeRead
from qdeck.client import calls
from qdeck.client.assistant import AsyncAssistant
from qdeck.client.calls import ExportFormat, Id, JobFilters
from qdeck.client.chat import AsyncChat
from qdeck.client.circuits import CircuitLike
from qdeck.client.connection import Connection
from qdeck.client.errors import JobError
from qdeck.client.follow import Deadline, ProgressCallback, Tracker, follow_async
from qdeck.client.gamification import AsyncGamification
from qdeck.client.notifications import AsyncNotifications
from qdeck.client.quest import AsyncQuest
from qdeck.client.resources import (
    PAGE,
    AsyncBackends,
    AsyncProjects,
    AsyncSessions,
    AsyncTokens,
    AsyncWorkspaces,
)
from qdeck.client.results import JobResult, result_of
from qdeck.client.transport import Call, send_async
from qdeck.jobs.schemas import BulkCancelResult, JobEventRead, JobRead, JobUpdate

T = TypeVar("T")


class AsyncJob:
    """A handle on one job; ``info`` is the last state fetched."""

    def __init__(self, client: AsyncQDeckClient, info: JobRead) -> None:
        self._client = client
        self.info = info

    @property
    def id(self) -> str:
        return str(self.info.id)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.__dict__["info"], name)

    async def refresh(self) -> AsyncJob:
        self.info = await self._client._send(calls.get_job(self.id))
        return self

    async def wait(self, on_progress: ProgressCallback | None = None) -> JobResult:
        """Until the job finishes; bound it with ``asyncio.timeout()`` (the job keeps running)."""
        try:
            result = await self._client.jobs.wait(self.id, on_progress=on_progress)
        except JobError as exc:
            self.info = exc.job
            raise
        self.info = result.job
        return result

    async def result(self) -> JobResult:
        return await self.wait()

    async def cancel(self) -> AsyncJob:
        self.info = await self._client._send(calls.cancel_job(self.id))
        return self

    async def retry(self) -> AsyncJob:
        return await self._client.jobs.retry(self.id)

    def __repr__(self) -> str:
        return f"<AsyncJob {self.id} {self.info.name!r} on {self.info.backend}: {self.info.status}>"


class AsyncQDeckClient:
    """The qdeck REST API for asyncio code; see :class:`qdeck.client.QDeckClient`.

    Example::

        async with AsyncQDeckClient() as qd:
            job = await qd.jobs.submit(bell_qasm, shots=2000)
            print((await job.wait()).counts)
    """

    def __init__(
        self,
        url: str | None = None,
        token: str | None = None,
        *,
        timeout: float | httpx.Timeout = 30.0,
        retries: int = 3,
        backoff: float = 0.5,
        live_updates: bool = True,
        websocket_url: str | None = None,
    ) -> None:
        self.connection = Connection.resolve(
            url, token, timeout=timeout, retries=retries, backoff=backoff,
            live_updates=live_updates, websocket_url=websocket_url,
        )  # fmt: skip
        self.url = self.connection.url
        self._http = httpx.AsyncClient(
            base_url=self.url, headers=self.connection.headers, timeout=self.connection.timeout
        )
        self.jobs = AsyncJobs(self)
        self.backends = AsyncBackends(self)
        self.sessions = AsyncSessions(self)
        self.workspaces = AsyncWorkspaces(self)
        self.projects = AsyncProjects(self)
        self.tokens = AsyncTokens(self)
        self.notifications = AsyncNotifications(self)
        self.quest = AsyncQuest(self)
        self.gamification = AsyncGamification(self)
        self.chat = AsyncChat(self)
        self.assistant = AsyncAssistant(self)

    async def _send(self, call: Call[T]) -> T:
        return await send_async(self._http, self.connection.policy, call)

    async def _each(self, page: Callable[[str | None], Call[Page[T]]]) -> AsyncIterator[T]:
        cursor: str | None = None
        while True:
            current = await self._send(page(cursor))
            for item in current.items:
                yield item
            if not current.next_cursor:
                return
            cursor = current.next_cursor

    async def me(self) -> MeRead:
        return await self._send(calls.me())

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> AsyncQDeckClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


class AsyncJobs:
    def __init__(self, client: AsyncQDeckClient) -> None:
        self._c = client

    async def submit(
        self,
        circuits: CircuitLike | Sequence[CircuitLike],
        *,
        backend: str = "aer_simulator",
        shots: int | None = None,
        name: str | None = None,
        tags: Sequence[str] | None = None,
        **fields: Any,
    ) -> AsyncJob:
        body = calls.job_body(
            circuits, backend=backend, shots=shots, name=name,
            tags=list(tags) if tags is not None else None, **fields,
        )  # fmt: skip
        return AsyncJob(self._c, await self._c._send(calls.submit_job(body)))

    async def get(self, job_id: Id) -> AsyncJob:
        return AsyncJob(self._c, await self._c._send(calls.get_job(job_id)))

    async def list(
        self,
        *,
        sort: str = "created_at",
        order: Literal["asc", "desc"] = "desc",
        limit: int = 50,
        cursor: str | None = None,
        **filters: Unpack[JobFilters],
    ) -> Page[JobRead]:
        call = calls.list_jobs(filters, sort=sort, order=order, limit=limit, cursor=cursor)
        return await self._c._send(call)

    def iter(
        self,
        *,
        sort: str = "created_at",
        order: Literal["asc", "desc"] = "desc",
        page_size: int = PAGE,
        **filters: Unpack[JobFilters],
    ) -> AsyncIterator[JobRead]:
        """``async for job in qd.jobs.iter(tag="noisy")``: pages fetched as needed."""
        return self._c._each(
            lambda cursor: calls.list_jobs(
                filters, sort=sort, order=order, limit=page_size, cursor=cursor
            )
        )

    async def wait(
        self,
        job_id: Id,
        *,
        on_progress: ProgressCallback | None = None,
    ) -> JobResult:
        """Follow the job until it finishes and return its result, like ``QDeckClient``'s.

        Bound it with ``async with asyncio.timeout(s):``; cancelling the wait leaves the job
        running on the server.
        """
        tracker = Tracker(str(job_id), on_progress)
        current = await self._c._send(calls.get_job(job_id))
        if tracker.job(current, "rest"):
            return result_of(current)
        detail, via = await follow_async(
            lambda: self._c._send(calls.get_job(job_id)),
            tracker,
            Deadline(str(job_id), None),
            self._c.connection.websocket_url,
            self._c.connection.auth_headers,
        )
        return result_of(detail, via)

    async def result(self, job_id: Id) -> JobResult:
        return result_of(await self._c._send(calls.get_job(job_id)))

    async def update(self, job_id: Id, **changes: Any) -> JobRead:
        return await self._c._send(calls.update_job(job_id, JobUpdate(**changes)))

    async def cancel(self, job_id: Id) -> JobRead:
        return await self._c._send(calls.cancel_job(job_id))

    async def cancel_many(
        self, ids: Sequence[Id] | None = None, **filters: Unpack[JobFilters]
    ) -> BulkCancelResult:
        return await self._c._send(calls.cancel_jobs(ids, filters))

    async def retry(self, job_id: Id) -> AsyncJob:
        return AsyncJob(self._c, await self._c._send(calls.retry_job(job_id)))

    async def events(self, job_id: Id) -> list[JobEventRead]:
        return await self._c._send(calls.job_events(job_id))

    async def export(
        self,
        job_id: Id | None = None,
        *,
        format: ExportFormat = "json",
        **filters: Unpack[JobFilters],
    ) -> str:
        if job_id is not None:
            return await self._c._send(calls.export_job(job_id, format))
        return await self._c._send(calls.export_jobs(filters, format))
