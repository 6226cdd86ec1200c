"""The embedded runner: warm worker processes on this machine, killed to cancel.

Each worker is a spawned process with a pipe. A thread per worker waits on its pipe and
hands messages to the event loop, so nothing here blocks the loop. Cancelling a job kills
its worker (the simulation really stops) and starts a fresh one. A worker that dies on its
own reports its job as "lost" so the scheduler can retry it.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from qdeck.engine.runner import RunnerMessage, RunRequest
from qdeck.engine.slots import SlotPool
from qdeck.lifeline import call, spawn_context

# Workers die with the server, even on SIGKILL (qdeck/lifeline.py).
_ctx = spawn_context()


@dataclass
class _Worker:
    index: int
    process: BaseProcess
    conn: Connection
    ready: bool = False
    pid: int | None = None
    job: RunRequest | None = None
    affinity: str | None = None
    cancelled: set[str] = field(default_factory=set)


class LocalProcessRunner(SlotPool):
    name = "local"

    def __init__(self, workers: int, warm_backends: list[str] | None = None) -> None:
        super().__init__()
        self.size = max(1, workers)
        self.warm_backends = list(warm_backends or [])
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping = False
        self._lock = threading.Lock()

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopping = False
        self._slots = [self._spawn(i) for i in range(self.size)]

    async def stop(self) -> None:
        self._stopping = True
        for worker in self._slots:
            _kill(worker)
        await asyncio.to_thread(_join_all, [w.process for w in self._slots])
        self._slots = []

    async def submit(self, request: RunRequest) -> None:
        worker = self._claim_slot(request)
        worker.conn.send(("run", request.job_id, request.attempt, request.spec, request.limits))

    async def cancel(self, job_id: str) -> bool:
        for worker in self._slots:
            if worker.job is not None and worker.job.job_id == job_id:
                worker.cancelled.add(job_id)
                _kill(worker)
                return True
        return False

    def _spawn(self, index: int) -> _Worker:
        parent, child = _ctx.Pipe(duplex=True)
        # Through lifeline.call: the worker imports Qiskit only after it watches its parent.
        process = _ctx.Process(
            target=call,
            args=("qdeck.engine.worker", "worker_main", child, self.warm_backends),
            name=f"qdeck-worker-{index}",
        )
        process.daemon = True
        process.start()
        child.close()
        worker = _Worker(index=index, process=process, conn=parent)
        threading.Thread(target=self._listen, args=(worker,), daemon=True).start()
        return worker

    def _listen(self, worker: _Worker) -> None:
        """Runs in a thread: forward the worker's messages until its pipe closes."""
        while True:
            try:
                message = worker.conn.recv()
            except (EOFError, OSError):
                break
            self._call(self._on_message, worker, message)
        self._call(self._on_exit, worker)

    def _call(self, fn: Any, *args: Any) -> None:
        if self._loop is not None and not self._loop.is_closed():
            # The loop may close while shutting down.
            with contextlib.suppress(RuntimeError):
                self._loop.call_soon_threadsafe(fn, *args)

    def _on_message(self, worker: _Worker, message: tuple[Any, ...]) -> None:
        kind = message[0]
        if kind == "ready":
            worker.ready, worker.pid = True, message[1]
            return
        _, job_id, attempt, payload = message
        if kind == "phase":
            self._report(RunnerMessage("phase", job_id, attempt, phase=payload))
            return
        if worker.job is not None and worker.job.job_id == job_id:
            worker.job = None
        if kind == "result":
            self._report(RunnerMessage("result", job_id, attempt, result=payload))
        else:
            self._report(RunnerMessage("error", job_id, attempt, error=payload))

    def _on_exit(self, worker: _Worker) -> None:
        job = worker.job
        worker.job = None
        if job is not None and job.job_id not in worker.cancelled and not self._stopping:
            error = {
                "code": "worker_died",
                "message": "the worker process running this job died",
                "transient": True,
            }
            self._report(RunnerMessage("lost", job.job_id, job.attempt, error=error))
        if self._stopping or worker not in self._slots:
            return
        # Replace the dead worker so capacity stays the same.
        worker.process.join(timeout=1)
        self._slots[self._slots.index(worker)] = self._spawn(worker.index)


def _kill(worker: _Worker) -> None:
    if worker.process.is_alive():
        worker.process.kill()


def _join_all(processes: list[BaseProcess]) -> None:
    for process in processes:
        process.join(timeout=5)
