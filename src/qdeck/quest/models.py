"""Quantum Quest's records: progress per person and level, completed lessons, and the
attempts at advanced challenges. Lessons, levels and challenges themselves live in data
files (``quest/content``); rows name them by key."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from qdeck.db.base import Base, CreatedAt, Timestamps, UUIDPrimaryKey


class Challenge(UUIDPrimaryKey, CreatedAt, Base):
    """A challenge as it was when someone first attempted it: attempts keep pointing at a
    row even if a teacher later renames or removes the data file."""

    __tablename__ = "challenges"

    key: Mapped[str] = mapped_column(String(64), unique=True)
    level: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    spec: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    points: Mapped[int] = mapped_column(Integer, default=0)
    is_advanced: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (Index("ix_challenges_level", "level"),)


class ChallengeAttempt(UUIDPrimaryKey, CreatedAt, Base):
    """One circuit submitted to a challenge, run as a real job and scored when it ends."""

    __tablename__ = "challenge_attempts"

    challenge_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # The job may be deleted with its workspace; the score stays on the leaderboard.
    job_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"))
    circuit: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    score: Mapped[float | None] = mapped_column(Float)
    two_qubit_gates: Mapped[int] = mapped_column(Integer, default=0)
    feedback: Mapped[str] = mapped_column(Text, default="")
    scored_at: Mapped[datetime | None] = mapped_column()

    __table_args__ = (
        Index("ix_challenge_attempts_user_created", "user_id", "created_at"),
        Index("ix_challenge_attempts_leaderboard", "challenge_id", "status", "score"),
        Index("ix_challenge_attempts_job", "job_id"),
    )


class LevelProgress(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "quest_level_progress"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    level_key: Mapped[str] = mapped_column(String(100))
    lesson_key: Mapped[str] = mapped_column(String(100))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    best_stars: Mapped[int] = mapped_column(Integer, default=0)
    first_solved_at: Mapped[datetime | None] = mapped_column()
    seconds_spent: Mapped[int] = mapped_column(Integer, default=0)
    hints_used: Mapped[int] = mapped_column(Integer, default=0)
    last_attempt_at: Mapped[datetime | None] = mapped_column()

    __table_args__ = (
        UniqueConstraint("user_id", "level_key", name="uq_quest_level_progress_user_level"),
        Index("ix_quest_level_progress_user_updated", "user_id", "updated_at"),
    )


class LessonCompletion(UUIDPrimaryKey, CreatedAt, Base):
    """A lesson whose levels someone has all solved; the row makes the event happen once."""

    __tablename__ = "quest_lesson_completions"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    lesson_key: Mapped[str] = mapped_column(String(100))

    __table_args__ = (
        UniqueConstraint("user_id", "lesson_key", name="uq_quest_lesson_completions_user_lesson"),
    )
