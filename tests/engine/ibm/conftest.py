"""Shared pieces for the IBM adapter tests: specs, a fast runner, and instrumented factories.

Everything runs through qiskit-ibm-runtime's local testing mode (fake devices, no network).
Local jobs finish in milliseconds, so :class:`HeldJob` stands in for IBM's queue: it wraps
a real local job and reports ``QUEUED`` until released, which is what makes cancelling
and attaching to a not-yet-finished job testable.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
import structlog

from qdeck.engine.ibm import IbmCredentials, IbmRuntimeRunner, PollPolicy, ServiceCache
from qdeck.engine.ibm.execution import runtime_primitive
from qdeck.engine.runner import RunnerMessage

# SamplerV2/EstimatorV2 are deprecated since qiskit-ibm-runtime 0.50; the warning names the
# caller's module, so the project-wide filter for qiskit_ibm_runtime.* does not catch it.
# The local service builds every fake device to find one; fake_nighthawk warns when built.
QUIET_RUNTIME_WARNINGS = [
    pytest.mark.filterwarnings(
        r"ignore:The (Sampler|Estimator)V2 class is deprecated:DeprecationWarning"
    ),
    pytest.mark.filterwarnings(r"ignore:Properties of fake_nighthawk:UserWarning"),
]
FAST_POLL = PollPolicy(first_seconds=0.02, longest_seconds=0.1, growth=1.5, max_failures=3)
BELL = (
    'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\ncreg c[2];\n'
    "h q[0];\ncx q[0],q[1];\nmeasure q -> c;\n"
)
DEVICE = "fake_manila"


def sampler_spec(source: str = BELL, backend: str = DEVICE, **extra: Any) -> dict:
    return {
        "primitive": "sampler",
        "backend": backend,
        "circuits": [{"format": "qasm2", "source": source}],
        **extra,
    }


def estimator_spec(observables: list, source: str = BELL, **extra: Any) -> dict:
    return {
        "primitive": "estimator",
        "backend": DEVICE,
        "circuits": [{"format": "qasm2", "source": source, "observables": observables}],
        **extra,
    }


class HeldJob:
    """A real local job that looks queued at IBM until ``release()``."""

    def __init__(self, job: Any, status: str | None = None) -> None:
        self.job = job
        self.released = threading.Event()
        self.cancel_calls = 0
        self.forced_status = status

    def job_id(self) -> str:
        return self.job.job_id()

    def status(self) -> str:
        if self.forced_status is not None:
            return self.forced_status
        if self.cancel_calls:
            return "CANCELLED"
        return self.job.status().name if self.released.is_set() else "QUEUED"

    def release(self) -> None:
        self.released.set()

    def cancel(self) -> None:
        self.cancel_calls += 1

    def result(self) -> Any:
        return self.job.result()

    def usage(self) -> float:
        return self.job.usage()

    @property
    def inputs(self) -> Any:
        return self.job.inputs


class CountingFactory:
    """A primitive factory that counts submissions and keeps every job it returned."""

    def __init__(self, hold: bool = False, status: str | None = None) -> None:
        self.hold = hold
        self.status = status
        self.calls: list[tuple[str, Any, dict]] = []
        self.jobs: dict[str, Any] = {}

    def __call__(self, primitive: str, mode: Any, options: dict) -> Any:
        self.calls.append((primitive, mode, options))
        real = runtime_primitive(primitive, mode, options)
        factory = self

        class _Primitive:
            def run(self, pubs: list) -> Any:
                job = real.run(pubs)
                if factory.hold or factory.status:
                    job = HeldJob(job, factory.status)
                factory.jobs[job.job_id()] = job
                return job

        return _Primitive()

    def lookup(self, service: Any, remote_job_id: str) -> Any:
        return self.jobs[remote_job_id]


@pytest.fixture
def local() -> IbmCredentials:
    return IbmCredentials.local()


@pytest.fixture
async def runner():
    runner = IbmRuntimeRunner(services=ServiceCache(), poll=FAST_POLL)
    await runner.start()
    yield runner
    await runner.stop()


# Generous: a local job takes well under a second, but CI machines can be slow.
MESSAGE_WAIT_SECONDS = 30.0


async def messages_until_final(runner: IbmRuntimeRunner, job_id: str) -> list[RunnerMessage]:
    """Every message for ``job_id`` up to and including its result or error."""
    collected: list[RunnerMessage] = []
    async with asyncio.timeout(MESSAGE_WAIT_SECONDS):
        while True:
            message = await runner.next_message()
            if message.job_id != job_id:
                continue
            collected.append(message)
            if message.kind in ("result", "error"):
                return collected


async def first_remote_id(runner: IbmRuntimeRunner, job_id: str) -> str:
    async with asyncio.timeout(MESSAGE_WAIT_SECONDS):
        while True:
            message = await runner.next_message()
            if message.job_id == job_id and message.result and "remote_job_id" in message.result:
                return message.result["remote_job_id"]
            assert message.kind == "phase", message


@pytest.fixture(autouse=True)
def _every_log_level():
    """These tests read what the adapter logs; an app started by an earlier test may have
    configured structlog to drop info lines, so start from structlog's defaults."""
    structlog.reset_defaults()
    yield
    structlog.reset_defaults()
