"""Execution targets: where a job on a given backend runs, declared by whoever provides it.

A target names the backends it serves, the runner that executes them, whether a job it
ran can be re-attached after the server following it died (its work lives elsewhere and
has a remote id), what it needs before a job may start (``admit``, e.g. the submitter's
IBM Quantum credentials) and how a claimed job is handed to its runner (``start``).

The scheduler only asks the registry: "which target runs backend X?", "can this job be
re-attached?", "which runners are there?". It knows no target by name, so a new kind of
device is a new target registered at start-up, not an edit of the scheduler. Runners stay
pure adapters behind :class:`~qdeck.engine.runner.Runner`; a target is the thin piece that
may look at the database (credentials) on the runner's behalf.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.engine import AER_SIMULATOR, default_catalog
from qdeck.engine.runner import Runner, RunRequest
from qdeck.jobs.models import Job


@dataclass(frozen=True)
class Admission:
    """A target's answer to "may this job start now?": a grant for ``start``, or why not."""

    grant: Any = None
    refusal_code: str | None = None
    refusal_message: str | None = None

    @property
    def refused(self) -> bool:
        return self.refusal_code is not None

    @classmethod
    def refuse(cls, code: str, message: str) -> Admission:
        return cls(refusal_code=code, refusal_message=message)


ADMITTED = Admission()


class ExecutionTarget(Protocol):
    name: str
    runner: Runner
    # True when a job survives its server: it runs elsewhere and can be followed again by
    # its remote job id instead of being run a second time.
    reattachable: bool

    def serves(self, backend: str) -> bool: ...

    async def admit(self, session: AsyncSession, job: Job) -> Admission:
        """Checked while claiming: a refusal fails the job with the refusal's code."""
        ...

    async def start(
        self, request: RunRequest, grant: Any, *, remote_job_id: str | None = None
    ) -> None:
        """Hand a claimed job to the runner; with ``remote_job_id``, follow that job."""
        ...


@dataclass
class SimulatorTarget:
    """Backends qdeck simulates itself, on whichever runner the server uses (its own
    worker processes, or Ray actors when ``QDECK_RAY_ADDRESS`` is set). A job lost with
    its server is simply run again, so nothing is re-attached."""

    name: str
    runner: Runner
    backends: Callable[[str], bool]
    reattachable: bool = False

    def serves(self, backend: str) -> bool:
        return self.backends(backend)

    async def admit(self, session: AsyncSession, job: Job) -> Admission:
        return ADMITTED

    async def start(
        self, request: RunRequest, grant: Any, *, remote_job_id: str | None = None
    ) -> None:
        await self.runner.submit(request)


def simulator_targets(runner: Runner) -> list[SimulatorTarget]:
    """The ideal Aer simulator and every fake device, both run by ``runner``."""
    catalog = default_catalog()
    return [
        SimulatorTarget("aer_ideal", runner, lambda backend: backend == AER_SIMULATOR),
        SimulatorTarget(
            "fake_devices",
            runner,
            lambda backend: backend != AER_SIMULATOR and catalog.has(backend),
        ),
    ]


class DuplicateTarget(ValueError):
    pass


class TargetRegistry:
    """The targets of one server, asked in the order they were registered."""

    def __init__(self, targets: Iterable[ExecutionTarget] = ()) -> None:
        self._targets: list[ExecutionTarget] = []
        for target in targets:
            self.register(target)

    def register(self, target: ExecutionTarget) -> None:
        if any(t.name == target.name for t in self._targets):
            raise DuplicateTarget(f"an execution target named {target.name!r} is registered")
        self._targets.append(target)

    def __iter__(self):
        return iter(self._targets)

    def target_for(self, backend: str) -> ExecutionTarget | None:
        """The first target that serves ``backend``; None leaves its jobs queued."""
        return next((t for t in self._targets if t.serves(backend)), None)

    def can_reattach(self, job: Job) -> bool:
        """True when a job whose server died is still running remotely and can be
        followed again; False when it must be requeued and run again."""
        target = self.target_for(job.backend)
        return bool(job.remote_job_id) and target is not None and target.reattachable

    @property
    def runners(self) -> list[Runner]:
        """Each runner once, however many targets share it."""
        unique: dict[int, Runner] = {}
        for target in self._targets:
            unique.setdefault(id(target.runner), target.runner)
        return list(unique.values())
