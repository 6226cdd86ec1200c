from __future__ import annotations

from enum import StrEnum


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    CANCELLING = "cancelling"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def is_final(self) -> bool:
        return self in FINAL_STATUSES


FINAL_STATUSES = frozenset({JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED})


class JobPhase(StrEnum):
    """Sub-phases of a running job."""

    TRANSPILING = "transpiling"
    EXECUTING = "executing"
    POST_PROCESSING = "post_processing"


class Primitive(StrEnum):
    SAMPLER = "sampler"
    ESTIMATOR = "estimator"


class EventOrigin(StrEnum):
    """Who caused a job event: the audit trail answers "why did this change?"."""

    USER = "user"
    ENGINE = "engine"
    SCHEDULER = "scheduler"
    REMOTE = "remote"
    SYSTEM = "system"
