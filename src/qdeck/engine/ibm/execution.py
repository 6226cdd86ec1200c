"""Submitting to IBM Quantum and following a submitted job; all of it blocking, for threads.

The two places the runner touches the outside world are injectable, so tests can count or
replace them: a :data:`PrimitiveFactory` builds the ``SamplerV2``/``EstimatorV2`` that
submits, and a :data:`JobLookup` finds an existing remote job by id (for ``attach``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import structlog

from .errors import AttachUnavailable, describe_ibm_error, is_transient

log = structlog.get_logger("qdeck.ibm")

FINAL_STATUSES = frozenset({"DONE", "CANCELLED", "ERROR"})
AffinityMode = Literal["batch", "session"]
# (primitive "sampler" | "estimator", mode: backend | Batch | Session, options) -> primitive
PrimitiveFactory = Callable[[str, Any, dict[str, Any]], Any]
# (service, remote job id) -> job
JobLookup = Callable[[Any, str], Any]


def runtime_primitive(primitive: str, mode: Any, options: dict[str, Any]) -> Any:
    from qiskit_ibm_runtime import EstimatorV2, SamplerV2

    kind = SamplerV2 if primitive == "sampler" else EstimatorV2
    return kind(mode=mode, options=options)


def service_job(service: Any, remote_job_id: str) -> Any:
    if getattr(service, "is_local", False):
        # Local testing jobs are futures inside the process that made them.
        raise AttachUnavailable(
            "jobs of IBM's local testing mode live only in the process that submitted them "
            "and cannot be attached to after a restart; resubmit the job",
        )
    return service.job(remote_job_id)


def status_name(raw: Any) -> str:
    """``"DONE"`` from a runtime job's string or a local job's ``JobStatus`` enum."""
    return str(getattr(raw, "name", raw)).upper()


def status_or_none(job: Any) -> str | None:
    try:
        return status_name(job.status())
    except Exception:  # the polling that follows reports it, and tolerates blips
        return None


def usage_seconds(job: Any) -> float | None:
    """QPU seconds IBM charged (0 in local mode); None when IBM will not say."""
    try:
        return float(job.usage())
    except Exception:
        return None


def cancel_quietly(job: Any, job_id: str) -> None:
    try:
        job.cancel()
    except Exception as exc:  # already final at IBM, or IBM unreachable: nothing to undo
        log.info("ibm_cancel_failed", job_id=job_id, error=describe_ibm_error(exc)["code"])


@dataclass(frozen=True)
class PollPolicy:
    """How often to ask IBM about a job. The interval grows while nothing changes (jobs
    can wait in IBM's queue for hours) and starts over when the status moves."""

    first_seconds: float = 2.0
    longest_seconds: float = 30.0
    growth: float = 1.5
    # Transient polling failures tolerated in a row before the job is reported as failed
    # (transiently, so the scheduler can attach again).
    max_failures: int = 8


def wait_until_final(
    job: Any,
    stop: threading.Event,
    policy: PollPolicy,
    on_change: Callable[[str], None] | None = None,
    known: str | None = None,
) -> str | None:
    """Poll ``job.status()`` until it is final; ``None`` if ``stop`` was set first.

    ``known`` is the status already reported, so ``on_change`` does not repeat it.
    """
    delay, failures, last = policy.first_seconds, 0, known
    if known in FINAL_STATUSES:
        return known
    if known is not None:
        stop.wait(delay)
    while not stop.is_set():
        try:
            status = status_name(job.status())
            failures = 0
        except Exception as exc:
            failures += 1
            if not is_transient(exc) or failures > policy.max_failures:
                raise
            log.info("ibm_poll_failed", failures=failures, error=type(exc).__name__)
            status = last
        if status in FINAL_STATUSES:
            return status
        if status != last and status is not None:
            last, delay = status, policy.first_seconds
            if on_change is not None:
                on_change(status)
        else:
            delay = min(delay * policy.growth, policy.longest_seconds)
        stop.wait(delay)
    return None


@dataclass
class ExecutionModes:
    """One IBM ``Batch`` (or ``Session``) per qdeck affinity, account and device.

    qdeck's quantum sessions group jobs; a Batch is the closest IBM mode that every plan
    may use (dedicated Sessions are not available on the Open Plan), hence the default.
    """

    kind: AffinityMode = "batch"
    _open: dict[tuple[Any, ...], Any] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def mode_for(self, backend: Any, affinity: str | None, account: tuple[Any, ...]) -> Any:
        if affinity is None:
            return backend
        key = (*account, affinity, backend.name)
        with self._lock:
            if key not in self._open:
                self._open[key] = self._create(backend)
            return self._open[key]

    def discard(self, mode: Any) -> None:
        """Forget a batch that failed to take a job (closed or expired at IBM)."""
        with self._lock:
            for key in [k for k, m in self._open.items() if m is mode]:
                del self._open[key]

    def close(self, affinity: str | None = None) -> None:
        """Close the batches of ``affinity`` (all when None). Blocking: talks to IBM."""
        with self._lock:
            keys = [k for k in self._open if affinity is None or k[-2] == affinity]
            closing = [self._open.pop(k) for k in keys]
        for mode in closing:
            try:
                mode.close()
            except Exception as exc:  # already closed or expired at IBM: nothing to do
                log.info("ibm_batch_close_failed", error=type(exc).__name__)

    def __len__(self) -> int:
        with self._lock:
            return len(self._open)

    def _create(self, backend: Any) -> Any:
        from qiskit_ibm_runtime import Batch, Session

        return (Session if self.kind == "session" else Batch)(backend=backend)
