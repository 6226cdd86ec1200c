from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from qdeck.db.base import Base, CreatedAt, UUIDPrimaryKey


class Challenge(UUIDPrimaryKey, CreatedAt, Base):
    __tablename__ = "challenges"

    key: Mapped[str] = mapped_column(String(64), unique=True)
    level: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # How an attempt is graded, e.g. target state, allowed gates, qubit count.
    spec: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    points: Mapped[int] = mapped_column(Integer, default=0)
    is_advanced: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (Index("ix_challenges_level", "level"),)


class ChallengeAttempt(UUIDPrimaryKey, CreatedAt, Base):
    __tablename__ = "challenge_attempts"

    challenge_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    circuit: Mapped[str] = mapped_column(Text)
    fidelity: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool] = mapped_column(Boolean, default=False)
    score: Mapped[int] = mapped_column(Integer, default=0)
    feedback: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        Index("ix_challenge_attempts_user_created", "user_id", "created_at"),
        Index("ix_challenge_attempts_leaderboard", "challenge_id", "passed", "score"),
    )
