"""Closing a week's leagues: ranks, outcomes, new tiers, promotions counted for
achievements. Safe to run twice and on several servers at once: a week is closed by
inserting its ``league_weeks`` row, and only the transaction that inserted it applies
the outcomes."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.config import Settings
from qdeck.gamification.awarding import Awarder
from qdeck.gamification.leagues import monday_of, outcome
from qdeck.gamification.models import LeagueEntry, LeagueWeek
from qdeck.gamification.repository import GamificationRepository


async def rollover(session: AsyncSession, settings: Settings, now: datetime) -> list[date]:
    """Close every week that ended before ``now`` and is not closed yet."""
    current = monday_of(now)
    open_weeks = (
        select(LeagueEntry.week_start)
        .distinct()
        .where(
            LeagueEntry.week_start < current,
            LeagueEntry.week_start.not_in(select(LeagueWeek.week_start)),
        )
    )
    closed = []
    for week in sorted(await session.scalars(open_weeks)):
        if await _claim_week(session, week, now):
            await _close(session, settings, week, now)
            closed.append(week)
    return closed


async def _claim_week(session: AsyncSession, week: date, now: datetime) -> bool:
    insert = GamificationRepository(session)._insert(LeagueWeek)
    stmt = (
        insert.values(week_start=week, closed_at=now)
        .on_conflict_do_nothing(index_elements=["week_start"])
        .returning(LeagueWeek.week_start)
    )
    return (await session.scalar(stmt)) is not None


async def _close(session: AsyncSession, settings: Settings, week: date, now: datetime) -> None:
    entries = list(await session.scalars(select(LeagueEntry).where(LeagueEntry.week_start == week)))
    cohorts: dict[tuple[int, int], list[LeagueEntry]] = {}
    for entry in entries:
        cohorts.setdefault((entry.tier, entry.cohort), []).append(entry)
    awarder = Awarder(session, settings)
    for (tier, _), members in cohorts.items():
        members.sort(key=lambda e: (-e.xp, str(e.user_id)))
        for rank, entry in enumerate(members, start=1):
            entry.rank = rank
            entry.outcome = outcome(rank, len(members), tier)
            profile = await awarder.repo.profile(entry.user_id)
            if entry.outcome == "up":
                profile.league_tier = tier + 1
                done = await awarder.repo.bump(entry.user_id, "league_promotions")
                await awarder.check_counts(entry.user_id, {"league_promotions": done}, now)
            elif entry.outcome == "down":
                profile.league_tier = tier - 1
    await session.flush()
