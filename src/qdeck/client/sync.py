"""The synchronous client: ``QDeckClient(url, token)``."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, Literal, TypeVar, Unpack

import httpx

from qdeck.api.schemas import Page
from qdeck.auth.schemas import MeRead
from qdeck.client import calls
from qdeck.client.assistant import Assistant
from qdeck.client.calls import ExportFormat, Id, JobFilters
from qdeck.client.chat import Chat
from qdeck.client.circuits import CircuitLike
from qdeck.client.connection import Connection
from qdeck.client.errors import JobError
from qdeck.client.follow import Deadline, ProgressCallback, Tracker, follow
from qdeck.client.gamification import Gamification
from qdeck.client.notifications import Notifications
from qdeck.client.quest import Quest
from qdeck.client.resources import PAGE, Backends, Projects, Sessions, Tokens, Workspaces
from qdeck.client.results import JobResult, result_of
from qdeck.client.transport import Call, send
from qdeck.jobs.schemas import BulkCancelResult, JobEventRead, JobRead, JobUpdate

T = TypeVar("T")


class Job:
    """A handle on one job. Reads its fields from the last state fetched (``info``)."""

    def __init__(self, client: QDeckClient, info: JobRead) -> None:
        self._client = client
        self.info = info

    @property
    def id(self) -> str:
        return str(self.info.id)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.__dict__["info"], name)

    def refresh(self) -> Job:
        self.info = self._client._send(calls.get_job(self.id))
        return self

    def wait(
        self, timeout: float | None = None, on_progress: ProgressCallback | None = None
    ) -> JobResult:
        """Block until the job finishes and return its result (see ``Jobs.wait``)."""
        try:
            result = self._client.jobs.wait(self.id, timeout=timeout, on_progress=on_progress)
        except JobError as exc:
            self.info = exc.job  # the final state, for callers that catch the error
            raise
        self.info = result.job
        return result

    def result(self, timeout: float | None = None) -> JobResult:
        return self.wait(timeout)

    def cancel(self) -> Job:
        self.info = self._client._send(calls.cancel_job(self.id))
        return self

    def retry(self) -> Job:
        return self._client.jobs.retry(self.id)

    def events(self) -> list[JobEventRead]:
        return self._client.jobs.events(self.id)

    def __repr__(self) -> str:
        return f"<Job {self.id} {self.info.name!r} on {self.info.backend}: {self.info.status}>"


class QDeckClient:
    """The qdeck REST API from Python.

    ``url`` and ``token`` default to ``QDECK_URL``/``QDECK_TOKEN``, then to what
    ``qdeck login`` stored. Reads are retried with backoff on connection errors and 5xx;
    job submissions only when the request provably never left (see ``transport``).

    Example::

        with QDeckClient("http://127.0.0.1:8000", token) as qd:
            job = qd.jobs.submit(open("bell.qasm").read(), backend="aer_simulator", shots=2000)
            print(job.wait().counts)
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
        self._http = httpx.Client(
            base_url=self.url, headers=self.connection.headers, timeout=self.connection.timeout
        )
        self.jobs = Jobs(self)
        self.backends = Backends(self)
        self.sessions = Sessions(self)
        self.workspaces = Workspaces(self)
        self.projects = Projects(self)
        self.tokens = Tokens(self)
        self.notifications = Notifications(self)
        self.quest = Quest(self)
        self.gamification = Gamification(self)
        self.chat = Chat(self)
        self.assistant = Assistant(self)

    def _send(self, call: Call[T]) -> T:
        return send(self._http, self.connection.policy, call)

    def _each(self, page: Callable[[str | None], Call[Page[T]]]) -> Iterator[T]:
        cursor: str | None = None
        while True:
            current = self._send(page(cursor))
            yield from current.items
            if not current.next_cursor:
                return
            cursor = current.next_cursor

    def me(self) -> MeRead:
        return self._send(calls.me())

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> QDeckClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Jobs:
    def __init__(self, client: QDeckClient) -> None:
        self._c = client

    def submit(
        self,
        circuits: CircuitLike | Sequence[CircuitLike],
        *,
        backend: str = "aer_simulator",
        shots: int | None = None,
        name: str | None = None,
        tags: Sequence[str] | None = None,
        **fields: Any,
    ) -> Job:
        """Submit one circuit or several (OpenQASM text, Qiskit circuits, or dicts).

        ``fields`` are the other ``POST /jobs`` fields: primitive, precision, seed,
        optimization_level, method, notes, priority, timeout_seconds, project_id,
        workspace_id, session_id.
        """
        body = calls.job_body(
            circuits, backend=backend, shots=shots, name=name,
            tags=list(tags) if tags is not None else None, **fields,
        )  # fmt: skip
        return Job(self._c, self._c._send(calls.submit_job(body)))

    def get(self, job_id: Id) -> Job:
        return Job(self._c, self._c._send(calls.get_job(job_id)))

    def list(
        self,
        *,
        sort: str = "created_at",
        order: Literal["asc", "desc"] = "desc",
        limit: int = 50,
        cursor: str | None = None,
        **filters: Unpack[JobFilters],
    ) -> Page[JobRead]:
        """One page; pass ``next_cursor`` back as ``cursor`` (or use ``iter``)."""
        call = calls.list_jobs(filters, sort=sort, order=order, limit=limit, cursor=cursor)
        return self._c._send(call)

    def iter(
        self,
        *,
        sort: str = "created_at",
        order: Literal["asc", "desc"] = "desc",
        page_size: int = PAGE,
        **filters: Unpack[JobFilters],
    ) -> Iterator[JobRead]:
        """Every matching job, fetching pages as the loop needs them."""
        return self._c._each(
            lambda cursor: calls.list_jobs(
                filters, sort=sort, order=order, limit=page_size, cursor=cursor
            )
        )

    def wait(
        self,
        job_id: Id,
        *,
        timeout: float | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> JobResult:
        """Follow the job (WebSocket, else polling) until it finishes; return its result.

        Raises ``JobFailed`` / ``JobCancelled`` when it ends without one, ``WaitTimeout``
        after ``timeout`` seconds (the job keeps running).
        """
        tracker = Tracker(str(job_id), on_progress)
        current = self._c._send(calls.get_job(job_id))
        if tracker.job(current, "rest"):
            return result_of(current)
        detail, via = follow(
            lambda: self._c._send(calls.get_job(job_id)),
            tracker,
            Deadline(str(job_id), timeout),
            self._c.connection.websocket_url,
            self._c.connection.auth_headers,
        )
        return result_of(detail, via)

    def result(self, job_id: Id) -> JobResult:
        """The result of a finished job (raises if it failed or is not finished)."""
        return result_of(self._c._send(calls.get_job(job_id)))

    def update(self, job_id: Id, **changes: Any) -> JobRead:
        return self._c._send(calls.update_job(job_id, JobUpdate(**changes)))

    def cancel(self, job_id: Id) -> JobRead:
        return self._c._send(calls.cancel_job(job_id))

    def cancel_many(
        self, ids: Sequence[Id] | None = None, **filters: Unpack[JobFilters]
    ) -> BulkCancelResult:
        """Cancel by ids, or every queued/running job matching the filters."""
        return self._c._send(calls.cancel_jobs(ids, filters))

    def retry(self, job_id: Id) -> Job:
        return Job(self._c, self._c._send(calls.retry_job(job_id)))

    def events(self, job_id: Id) -> list[JobEventRead]:
        return self._c._send(calls.job_events(job_id))

    def export(
        self,
        job_id: Id | None = None,
        *,
        format: ExportFormat = "json",
        **filters: Unpack[JobFilters],
    ) -> str:
        """One job (``job_id``), or the filtered list, as CSV or JSON text."""
        if job_id is not None:
            return self._c._send(calls.export_job(job_id, format))
        return self._c._send(calls.export_jobs(filters, format))
