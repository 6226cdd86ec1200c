"""The Ray runner: warm worker actors on a Ray cluster, killed to cancel.

Each of the ``workers`` slots keeps one actor that warms the backends once and runs one job
at a time through the local workers' own ``run_one``, so results and errors are identical.

Phases: the actor has two threads. ``run`` executes the job and appends each phase to a
per-attempt log; meanwhile the driver keeps one long-poll, ``phases_after``, waiting in the
other thread, which returns the moment the log grows or the job ends. Phases thus arrive
within milliseconds without busy polling, and with no extra queue actor that could fail or
back up. ``run`` returns the whole log with the outcome and the driver first sends what the
poll missed, so every phase arrives, in order, before the result.

Cancel: ``ray.kill`` ends the actor's process (the simulation stops, even inside Aer's C++
code); the slot reports nothing for that job and starts a fresh warm actor. An actor that
dies on its own mid-job is reported ``lost`` (``worker_died``, transient) so the scheduler
retries; one that dies while idle is caught by a periodic ping and replaced.

The event loop never blocks: ObjectRefs are awaited as futures; connecting and killing,
which talk to the cluster synchronously, run in threads.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
import traceback
from dataclasses import dataclass, field
from typing import Any

import ray
import structlog
from ray.exceptions import RayError

from qdeck.engine.runner import RunnerMessage, RunRequest
from qdeck.engine.slots import SlotPool
from qdeck.engine.worker import run_one

log = structlog.get_logger("qdeck.runner")

# How long a phase long-poll waits on the actor before returning empty-handed.
POLL_SECONDS = 5.0
# An idle actor is pinged this often, so one that died between jobs is replaced before a job
# is handed to it (a lost job costs a retry).
IDLE_PING_SECONDS = 10.0
PING_TIMEOUT_SECONDS = 30.0


class _JobActor:
    """Runs in a Ray worker process: warm once, then one job at a time."""

    def __init__(self, warm_backends: list[str]) -> None:
        from qdeck.engine import warm

        try:
            warm(warm_backends)
        except Exception:  # a backend that cannot warm up is reported when a job uses it
            traceback.print_exc()
        # The phase log of the current attempt; a retry on the same actor starts a new one.
        self._key: tuple[str, int] | None = None
        self._phases: list[str] = []
        self._running = False
        self._changed = threading.Condition()

    def pid(self) -> int:
        return os.getpid()

    def run(
        self, job_id: str, attempt: int, spec: dict[str, Any], limits: dict[str, int]
    ) -> tuple[tuple[Any, ...], list[str]]:
        self._mark((job_id, attempt), running=True)
        try:
            # run_one reports phases with conn.send(...); the actor stands in for the pipe.
            outcome = run_one(self, job_id, attempt, spec, limits)  # type: ignore[arg-type]
        finally:
            self._mark((job_id, attempt), running=False)
        return outcome, list(self._phases)

    def send(self, message: tuple[Any, ...]) -> None:
        with self._changed:
            self._phases.append(message[3])  # ("phase", job_id, attempt, phase)
            self._changed.notify_all()

    def phases_after(
        self, job_id: str, attempt: int, seen: int, wait_seconds: float
    ) -> tuple[list[str], bool]:
        """(phases beyond the first ``seen``, still running); waits while nothing is new.

        It may arrive before ``run`` starts (they run in separate threads), so it also
        waits while the log still belongs to the previous job."""
        key = (job_id, attempt)

        def news() -> bool:
            return self._key == key and (len(self._phases) > seen or not self._running)

        with self._changed:
            self._changed.wait_for(news, timeout=wait_seconds)
            if self._key != key:
                return [], True
            return self._phases[seen:], self._running

    def _mark(self, key: tuple[str, int], running: bool) -> None:
        with self._changed:
            if running:
                self._key, self._phases = key, []
            self._running = running
            self._changed.notify_all()


# One CPU each so Ray spreads the simulations over the cluster; two threads for the long-poll.
_RemoteJobActor = ray.remote(num_cpus=1, max_concurrency=2, max_restarts=0)(_JobActor)


@dataclass
class _Slot:
    index: int
    actor: Any = None
    pid: int | None = None
    ready: bool = False
    job: RunRequest | None = None
    affinity: str | None = None
    cancelled: set[str] = field(default_factory=set)
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None


class RayRunner(SlotPool):
    name = "ray"

    def __init__(self, address: str, workers: int, warm_backends: list[str] | None = None) -> None:
        super().__init__()
        self.address = address
        self.size = max(1, workers)
        self.warm_backends = list(warm_backends or [])

        self._stopping = False
        self._owns_connection = False

    async def start(self) -> None:
        self._stopping = False
        await asyncio.to_thread(self._connect)
        self._slots = [_Slot(index=i) for i in range(self.size)]
        for slot in self._slots:
            slot.task = asyncio.create_task(self._keep(slot), name=f"qdeck-ray-slot-{slot.index}")

    async def stop(self) -> None:
        self._stopping = True
        tasks = [slot.task for slot in self._slots if slot.task is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        actors = [slot.actor for slot in self._slots if slot.actor is not None]
        await asyncio.to_thread(_kill_all, actors)
        self._slots = []
        if self._owns_connection:
            await asyncio.to_thread(ray.shutdown)
            self._owns_connection = False

    async def submit(self, request: RunRequest) -> None:
        self._claim_slot(request).wake.set()

    async def cancel(self, job_id: str) -> bool:
        for slot in self._slots:
            if slot.job is not None and slot.job.job_id == job_id:
                slot.cancelled.add(job_id)
                await asyncio.to_thread(_kill_all, [slot.actor])
                return True
        return False

    def _connect(self) -> None:
        # Only a connection made here is ours to shut down; an embedding program may own one.
        self._owns_connection = not ray.is_initialized()
        ray.init(
            address=self.address, ignore_reinit_error=True, namespace="qdeck", log_to_driver=False
        )

    async def _keep(self, slot: _Slot) -> None:
        """Keep one warm actor in the slot: start it, serve jobs, replace it when it dies."""
        failures = 0
        while not self._stopping:
            slot.actor = _RemoteJobActor.remote(self.warm_backends)
            try:
                slot.pid = await slot.actor.pid.remote()
            except RayError as exc:
                # E.g. qdeck does not import on the node; back off rather than spin.
                failures += 1
                log.warning("ray_actor_start_failed", slot=slot.index, error=str(exc)[:500])
                await asyncio.sleep(min(30.0, 2.0**failures))
                continue
            failures = 0
            slot.ready = True
            try:
                await self._serve(slot)
            except Exception:
                # A bug here must not cost the slot for good: report the job, start afresh.
                log.exception("ray_slot_failed", slot=slot.index)
                self._orphan(slot, [])
            finally:
                slot.ready = False
            await asyncio.to_thread(_kill_all, [slot.actor])
            slot.actor, slot.pid = None, None

    async def _serve(self, slot: _Slot) -> None:
        """Run the slot's jobs until its actor is gone."""
        while True:
            try:
                # Not wait_for: on Python 3.11 it can swallow a cancel that races the event.
                async with asyncio.timeout(IDLE_PING_SECONDS):
                    await slot.wake.wait()
            except TimeoutError:
                if not await _answers(slot.actor):
                    return
                continue
            slot.wake.clear()
            job = slot.job
            if job is not None and job.job_id in slot.cancelled:
                # Cancelled before it reached the actor: no report, and the cancel killed the
                # actor, so the slot needs a new one.
                slot.job = None
                slot.cancelled.discard(job.job_id)
                return
            if job is not None and not await self._run(slot, job):
                return

    async def _run(self, slot: _Slot, request: RunRequest) -> bool:
        """Run one job on the slot's actor; False when the actor did not survive it."""
        job_id, attempt = request.job_id, request.attempt
        run = _future(slot.actor.run.remote(job_id, attempt, request.spec, request.limits))
        seen: list[str] = []
        try:
            await self._follow(slot.actor, request, run, seen)
            outcome, phases = await run
        except RayError:
            # The actor died: killed for a cancel (say nothing), or lost (the scheduler retries).
            # (``run`` itself cannot raise: run_one turns every failure into an outcome.)
            self._orphan(slot, seen)
            return False
        finally:
            run.cancel()  # a no-op once done; when stopping, drops the wait quietly
        self._phases(request, phases[len(seen) :])
        # A cancel that raced the finish killed the actor anyway: replace it after reporting.
        survived = job_id not in slot.cancelled
        slot.cancelled.discard(job_id)
        # Free the slot before announcing the outcome: whoever reads it may submit at once.
        slot.job = None
        kind, _, _, payload = outcome
        if kind == "result":
            self._put(RunnerMessage("result", job_id, attempt, result=payload))
        else:
            self._put(RunnerMessage("error", job_id, attempt, error=payload))
        return survived

    async def _follow(
        self, actor: Any, request: RunRequest, run: asyncio.Future[Any], seen: list[str]
    ) -> None:
        """Pass the job's phases on as they happen, until it ends or the actor goes."""
        running = True
        while running and not run.done():
            ref = actor.phases_after.remote(
                request.job_id, request.attempt, len(seen), POLL_SECONDS
            )
            poll = _future(ref)
            try:
                await asyncio.wait({run, poll}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                poll.cancel()  # a no-op once done; else the job ended first and ``run`` has all
            if poll.cancelled() or poll.exception() is not None:
                return  # a failed poll means the actor is going away; ``run`` tells how
            new, running = poll.result()
            seen += self._phases(request, new)

    def _orphan(self, slot: _Slot, phases: list[str]) -> None:
        """The slot's actor is gone: its job is lost unless we killed it on purpose."""
        job, slot.job = slot.job, None
        if job is not None and job.job_id not in slot.cancelled and not self._stopping:
            error = {
                "code": "worker_died",
                "message": "the worker process (Ray actor) running this job died",
                "phase": phases[-1] if phases else None,
                "transient": True,
            }
            self._put(RunnerMessage("lost", job.job_id, job.attempt, error=error))
        slot.cancelled.clear()

    def _phases(self, request: RunRequest, phases: list[str]) -> list[str]:
        for phase in phases:
            self._put(RunnerMessage("phase", request.job_id, request.attempt, phase=phase))
        return phases

    def _put(self, message: RunnerMessage) -> None:
        self._report(message)


def _future(ref: Any) -> asyncio.Future[Any]:
    return asyncio.wrap_future(ref.future())


async def _answers(actor: Any) -> bool:
    try:
        async with asyncio.timeout(PING_TIMEOUT_SECONDS):
            await _future(actor.pid.remote())
    except (RayError, TimeoutError):
        return False
    return True


def _kill_all(actors: list[Any]) -> None:
    for actor in actors:
        if actor is not None:
            with contextlib.suppress(Exception):  # already dead or the cluster is gone
                ray.kill(actor, no_restart=True)
