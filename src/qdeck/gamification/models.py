from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from qdeck.db.base import Base, UUIDPrimaryKey
from qdeck.db.types import utcnow


class Achievement(UUIDPrimaryKey, Base):
    __tablename__ = "achievements"

    key: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    icon: Mapped[str] = mapped_column(String(64), default="")
    points: Mapped[int] = mapped_column(Integer, default=0)
    # How the achievement is earned, read by the gamification rules.
    criteria: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class UserAchievement(Base):
    __tablename__ = "user_achievements"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    achievement_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("achievements.id", ondelete="CASCADE"), primary_key=True
    )
    awarded_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_user_achievements_awarded", "achievement_id", "awarded_at"),)
