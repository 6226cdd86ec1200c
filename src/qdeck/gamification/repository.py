"""Gamification queries: the only place here that builds SQL.

Writes are upserts (``INSERT ... ON CONFLICT``), which SQLite and PostgreSQL both speak,
so a counter or a rollup is one statement and never a read-modify-write race.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.gamification.models import (
    AchievementAward,
    ActivityDay,
    Counter,
    GamificationProfile,
    JobCircuit,
    Mark,
    WorkspaceGamification,
    XpEntry,
    XpRollup,
)
from qdeck.notifications.models import NotificationSettings
from qdeck.workspaces.models import Membership
from qdeck.workspaces.roles import Role


class GamificationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _insert(self, model: Any):
        dialect = self.session.get_bind().dialect.name
        return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(model)

    # --- the ledger ---

    async def claim(
        self,
        user_id: uuid.UUID,
        source: str,
        rule: str,
        xp: int,
        at: datetime,
        *,
        workspace_id: uuid.UUID | None = None,
        note: str = "",
    ) -> bool:
        """Write the ledger row; False if this (user, source, rule) was written before."""
        stmt = (
            self._insert(XpEntry)
            .values(
                user_id=user_id,
                source=source,
                rule=rule,
                xp=xp,
                at=at,
                workspace_id=workspace_id,
                note=note,
            )
            .on_conflict_do_nothing(index_elements=["user_id", "source", "rule"])
            .returning(XpEntry.id)
        )
        return (await self.session.scalar(stmt)) is not None

    async def decided(self, user_id: uuid.UUID, source: str) -> bool:
        stmt = select(XpEntry.id).where(XpEntry.user_id == user_id, XpEntry.source == source)
        return (await self.session.scalar(stmt.limit(1))) is not None

    async def achievements_credited(self, user_id: uuid.UUID) -> set[str]:
        stmt = select(XpEntry.source).where(
            XpEntry.user_id == user_id,
            XpEntry.source.startswith("achievement:"),
            XpEntry.rule == "achievement",
        )
        return {source.removeprefix("achievement:") for source in await self.session.scalars(stmt)}

    async def ledger(self, user_id: uuid.UUID, limit: int) -> list[XpEntry]:
        stmt = (
            select(XpEntry)
            .where(XpEntry.user_id == user_id)
            .order_by(XpEntry.at.desc(), XpEntry.id.desc())
            .limit(limit)
        )
        return list(await self.session.scalars(stmt))

    # --- rollups, days, counters ---

    async def add_rollup(self, user_id: uuid.UUID, period: str, start: date, xp: int) -> None:
        stmt = self._insert(XpRollup).values(user_id=user_id, period=period, start=start, xp=xp)
        stmt = stmt.on_conflict_do_update(
            index_elements=["user_id", "period", "start"], set_={"xp": XpRollup.xp + xp}
        )
        await self.session.execute(stmt)

    async def day(self, user_id: uuid.UUID, day: date) -> ActivityDay | None:
        return await self.session.get(ActivityDay, (user_id, day), populate_existing=True)

    async def add_day(
        self, user_id: uuid.UUID, day: date, *, xp: int, job_xp: int, actions: int
    ) -> None:
        stmt = self._insert(ActivityDay).values(
            user_id=user_id, day=day, xp=xp, job_xp=job_xp, actions=actions
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=["user_id", "day"],
            set_={
                "xp": ActivityDay.xp + xp,
                "job_xp": ActivityDay.job_xp + job_xp,
                "actions": ActivityDay.actions + actions,
            },
        )
        await self.session.execute(stmt)

    async def days(self, user_id: uuid.UUID, since: date) -> list[ActivityDay]:
        stmt = (
            select(ActivityDay)
            .where(ActivityDay.user_id == user_id, ActivityDay.day >= since)
            .order_by(ActivityDay.day)
        )
        return list(await self.session.scalars(stmt))

    async def bump(self, user_id: uuid.UUID, metric: str, by: int = 1) -> int:
        stmt = self._insert(Counter).values(user_id=user_id, metric=metric, value=by)
        stmt = stmt.on_conflict_do_update(
            index_elements=["user_id", "metric"], set_={"value": Counter.value + by}
        ).returning(Counter.value)
        return int(await self.session.scalar(stmt) or 0)

    async def raise_to(self, user_id: uuid.UUID, metric: str, value: int) -> int:
        current = await self.counters(user_id)
        if value > current.get(metric, 0):
            stmt = self._insert(Counter).values(user_id=user_id, metric=metric, value=value)
            stmt = stmt.on_conflict_do_update(
                index_elements=["user_id", "metric"], set_={"value": value}
            )
            await self.session.execute(stmt)
            return value
        return current.get(metric, 0)

    async def counters(self, user_id: uuid.UUID) -> dict[str, int]:
        rows = await self.session.execute(
            select(Counter.metric, Counter.value).where(Counter.user_id == user_id)
        )
        return {metric: value for metric, value in rows}

    async def mark(self, user_id: uuid.UUID, kind: str, value: str) -> bool:
        """True the first time this person did ``kind`` with ``value``."""
        stmt = (
            self._insert(Mark)
            .values(user_id=user_id, kind=kind, value=value[:200])
            .on_conflict_do_nothing(index_elements=["user_id", "kind", "value"])
            .returning(Mark.user_id)
        )
        return (await self.session.scalar(stmt)) is not None

    # --- the resubmission rule ---

    async def same_circuit_near(
        self, user_id: uuid.UUID, circuit_hash: str, start: datetime, end: datetime
    ) -> bool:
        stmt = select(JobCircuit.job_id).where(
            JobCircuit.user_id == user_id,
            JobCircuit.circuit_hash == circuit_hash,
            JobCircuit.submitted_at > start,
            JobCircuit.submitted_at < end,
        )
        return (await self.session.scalar(stmt.limit(1))) is not None

    async def remember_circuit(
        self, job_id: uuid.UUID, user_id: uuid.UUID, circuit_hash: str, at: datetime
    ) -> None:
        stmt = (
            self._insert(JobCircuit)
            .values(job_id=job_id, user_id=user_id, circuit_hash=circuit_hash, submitted_at=at)
            .on_conflict_do_nothing(index_elements=["job_id"])
        )
        await self.session.execute(stmt)

    # --- profiles, workspaces, people ---

    async def profile(self, user_id: uuid.UUID) -> GamificationProfile:
        """The person's profile, created on first use."""
        stmt = (
            self._insert(GamificationProfile)
            .values(user_id=user_id)
            .on_conflict_do_nothing(index_elements=["user_id"])
        )
        await self.session.execute(stmt)
        row = await self.session.get(GamificationProfile, user_id, populate_existing=True)
        assert row is not None
        return row

    async def find_profile(self, user_id: uuid.UUID) -> GamificationProfile | None:
        return await self.session.get(GamificationProfile, user_id)

    async def time_zone(self, user_id: uuid.UUID) -> str | None:
        stmt = select(NotificationSettings.time_zone).where(NotificationSettings.user_id == user_id)
        return await self.session.scalar(stmt)

    async def role_in(self, user_id: uuid.UUID, workspace_id: uuid.UUID) -> Role | None:
        stmt = select(Membership.role).where(
            Membership.user_id == user_id, Membership.workspace_id == workspace_id
        )
        return await self.session.scalar(stmt)

    async def workspace_enabled(self, workspace_id: uuid.UUID) -> bool:
        row = await self.session.get(WorkspaceGamification, workspace_id)
        return row is None or row.enabled

    async def set_workspace_enabled(
        self, workspace_id: uuid.UUID, enabled: bool, by: uuid.UUID
    ) -> None:
        stmt = self._insert(WorkspaceGamification).values(
            workspace_id=workspace_id, enabled=enabled, updated_by=by
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=["workspace_id"], set_={"enabled": enabled, "updated_by": by}
        )
        await self.session.execute(stmt)

    async def workspaces_of(self, user_id: uuid.UUID) -> list[uuid.UUID]:
        stmt = select(Membership.workspace_id).where(Membership.user_id == user_id)
        return list(await self.session.scalars(stmt))

    # --- achievements ---

    async def award(self, user_id: uuid.UUID, key: str, at: datetime) -> AchievementAward | None:
        """The new award, or None if the person holds it already."""
        stmt = (
            self._insert(AchievementAward)
            .values(id=uuid.uuid4(), user_id=user_id, achievement_key=key, earned_at=at)
            .on_conflict_do_nothing(index_elements=["user_id", "achievement_key"])
            .returning(AchievementAward.id)
        )
        award_id = await self.session.scalar(stmt)
        return await self.session.get(AchievementAward, award_id) if award_id else None

    async def awards(self, user_id: uuid.UUID) -> list[AchievementAward]:
        stmt = select(AchievementAward).where(AchievementAward.user_id == user_id)
        return list(await self.session.scalars(stmt))

    async def award_by_id(self, award_id: uuid.UUID) -> AchievementAward | None:
        return await self.session.get(AchievementAward, award_id)

    # --- rebuilding ---

    async def forget_derived(self, user_ids: list[uuid.UUID] | None = None) -> None:
        """Everything backfill recomputes (the ledger and what is derived from it);
        challenges, leagues' closed weeks and the people's choices stay."""
        from qdeck.gamification.models import ChallengeEntry, LeagueEntry

        for model in (XpEntry, XpRollup, ActivityDay, Counter, Mark, JobCircuit, ChallengeEntry):
            stmt = delete(model)
            if user_ids is not None:
                stmt = stmt.where(model.user_id.in_(user_ids))
            await self.session.execute(stmt)
        await self.session.execute(update(LeagueEntry).values(xp=0))
        await self.session.execute(
            update(GamificationProfile).values(
                xp=0,
                level=1,
                current_streak=0,
                longest_streak=0,
                freezes=0,
                freezes_used=0,
                last_active_day=None,
            )
        )

    async def total_xp(self, user_id: uuid.UUID) -> int:
        stmt = select(func.coalesce(func.sum(XpEntry.xp), 0)).where(XpEntry.user_id == user_id)
        return int(await self.session.scalar(stmt) or 0)


class BoardQueries:
    """Leaderboards and leagues: each reads the rollups through an index, never the
    ledger, so their cost follows the board's size, not the history's."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def workspace(
        self, workspace_id: uuid.UUID, period: str, start: date, limit: int
    ) -> list[tuple[uuid.UUID, str, int, int]]:
        from qdeck.auth.models import User

        xp = func.coalesce(XpRollup.xp, 0)
        stmt = (
            select(User.id, User.display_name, xp, func.coalesce(GamificationProfile.level, 1))
            .select_from(Membership)
            .join(User, User.id == Membership.user_id)
            .outerjoin(
                XpRollup,
                (XpRollup.user_id == Membership.user_id)
                & (XpRollup.period == period)
                & (XpRollup.start == start),
            )
            .outerjoin(GamificationProfile, GamificationProfile.user_id == Membership.user_id)
            .where(Membership.workspace_id == workspace_id)
            .order_by(xp.desc(), User.display_name, User.id)
            .limit(limit)
        )
        return [tuple(row) for row in await self.session.execute(stmt)]  # type: ignore[misc]

    async def global_(
        self, period: str, start: date, limit: int
    ) -> list[tuple[uuid.UUID, str, int, int]]:
        from qdeck.auth.models import User

        stmt = (
            select(User.id, User.display_name, XpRollup.xp, GamificationProfile.level)
            .select_from(XpRollup)
            .join(GamificationProfile, GamificationProfile.user_id == XpRollup.user_id)
            .join(User, User.id == XpRollup.user_id)
            .where(
                XpRollup.period == period,
                XpRollup.start == start,
                GamificationProfile.global_opt_in.is_(True),
                GamificationProfile.hidden.is_(False),
            )
            .order_by(XpRollup.xp.desc(), XpRollup.user_id.desc())
            .limit(limit)
        )
        return [tuple(row) for row in await self.session.execute(stmt)]  # type: ignore[misc]

    async def rollups(self, user_id: uuid.UUID, period: str, since: date) -> list[XpRollup]:
        stmt = (
            select(XpRollup)
            .where(XpRollup.user_id == user_id, XpRollup.period == period, XpRollup.start >= since)
            .order_by(XpRollup.start)
        )
        return list(await self.session.scalars(stmt))

    async def cohort(self, week: date, user_id: uuid.UUID):
        from qdeck.auth.models import User
        from qdeck.gamification.models import LeagueEntry

        mine = await self.session.get(LeagueEntry, (week, user_id))
        if mine is None:
            return None, []
        stmt = (
            select(LeagueEntry, User.display_name)
            .join(User, User.id == LeagueEntry.user_id)
            .where(
                LeagueEntry.week_start == week,
                LeagueEntry.tier == mine.tier,
                LeagueEntry.cohort == mine.cohort,
            )
            .order_by(LeagueEntry.xp.desc(), LeagueEntry.user_id)
        )
        return mine, list(await self.session.execute(stmt))
