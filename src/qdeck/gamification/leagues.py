"""Weekly leagues (Duolingo's): opted-in people earn league points with their XP inside
a cohort of at most 30 in their tier; 10 tiers; when the week closes (Monday 00:00 UTC)
the top 7 of each cohort move up a tier and the bottom 5 move down.

The rollover is in ``rollover.py``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from qdeck.gamification.models import GamificationProfile, LeagueEntry

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession


COHORT_SIZE = 30
TIERS = (
    "Qubit",
    "Hadamard",
    "Pauli",
    "Bloch",
    "Bell",
    "Toffoli",
    "Grover",
    "Shor",
    "Fourier",
    "Feynman",
)
PROMOTED = 7
DEMOTED = 5


async def add_league_xp(
    session: AsyncSession, profile: GamificationProfile, week: date, xp: int
) -> None:
    if not profile.league_opt_in or xp <= 0:
        return
    entry = await session.get(LeagueEntry, (week, profile.user_id))
    if entry is None:
        entry = LeagueEntry(
            week_start=week,
            user_id=profile.user_id,
            tier=profile.league_tier,
            cohort=await _open_cohort(session, week, profile.league_tier),
            xp=0,
        )
        session.add(entry)
    entry.xp += xp


async def _open_cohort(session: AsyncSession, week: date, tier: int) -> int:
    stmt = (
        select(LeagueEntry.cohort, func.count())
        .where(LeagueEntry.week_start == week, LeagueEntry.tier == tier)
        .group_by(LeagueEntry.cohort)
        .order_by(LeagueEntry.cohort)
    )
    sizes = list(await session.execute(stmt))
    for cohort, size in sizes:
        if size < COHORT_SIZE:
            return int(cohort)
    return len(sizes)


def monday_of(at: datetime) -> date:
    day = at.astimezone(UTC).date()
    return day - timedelta(days=day.weekday())


def outcome(rank: int, size: int, tier: int) -> str:
    if rank <= PROMOTED and tier < len(TIERS) - 1:
        return "up"
    if rank > max(PROMOTED, size - DEMOTED) and tier > 0:
        return "down"
    return "stay"
