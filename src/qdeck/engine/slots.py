"""What the runners have in common: a queue of reports, and (for the local and Ray
runners) a fixed set of warm slots that each run one job at a time."""

from __future__ import annotations

import asyncio
from typing import Any, Protocol

from qdeck.engine.runner import RunnerMessage, RunRequest


class ReportQueue:
    """Reports from the runner's threads or tasks, read by the scheduler."""

    def __init__(self) -> None:
        self._messages: asyncio.Queue[RunnerMessage] = asyncio.Queue()

    def _report(self, message: RunnerMessage) -> None:
        self._messages.put_nowait(message)

    async def next_message(self) -> RunnerMessage:
        return await self._messages.get()

    def pending_messages(self) -> list[RunnerMessage]:
        messages = []
        while not self._messages.empty():
            messages.append(self._messages.get_nowait())
        return messages


class Slot(Protocol):
    ready: bool
    job: RunRequest | None
    affinity: str | None
    pid: int | None


class SlotPool(ReportQueue):
    """A fixed number of warm slots (worker processes or Ray actors), one job each."""

    name = "slots"

    def __init__(self) -> None:
        super().__init__()
        self._slots: list[Any] = []

    def free_slots(self) -> int:
        return sum(1 for slot in self._slots if slot.ready and slot.job is None)

    async def wait_ready(self, limit_seconds: float = 120.0) -> None:
        """Wait until every slot has warmed up (tests and benchmarks start here)."""
        deadline = asyncio.get_running_loop().time() + limit_seconds
        while not all(slot.ready for slot in self._slots):
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"{self.name} workers did not become ready")
            await asyncio.sleep(0.05)

    def status(self) -> dict[str, Any]:
        busy = sum(1 for slot in self._slots if slot.job is not None)
        ready = sum(1 for slot in self._slots if slot.ready)
        return {
            "runner": self.name,
            "workers": len(self._slots),
            "busy": busy,
            "idle": ready - busy,
        }

    def worker_pids(self) -> dict[str, int]:
        """Job id -> pid of the process running it (for crash tests and diagnostics)."""
        return {s.job.job_id: s.pid for s in self._slots if s.job is not None and s.pid}

    def _pick(self, affinity: str | None) -> Any:
        """A free slot, preferring the one that last ran a job with the same affinity."""
        free = [slot for slot in self._slots if slot.ready and slot.job is None]
        if not free:
            return None
        if affinity is not None:
            for slot in free:
                if slot.affinity == affinity:
                    return slot
        return free[0]

    def _claim_slot(self, request: RunRequest) -> Any:
        slot = self._pick(request.affinity)
        if slot is None:
            raise RuntimeError("no free worker; check free_slots() first")
        slot.job = request
        slot.affinity = request.affinity
        return slot
