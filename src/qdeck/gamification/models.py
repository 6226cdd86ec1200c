"""Points, achievements, streaks, challenges, leagues and leaderboards.

The ledger is the truth: every award is one ``xp_ledger`` row whose key (user, source,
rule) is unique, so a replayed event, a retried batch or a backfill adds nothing twice.
Everything else here (totals, rollups, days, counters) is maintained beside the ledger
in the same unit of work, so boards and pages read a few rows instead of scanning it.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from qdeck.db.base import Base, UUIDPrimaryKey
from qdeck.db.types import BigIntPK, utcnow

_USER = "users.id"


class XpEntry(Base):
    __tablename__ = "xp_ledger"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(_USER, ondelete="CASCADE"))
    workspace_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("workspaces.id", ondelete="SET NULL")
    )
    # What earned it, stable across replays and backfills ("job:<id>", "level:bell").
    source: Mapped[str] = mapped_column(String(160))
    rule: Mapped[str] = mapped_column(String(64))
    xp: Mapped[int] = mapped_column(Integer)
    # Why it earned less than the rule's amount (a refusal, the daily cap), else "".
    note: Mapped[str] = mapped_column(String(64), default="")
    at: Mapped[datetime] = mapped_column()

    __table_args__ = (
        UniqueConstraint("user_id", "source", "rule", name="uq_xp_ledger_key"),
        Index("ix_xp_ledger_user_at", "user_id", "at"),
    )


class XpRollup(Base):
    """XP per person per week ("w", Monday), month ("m", the 1st) and all time ("a")."""

    __tablename__ = "xp_rollups"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey(_USER, ondelete="CASCADE"), primary_key=True
    )
    period: Mapped[str] = mapped_column(String(1), primary_key=True)
    start: Mapped[date] = mapped_column(Date, primary_key=True)
    xp: Mapped[int] = mapped_column(Integer, default=0)

    # Not covering (no user_id): with it, SQLite preferred this index over the primary
    # key for one person's rollups and the progress page scanned everyone's.
    __table_args__ = (Index("ix_xp_rollups_board", "period", "start", "xp"),)


class GamificationProfile(Base):
    __tablename__ = "gamification_profiles"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey(_USER, ondelete="CASCADE"), primary_key=True
    )
    xp: Mapped[int] = mapped_column(Integer, default=0)
    level: Mapped[int] = mapped_column(Integer, default=1)
    current_streak: Mapped[int] = mapped_column(Integer, default=0)
    longest_streak: Mapped[int] = mapped_column(Integer, default=0)
    freezes: Mapped[int] = mapped_column(Integer, default=0)
    freezes_used: Mapped[int] = mapped_column(Integer, default=0)
    last_active_day: Mapped[date | None] = mapped_column(Date)
    # Boards outside one's workspaces are opt-in; hidden wins over everything.
    global_opt_in: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    league_opt_in: Mapped[bool] = mapped_column(Boolean, default=False)
    league_tier: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ActivityDay(Base):
    """One person's activity on one day of their own calendar (time zone)."""

    __tablename__ = "gamification_days"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey(_USER, ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    xp: Mapped[int] = mapped_column(Integer, default=0)
    # Counted against the daily job cap.
    job_xp: Mapped[int] = mapped_column(Integer, default=0)
    actions: Mapped[int] = mapped_column(Integer, default=0)


class Counter(Base):
    """Counted facts achievements read ("jobs_completed" = 73) and topic skill XP."""

    __tablename__ = "gamification_counters"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey(_USER, ondelete="CASCADE"), primary_key=True
    )
    metric: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class Mark(Base):
    """Something a person did at least once (a backend used), for "first ..." rules."""

    __tablename__ = "gamification_marks"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey(_USER, ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(200), primary_key=True)


class JobCircuit(Base):
    """A finished job's circuit fingerprint, for the resubmission rule."""

    __tablename__ = "gamification_job_circuits"

    job_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(_USER, ondelete="CASCADE"))
    circuit_hash: Mapped[str] = mapped_column(String(64))
    submitted_at: Mapped[datetime] = mapped_column()

    __table_args__ = (
        Index("ix_gamification_job_circuits_lookup", "user_id", "circuit_hash", "submitted_at"),
    )


class AchievementAward(UUIDPrimaryKey, Base):
    __tablename__ = "achievement_awards"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(_USER, ondelete="CASCADE"))
    achievement_key: Mapped[str] = mapped_column(String(64))
    earned_at: Mapped[datetime] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()
    revoked_reason: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        UniqueConstraint("user_id", "achievement_key", name="uq_achievement_awards_key"),
    )


class GamificationChallenge(UUIDPrimaryKey, Base):
    """A built-in weekly global challenge (``key`` set) or one a workspace admin made."""

    __tablename__ = "gamification_challenges"

    key: Mapped[str | None] = mapped_column(String(80), unique=True)
    workspace_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE")
    )
    title: Mapped[str] = mapped_column(String(200))
    rule: Mapped[str] = mapped_column(String(40))
    target: Mapped[int] = mapped_column(Integer)
    reward_xp: Mapped[int] = mapped_column(Integer, default=0)
    starts_at: Mapped[datetime] = mapped_column()
    ends_at: Mapped[datetime] = mapped_column()
    created_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(_USER, ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_gamification_challenges_window", "ends_at", "starts_at"),)


class ChallengeEntry(Base):
    __tablename__ = "gamification_challenge_entries"

    challenge_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("gamification_challenges.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey(_USER, ondelete="CASCADE"), primary_key=True
    )
    value: Mapped[int] = mapped_column(Integer, default=0)
    completed_at: Mapped[datetime | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_gamification_challenge_entries_board", "challenge_id", "value"),)


class LeagueEntry(Base):
    """A person's place in one week's league: tier, cohort (of at most 30), XP, and
    after the week closes, rank and outcome (up, down, stay)."""

    __tablename__ = "league_entries"

    week_start: Mapped[date] = mapped_column(Date, primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey(_USER, ondelete="CASCADE"), primary_key=True
    )
    tier: Mapped[int] = mapped_column(Integer)
    cohort: Mapped[int] = mapped_column(Integer)
    xp: Mapped[int] = mapped_column(Integer, default=0)
    rank: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str | None] = mapped_column(String(8))

    __table_args__ = (Index("ix_league_entries_cohort", "week_start", "tier", "cohort"),)


class LeagueWeek(Base):
    """A week whose league was closed: the rollover's proof that it ran."""

    __tablename__ = "league_weeks"

    week_start: Mapped[date] = mapped_column(Date, primary_key=True)
    closed_at: Mapped[datetime] = mapped_column()


class WorkspaceGamification(Base):
    """A workspace admin's switch; a workspace without a row has gamification on."""

    __tablename__ = "workspace_gamification"

    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspaces.id", ondelete="CASCADE"), primary_key=True
    )
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(_USER, ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
