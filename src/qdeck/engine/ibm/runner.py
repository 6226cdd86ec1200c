"""The IBM Quantum runner: jobs on real devices through qiskit-ibm-runtime primitives.

Credentials never travel in the job spec (specs are stored); the scheduler passes them
with :meth:`IbmRuntimeRunner.submit_ibm`. Each job gets a daemon thread, so nothing blocks
the event loop: it validates and transpiles (phase ``transpiling``), submits with
``SamplerV2``/``EstimatorV2`` (phase ``executing``), polls the remote job with backoff,
converts the result (phase ``post_processing``) and reports it.

The remote job id message. Right after submission (and after ``attach``) the runner emits::

    RunnerMessage("phase", job_id, attempt, phase="executing",
                  result={"remote_job_id": "...", "remote_status": "QUEUED", "backend": "..."})

and again, with the same ``remote_job_id``, whenever IBM's status changes (``QUEUED`` ->
``RUNNING``). Persist ``remote_job_id``: after a qdeck restart, or a transient error while
following (its error dict carries ``remote_job_id`` too), pass it back through
``submit_ibm(..., remote_job_id=...)`` or :meth:`attach`, which follow the existing job
instead of submitting (and paying for) a new one.

``stop()`` stops following but leaves remote jobs running, so they can be attached to;
only ``cancel(job_id)`` cancels at IBM.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import structlog

from qdeck.engine.runner import RunnerMessage, RunRequest
from qdeck.engine.slots import ReportQueue
from qdeck.jobs.status import JobPhase

from .connection import IbmCredentials, ServiceCache, default_services, resolve_backend
from .errors import MissingCredentialsError, RemoteJobCancelled, describe_ibm_error
from .execution import (
    AffinityMode,
    ExecutionModes,
    JobLookup,
    PollPolicy,
    PrimitiveFactory,
    cancel_quietly,
    runtime_primitive,
    service_job,
    status_or_none,
    usage_seconds,
    wait_until_final,
)
from .jobs import choose_seeds, prepare_ibm_job, runtime_pubs, transpile_for
from .results import build_result, circuits_from_inputs

log = structlog.get_logger("qdeck.ibm")


@dataclass
class _Tracked:
    request: RunRequest
    credentials: IbmCredentials
    stop: threading.Event = field(default_factory=threading.Event)
    # Set by cancel() and stop(): nothing more is reported for this job.
    muted: bool = False
    phase: str = JobPhase.TRANSPILING
    remote_job: Any = None
    remote_job_id: str | None = None


class IbmRuntimeRunner(ReportQueue):
    name = "ibm"

    def __init__(
        self,
        *,
        max_jobs: int = 32,
        services: ServiceCache | None = None,
        primitive_factory: PrimitiveFactory = runtime_primitive,
        job_lookup: JobLookup = service_job,
        poll: PollPolicy | None = None,
        affinity_mode: AffinityMode = "batch",
    ) -> None:
        super().__init__()
        # Jobs mostly wait in IBM's queue; a slot is one mostly sleeping thread.
        self.max_jobs = max(1, max_jobs)
        self.services = services if services is not None else default_services()
        self.primitive_factory = primitive_factory
        self.job_lookup = job_lookup
        self.poll = poll or PollPolicy()
        self.modes = ExecutionModes(affinity_mode)
        self._jobs: dict[str, _Tracked] = {}
        self._threads: list[threading.Thread] = []
        self._loop: asyncio.AbstractEventLoop | None = None

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()

    async def stop(self) -> None:
        """Stop following; remote jobs keep running at IBM (see ``attach``)."""
        for tracked in self._jobs.values():
            tracked.muted = True
            tracked.stop.set()
        self._jobs.clear()
        threads, self._threads = self._threads, []
        await asyncio.to_thread(_join_all, threads)
        await asyncio.to_thread(self.modes.close)

    def free_slots(self) -> int:
        return self.max_jobs - len(self._jobs)

    async def submit(self, request: RunRequest) -> None:
        _required(None)

    async def submit_ibm(
        self,
        request: RunRequest,
        credentials: IbmCredentials | None,
        *,
        remote_job_id: str | None = None,
    ) -> None:
        """Run ``request`` at IBM; with ``remote_job_id``, follow that job instead."""
        if remote_job_id is not None:
            await self.attach(request, credentials, remote_job_id)
            return
        self._begin(_Tracked(request, _required(credentials)), None)

    async def attach(
        self, request: RunRequest, credentials: IbmCredentials | None, remote_job_id: str
    ) -> None:
        """Follow an already submitted remote job (after a restart) without resubmitting."""
        tracked = _Tracked(request, _required(credentials), phase=JobPhase.EXECUTING)
        tracked.remote_job_id = remote_job_id
        self._begin(tracked, remote_job_id)

    async def cancel(self, job_id: str) -> bool:
        tracked = self._jobs.pop(job_id, None)
        if tracked is None:
            return False
        tracked.muted = True
        tracked.stop.set()
        # If the thread is still submitting, it sees ``stop`` and cancels what it submitted.
        if tracked.remote_job is not None:
            await asyncio.to_thread(cancel_quietly, tracked.remote_job, job_id)
        return True

    async def close_affinity(self, affinity: str) -> None:
        """Close the IBM batch used for ``affinity`` (when its qdeck session ends)."""
        await asyncio.to_thread(self.modes.close, affinity)

    def status(self) -> dict[str, Any]:
        phases: dict[str, int] = {}
        for tracked in self._jobs.values():
            phases[tracked.phase] = phases.get(tracked.phase, 0) + 1
        return {
            "runner": self.name,
            "workers": self.max_jobs,
            "busy": len(self._jobs),
            "idle": self.free_slots(),
            "phases": phases,
        }

    def worker_pids(self) -> dict[str, int]:
        return {}  # no local processes: the work happens at IBM

    def remote_job_ids(self) -> dict[str, str]:
        """qdeck job id -> IBM job id, for every job being followed."""
        return {j: t.remote_job_id for j, t in self._jobs.items() if t.remote_job_id}

    # -- the loop side -------------------------------------------------------------------

    def _begin(self, tracked: _Tracked, remote_job_id: str | None) -> None:
        job_id = tracked.request.job_id
        if job_id in self._jobs:
            raise RuntimeError(f"job {job_id} is already running here; cancel it first")
        if self.free_slots() <= 0:
            raise RuntimeError("no free slot; check free_slots() first")
        self._loop = self._loop or asyncio.get_running_loop()
        self._jobs[job_id] = tracked
        thread = threading.Thread(
            target=self._run, args=(tracked, remote_job_id), name=f"qdeck-ibm-{job_id}"
        )
        thread.daemon = True  # a hung HTTP call must not keep the server from exiting
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()

    def _deliver(self, tracked: _Tracked, message: RunnerMessage, final: bool) -> None:
        if tracked.muted:
            return  # cancelled or stopped: the scheduler expects nothing more
        if final and self._jobs.get(tracked.request.job_id) is tracked:
            del self._jobs[tracked.request.job_id]
        self._report(message)

    # -- the thread side -----------------------------------------------------------------

    def _post(self, tracked: _Tracked, final: bool = False, **fields: Any) -> None:
        request = tracked.request
        message = RunnerMessage(job_id=request.job_id, attempt=request.attempt, **fields)
        loop = self._loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed while shutting down
                loop.call_soon_threadsafe(self._deliver, tracked, message, final)

    def _phase(self, tracked: _Tracked, phase: str, result: dict | None = None) -> None:
        tracked.phase = phase
        self._post(tracked, kind="phase", phase=phase, result=result)

    def _run(self, tracked: _Tracked, remote_job_id: str | None) -> None:
        try:
            self._execute(tracked, remote_job_id)
        except Exception as exc:
            self._fail(tracked, exc)

    def _execute(self, tracked: _Tracked, attach_id: str | None) -> None:
        request, credentials = tracked.request, tracked.credentials
        started = time.perf_counter()
        service = self.services.get(credentials)
        backend = resolve_backend(service, credentials, request.spec.get("backend"))
        job = prepare_ibm_job(request.spec, backend, request.limits or None)
        prepared = time.perf_counter()
        seeds = choose_seeds(job.seed, credentials.is_local)
        if attach_id is None:
            self._phase(tracked, JobPhase.TRANSPILING)
            isa = transpile_for(backend, job, seeds["transpiler"])
            transpiled = time.perf_counter()
            if tracked.stop.is_set():
                return
            self._phase(tracked, JobPhase.EXECUTING)
            remote = self._submit_remote(tracked, backend, job, isa, seeds)
        else:
            transpiled = prepared
            remote = self.job_lookup(service, attach_id)
            isa = circuits_from_inputs(remote, len(job.pubs))
        tracked.remote_job, tracked.remote_job_id = remote, str(remote.job_id())
        if tracked.stop.is_set():  # cancelled while submitting
            cancel_quietly(remote, request.job_id)
            return
        log.info(
            "ibm_job_following",
            job_id=request.job_id,
            remote_job_id=tracked.remote_job_id,
            backend=backend.name,
            attached=attach_id is not None,
        )
        known = status_or_none(remote)
        self._report_remote(tracked, backend.name, known)
        final = wait_until_final(
            remote,
            tracked.stop,
            self.poll,
            on_change=lambda status: self._report_remote(tracked, backend.name, status),
            known=known,
        )
        if final is None:
            return
        if final == "CANCELLED":
            raise RemoteJobCancelled("the job was cancelled on IBM Quantum, outside qdeck")
        primitive_result = remote.result()  # raises IBM's failure when final == "ERROR"
        executed = time.perf_counter()
        self._phase(tracked, JobPhase.POST_PROCESSING)
        result = build_result(
            job,
            isa,
            primitive_result,
            backend_name=str(backend.name),
            remote_job_id=tracked.remote_job_id,
            local=credentials.is_local,
            seeds=seeds,
            timing={
                "prepare_seconds": prepared - started,
                "transpile_seconds": transpiled - prepared,
                "execute_seconds": executed - transpiled,
                "post_process_seconds": time.perf_counter() - executed,
                "usage_seconds": usage_seconds(remote),
            },
        )
        self._post(tracked, final=True, kind="result", result=result)

    def _submit_remote(self, tracked: _Tracked, backend: Any, job: Any, isa, seeds) -> Any:
        options: dict[str, Any] = {"default_shots": job.shots}
        if seeds["simulator"] is not None:
            options["simulator"] = {"seed_simulator": seeds["simulator"]}
        account = tracked.credentials.cache_key
        mode = self.modes.mode_for(backend, tracked.request.affinity, account)
        primitive = self.primitive_factory(job.primitive, mode, options)
        try:
            return primitive.run(runtime_pubs(job, isa))
        except Exception:
            if mode is not backend:
                self.modes.discard(mode)  # a closed or expired batch: start a new one next time
            raise

    def _report_remote(self, tracked: _Tracked, backend_name: str, status: str | None) -> None:
        info = {
            "remote_job_id": tracked.remote_job_id,
            "remote_status": status,
            "backend": backend_name,
        }
        self._phase(tracked, JobPhase.EXECUTING, result=info)

    def _fail(self, tracked: _Tracked, exc: Exception) -> None:
        credentials = tracked.credentials
        error = describe_ibm_error(exc, phase=tracked.phase, secrets=credentials.secrets())
        if tracked.remote_job_id:
            error["remote_job_id"] = tracked.remote_job_id
        if error["code"] == "ibm_auth_failed":
            self.services.forget(credentials)
        log.warning(
            "ibm_job_failed",
            job_id=tracked.request.job_id,
            code=error["code"],
            transient=error["transient"],
            remote_job_id=tracked.remote_job_id,
        )
        self._post(tracked, final=True, kind="error", error=error)


def _required(credentials: IbmCredentials | None) -> IbmCredentials:
    if credentials is None:
        raise MissingCredentialsError(
            "IBM Quantum jobs need credentials: call submit_ibm(request, credentials)"
        )
    return credentials


def _join_all(threads: list[threading.Thread], budget_seconds: float = 5.0) -> None:
    """Wait a little for followers to notice ``stop``; one stuck in an HTTP call is a
    daemon thread and is left behind rather than holding up shutdown."""
    deadline = time.monotonic() + budget_seconds
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
