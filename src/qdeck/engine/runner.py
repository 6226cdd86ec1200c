"""The Runner protocol: how the scheduler hands jobs to whatever executes them.

Runners are pure adapters. They take a job id, an attempt number and a JSON spec, and
report back phase changes, a result or an error as ``RunnerMessage``s. They know nothing
of databases or web frameworks; the attempt number travels with every message so the
scheduler can ignore a stale report from an attempt it has already given up on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

MessageKind = Literal["phase", "result", "error", "lost"]


@dataclass(frozen=True)
class RunRequest:
    job_id: str
    attempt: int
    spec: dict[str, Any]
    limits: dict[str, int] = field(default_factory=dict)
    # Jobs with the same affinity (a quantum session) prefer the worker that ran the last one.
    affinity: str | None = None


@dataclass(frozen=True)
class RunnerMessage:
    kind: MessageKind
    job_id: str
    attempt: int
    phase: str | None = None
    result: dict[str, Any] | None = None
    # {"code", "message", "phase", "transient"} for "error" and "lost".
    error: dict[str, Any] | None = None


class Runner(Protocol):
    name: str

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    def free_slots(self) -> int:
        """How many more jobs could start right now."""
        ...

    async def submit(self, request: RunRequest) -> None: ...

    async def cancel(self, job_id: str) -> bool:
        """Stop the job's computation for real; True if it was running here."""
        ...

    async def next_message(self) -> RunnerMessage:
        """Wait for the next report."""
        ...

    def pending_messages(self) -> list[RunnerMessage]:
        """Every report already waiting, without waiting for more."""
        ...

    def status(self) -> dict[str, Any]:
        """Workers busy and idle, for the dashboard."""
        ...
