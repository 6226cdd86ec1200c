"""What the runner contract tests share: job specs, a reader of runner messages, waits."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import defaultdict
from typing import Any

import psutil

from qdeck.engine.runner import Runner, RunnerMessage, RunRequest
from tests.jobs.conftest import BELL, slow_circuit

# About ten seconds of dense statevector work: always still running when a test acts on it.
SLOW = slow_circuit(23, 30)
FINAL = ("result", "error", "lost")


def sampler(source: str, shots: int = 200) -> dict[str, Any]:
    return {
        "primitive": "sampler",
        "backend": "aer_simulator",
        "circuits": [{"format": "qasm2", "source": source}],
        "shots": shots,
    }


def request(spec: dict[str, Any], attempt: int = 1) -> RunRequest:
    return RunRequest(job_id=str(uuid.uuid4()), attempt=attempt, spec=spec)


def bell(attempt: int = 1) -> RunRequest:
    return request(sampler(BELL), attempt)


def slow(attempt: int = 1) -> RunRequest:
    return request(sampler(SLOW, shots=10), attempt)


class Reports:
    """Reads a runner's messages and files them by job, so a test can wait for its own.

    Messages for jobs of earlier tests (a late report of a killed job) are kept but never
    mistaken for this test's, because every test uses fresh job ids."""

    def __init__(self, runner: Runner) -> None:
        self.runner = runner
        self.by_job: dict[str, list[RunnerMessage]] = defaultdict(list)

    def of(self, job_id: str) -> list[RunnerMessage]:
        for message in self.runner.pending_messages():
            self.by_job[message.job_id].append(message)
        return self.by_job[job_id]

    async def first(
        self, job_id: str, kinds: tuple[str, ...] = FINAL, phase: str | None = None, limit=60.0
    ) -> RunnerMessage:
        """The first message for the job of one of ``kinds`` (and ``phase``, if given)."""
        deadline = time.monotonic() + limit
        while True:
            for message in self.of(job_id):
                if message.kind in kinds and (phase is None or message.phase == phase):
                    return message
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                seen = [(m.kind, m.phase) for m in self.by_job[job_id]]
                raise AssertionError(f"no {kinds} {phase or ''} for {job_id}; got {seen}")
            try:
                message = await asyncio.wait_for(self.runner.next_message(), remaining)
            except TimeoutError:
                continue
            self.by_job[message.job_id].append(message)

    async def executing(self, job_id: str) -> None:
        message = await self.first(job_id, ("phase", *FINAL), phase="executing")
        assert message.kind == "phase", message


async def settle(runner: Any, workers: int, limit: float = 60.0) -> None:
    """Wait until every worker is up and idle again (replacements included)."""
    deadline = time.monotonic() + limit
    while runner.free_slots() < workers:
        assert time.monotonic() < deadline, f"runner did not recover: {runner.status()}"
        await asyncio.sleep(0.05)


async def wait_gone(pid: int, limit: float = 15.0) -> None:
    """Wait until the process is gone (a zombie counts: it computes nothing)."""
    deadline = time.monotonic() + limit
    while True:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return
        except psutil.NoSuchProcess:
            return
        assert time.monotonic() < deadline, f"process {pid} still running"
        await asyncio.sleep(0.05)
