from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qdeck.db.base import Base, Timestamps, UUIDPrimaryKey
from qdeck.db.types import BigIntPK, StrEnumType, utcnow
from qdeck.jobs.status import EventOrigin, JobPhase, JobStatus, Primitive


class Job(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "jobs"

    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    project_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("projects.id", ondelete="SET NULL")
    )
    submitted_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    quantum_session_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("quantum_sessions.id", ondelete="SET NULL")
    )
    # The job this one retries; retries form a chain back to the original.
    retry_of_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("jobs.id", ondelete="SET NULL")
    )

    name: Mapped[str] = mapped_column(String(200))
    notes: Mapped[str] = mapped_column(Text, default="")
    # The job's tags as one space-separated string, kept by database triggers on
    # job_tags (migration 0003), so the text index can read name, notes and tags from
    # the job's own row. Never written by qdeck itself, so not loaded with the job.
    tags_text: Mapped[str] = mapped_column(
        Text, default="", server_default=text("''"), deferred=True
    )
    backend: Mapped[str] = mapped_column(String(100))
    primitive: Mapped[Primitive] = mapped_column(StrEnumType(Primitive))
    status: Mapped[JobStatus] = mapped_column(StrEnumType(JobStatus), default=JobStatus.QUEUED)
    phase: Mapped[JobPhase | None] = mapped_column(StrEnumType(JobPhase))
    priority: Mapped[int] = mapped_column(Integer, default=0)
    shots: Mapped[int | None]
    optimization_level: Mapped[int] = mapped_column(Integer, default=1)
    seed: Mapped[int | None]
    timeout_seconds: Mapped[int | None]
    num_circuits: Mapped[int] = mapped_column(Integer, default=1)
    num_qubits: Mapped[int] = mapped_column(Integer, default=0)

    # What the user submitted (circuits, observables, options), kept verbatim so a
    # retry or a restart can always run it again.
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error_code: Mapped[str | None] = mapped_column(String(64))
    error_message: Mapped[str | None] = mapped_column(Text)
    failed_phase: Mapped[str | None] = mapped_column(String(32))

    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # A job retried after a transient failure waits until then (backoff).
    available_at: Mapped[datetime | None]
    # Which engine process holds the job, and until when; an expired lease means the
    # holder died and the job must be recovered.
    worker_id: Mapped[str | None] = mapped_column(String(100))
    lease_expires_at: Mapped[datetime | None]
    remote_job_id: Mapped[str | None] = mapped_column(String(100))
    cancel_requested_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    tags: Mapped[list[JobTag]] = relationship(
        lazy="raise", cascade="all, delete-orphan", passive_deletes=True, order_by="JobTag.tag"
    )

    # One index per sort the jobs list offers, in its keyset order (sort key, created_at,
    # id; see jobs/repository.py), so any sort's first page is an index range read.
    # The text index is dialect-specific (FTS5 table / tsvector + GIN) and lives in
    # migration 0003; SEARCH_SCHEMA_OBJECTS tells autogenerate to leave it alone.
    __table_args__ = (
        Index("ix_jobs_workspace_created", "workspace_id", "created_at", "id"),
        Index("ix_jobs_workspace_status_created", "workspace_id", "status", "created_at", "id"),
        Index("ix_jobs_workspace_backend_created", "workspace_id", "backend", "created_at", "id"),
        Index("ix_jobs_workspace_name_created", "workspace_id", "name", "created_at", "id"),
        Index("ix_jobs_workspace_priority_created", "workspace_id", "priority", "created_at", "id"),
        Index("ix_jobs_project_created", "project_id", "created_at", "id"),
        Index("ix_jobs_submitter_created", "submitted_by", "created_at", "id"),
        # The scheduler's pick: queued jobs by priority then age.
        Index("ix_jobs_queue", "status", "priority", "created_at"),
        Index("ix_jobs_session", "quantum_session_id", "created_at"),
        Index("ix_jobs_retry_of", "retry_of_id"),
    )


# The text index's objects that no model can describe: SQLite's FTS5 virtual table with
# its shadow tables, PostgreSQL's generated tsvector column and its GIN index (all made
# by migration 0003), and the FTS5 vocabulary table searches expand prefixes with
# (migration 0007). Autogenerate leaves them alone (qdeck.db.autogenerate).
Base.metadata.info.setdefault("unmodelled", set()).update(
    {
        ("table", "jobs_fts"),
        ("table", "jobs_fts_data"),
        ("table", "jobs_fts_idx"),
        ("table", "jobs_fts_docsize"),
        ("table", "jobs_fts_config"),
        ("table", "jobs_fts_terms"),
        ("column", "jobs.search_vector"),
        ("index", "jobs.ix_jobs_search"),
    }
)


class JobTag(Base):
    """Tags in their own table so a tag filter is an index look-up on both databases."""

    __tablename__ = "job_tags"

    job_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(50), primary_key=True)
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))

    __table_args__ = (Index("ix_job_tags_workspace_tag", "workspace_id", "tag", "job_id"),)


class JobEvent(Base):
    """One status or phase change of a job: when, from what, to what, who caused it and why.

    The id is monotonic, so it doubles as the sequence number live clients resume from.
    """

    __tablename__ = "job_events"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    job_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"))
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    # The job's previous event: live clients use the chain to keep a job's events in order
    # even when they arrive from several server processes out of order.
    prev_id: Mapped[int | None] = mapped_column(BigInteger)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    from_status: Mapped[JobStatus | None] = mapped_column(StrEnumType(JobStatus))
    to_status: Mapped[JobStatus] = mapped_column(StrEnumType(JobStatus))
    phase: Mapped[JobPhase | None] = mapped_column(StrEnumType(JobPhase))
    origin: Mapped[EventOrigin] = mapped_column(StrEnumType(EventOrigin))
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    __table_args__ = (
        Index("ix_job_events_job", "job_id", "id"),
        Index("ix_job_events_workspace", "workspace_id", "id"),
    )
