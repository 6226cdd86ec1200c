from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import Field, field_validator

from qdeck.api.names import Name
from qdeck.api.params import Instant, StrictInteger, StrictNumber
from qdeck.api.schemas import InputModel, OutputModel
from qdeck.jobs.status import EventOrigin, JobPhase, JobStatus, Primitive

CircuitFormat = Literal["qasm2", "qasm3", "qpy"]
Method = Literal["automatic", "statevector", "stabilizer", "matrix_product_state"]
TAG_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,49}$"


def clean_tags(tags: list[str]) -> list[str]:
    for tag in tags:
        if not re.fullmatch(TAG_PATTERN, tag):
            raise ValueError(
                f"tag {tag!r} must be 1-50 letters, digits or _.:- starting with a letter or digit"
            )
    return sorted(set(tags))


class CircuitIn(InputModel):
    # Omitted: detected from the OPENQASM header.
    format: CircuitFormat | None = None
    source: str = Field(min_length=1, description="OpenQASM text, or base64 QPY")
    observables: list[list[tuple[str, StrictNumber]]] | None = Field(
        default=None,
        description='Estimator only: observables as weighted Pauli strings, e.g. [[["ZZ", 1.0]]]',
    )
    parameter_values: list[list[StrictNumber]] | None = None


class JobCreate(InputModel):
    workspace_id: uuid.UUID | None = Field(
        default=None, description="Defaults to the project's workspace, else your personal one"
    )
    project_id: uuid.UUID | None = None
    session_id: uuid.UUID | None = None
    backend: str = Field(default="aer_simulator", min_length=1, max_length=100)
    primitive: Primitive = Primitive.SAMPLER
    circuits: list[CircuitIn] = Field(min_length=1)
    shots: StrictInteger | None = Field(default=None, ge=1)
    precision: StrictNumber | None = Field(default=None, gt=0, le=1)
    # Level 2 by default: level 1 keeps a trivial layout even onto a device's worst qubits.
    optimization_level: StrictInteger = Field(default=2, ge=0, le=3)
    seed: StrictInteger | None = Field(default=None, ge=0, le=2**32 - 1)
    method: Method | None = None
    name: Name = Field(default="", max_length=200)
    notes: str = Field(default="", max_length=10_000)
    tags: list[Name] = Field(default_factory=list, max_length=20)
    priority: StrictInteger = Field(default=0, ge=-10, le=10)
    timeout_seconds: StrictInteger | None = Field(default=None, ge=1, le=7 * 24 * 3600)

    @field_validator("tags")
    @classmethod
    def _tags(cls, tags: list[str]) -> list[str]:
        return clean_tags(tags)


class JobUpdate(InputModel):
    name: Name | None = Field(default=None, min_length=1, max_length=200)
    notes: str | None = Field(default=None, max_length=10_000)
    tags: list[Name] | None = Field(default=None, max_length=20)

    @field_validator("tags")
    @classmethod
    def _tags(cls, tags: list[str] | None) -> list[str] | None:
        return None if tags is None else clean_tags(tags)


class JobRead(OutputModel):
    id: uuid.UUID
    workspace_id: uuid.UUID
    project_id: uuid.UUID | None
    session_id: uuid.UUID | None
    submitted_by: uuid.UUID | None
    retry_of_id: uuid.UUID | None
    name: str
    backend: str
    primitive: Primitive
    status: JobStatus
    phase: JobPhase | None
    priority: int
    shots: int | None
    num_circuits: int
    num_qubits: int
    tags: list[str]
    attempts: int
    error_code: str | None
    error_message: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    queue_position: int | None = None


class JobEventRead(OutputModel):
    id: int
    at: datetime
    from_status: JobStatus | None
    to_status: JobStatus
    phase: JobPhase | None
    origin: EventOrigin
    actor_id: uuid.UUID | None
    reason: str
    details: dict[str, Any]


class JobDetail(JobRead):
    notes: str
    optimization_level: int
    seed: int | None
    timeout_seconds: int | None
    failed_phase: str | None
    spec: dict[str, Any]
    result: dict[str, Any] | None
    events: list[JobEventRead]
    retried_by: list[uuid.UUID] = Field(default_factory=list)


class BulkCancel(InputModel):
    ids: list[uuid.UUID] | None = Field(default=None, max_length=1000)
    filter: JobFilterIn | None = None


class JobFilterIn(InputModel):
    workspace_id: uuid.UUID | None = None
    status: list[JobStatus] | None = None
    backend: str | None = Field(default=None, max_length=100)
    project_id: uuid.UUID | None = None
    tag: str | None = Field(default=None, max_length=50)
    q: str | None = Field(default=None, max_length=200)
    created_after: Instant | None = None
    created_before: Instant | None = None
    submitted_by: uuid.UUID | None = None


BulkCancel.model_rebuild()


class BulkCancelResult(OutputModel):
    cancelled: list[uuid.UUID]
    cancelling: list[uuid.UUID]
    skipped: list[dict[str, str]]
