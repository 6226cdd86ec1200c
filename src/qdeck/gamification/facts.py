"""Facts: what the awarding code reads, whether it comes from a live event or from history.

The live consumer and the backfill both turn stored records (a job row, a level's
progress, a lesson completion, a scored challenge attempt) into the same ``Fact``, so
the two paths award exactly the same thing under the same ledger key.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from qdeck.gamification.rules import backend_kind, circuit_fingerprint
from qdeck.jobs.models import Job


@dataclass(frozen=True)
class Fact:
    kind: str  # "job" | "level" | "lesson" | "quest_challenge"
    user_id: uuid.UUID
    # The ledger's source: stable across replays and backfills.
    source: str
    at: datetime
    workspace_id: uuid.UUID | None = None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class JobFacts:
    """What the job rules look at, read from the job row."""

    status: str
    backend: str
    backend_kind: str
    primitive: str
    shots: int | None
    num_qubits: int
    submitted_at: datetime
    finished_at: datetime
    circuit_hash: str
    counts: dict[str, int] | None


def job_fact(job: Job) -> Fact | None:
    if job.submitted_by is None or job.finished_at is None:
        return None
    shots = job.shots if job.shots is not None else (job.spec or {}).get("shots")
    facts = JobFacts(
        status=job.status.value,
        backend=job.backend,
        backend_kind=backend_kind(job.backend),
        primitive=job.primitive.value,
        shots=shots,
        num_qubits=job.num_qubits,
        submitted_at=job.created_at,
        finished_at=job.finished_at,
        circuit_hash=circuit_fingerprint(job.spec or {}),
        counts=_first_counts(job.result),
    )
    return Fact(
        kind="job",
        user_id=job.submitted_by,
        source=f"job:{job.id}",
        at=job.finished_at,
        workspace_id=job.workspace_id,
        details={"job": facts, "job_id": job.id},
    )


def level_fact(user_id: uuid.UUID, level_key: str, lesson_key: str, stars: int, at) -> Fact:
    return Fact(
        kind="level",
        user_id=user_id,
        source=f"level:{level_key}",
        at=at,
        details={"stars": int(stars), "lesson_key": lesson_key, "level_key": level_key},
    )


def lesson_fact(user_id: uuid.UUID, lesson_key: str, at) -> Fact:
    return Fact(
        kind="lesson",
        user_id=user_id,
        source=f"lesson:{lesson_key}",
        at=at,
        details={"lesson_key": lesson_key},
    )


def quest_challenge_fact(
    user_id: uuid.UUID, attempt_id: str, challenge_key: str, score: float | None, at
) -> Fact:
    # The first scored attempt of each challenge earns; trying again earns nothing more.
    return Fact(
        kind="quest_challenge",
        user_id=user_id,
        source=f"quest-challenge:{challenge_key}",
        at=at,
        details={"challenge_key": challenge_key, "score": score, "attempt_id": attempt_id},
    )


def _first_counts(result: dict[str, Any] | None) -> dict[str, int] | None:
    try:
        counts = result["pubs"][0]["data"][0]["counts"]  # type: ignore[index]
    except (KeyError, IndexError, TypeError):
        return None
    return counts if isinstance(counts, dict) else None


def ghz_fidelity(counts: dict[str, int] | None, min_qubits: int) -> float:
    """Hellinger fidelity of measured counts to the ideal GHZ distribution on as many
    qubits as were measured (half all zeros, half all ones); 0 below ``min_qubits``."""
    if not counts:
        return 0.0
    width = len(next(iter(counts)))
    total = sum(counts.values())
    if width < min_qubits or total <= 0:
        return 0.0
    zeros = counts.get("0" * width, 0) / total
    ones = counts.get("1" * width, 0) / total
    return (math.sqrt(0.5 * zeros) + math.sqrt(0.5 * ones)) ** 2
