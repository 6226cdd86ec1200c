"""Weekly leagues: 95 people with random XP are placed in cohorts of at most 30, the top
7 of each move up and the bottom 5 down when the week closes; closing again changes
nothing."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from qdeck.auth.models import User
from qdeck.gamification.leagues import COHORT_SIZE, add_league_xp
from qdeck.gamification.models import GamificationProfile, LeagueEntry, LeagueWeek
from qdeck.gamification.repository import GamificationRepository
from qdeck.gamification.rollover import rollover
from tests.gamification.conftest import database

WEEK = date(2026, 11, 2)  # a Monday


async def _league(app, n: int, tier: int, seed: int) -> dict[uuid.UUID, int]:
    rng = random.Random(seed)
    xp = {}
    async with database(app).session() as session:
        repo = GamificationRepository(session)
        for i in range(n):
            user = User(email=f"l{seed}-{i}@example.org", display_name=f"P{i}", password_hash="x")
            session.add(user)
            await session.flush()
            profile = await repo.profile(user.id)
            profile.league_opt_in = True
            profile.league_tier = tier
            xp[user.id] = rng.randrange(1, 5000)
            await add_league_xp(session, profile, WEEK, xp[user.id])
            await session.flush()
    return xp


async def test_rollover_promotes_top_seven_demotes_bottom_five_and_runs_once(still_app):
    xp = await _league(still_app, 95, tier=4, seed=7)
    settings = still_app.state.settings
    async with database(still_app).session() as session:
        entries = list(await session.scalars(select(LeagueEntry)))
    sizes: dict[int, int] = {}
    for e in entries:
        sizes[e.cohort] = sizes.get(e.cohort, 0) + 1
    assert max(sizes.values()) <= COHORT_SIZE and sum(sizes.values()) == 95

    monday_after = datetime(2026, 11, 9, 0, 0, tzinfo=UTC)
    async with database(still_app).session() as session:
        # Before the week ends, nothing closes.
        assert await rollover(session, settings, monday_after - timedelta(seconds=1)) == []
    async with database(still_app).session() as session:
        assert await rollover(session, settings, monday_after) == [WEEK]

    async with database(still_app).session() as session:
        entries = list(
            await session.scalars(select(LeagueEntry).where(LeagueEntry.week_start == WEEK))
        )
        tiers = {
            p.user_id: p.league_tier for p in await session.scalars(select(GamificationProfile))
        }
    by_cohort: dict[int, list[LeagueEntry]] = {}
    for e in entries:
        by_cohort.setdefault(e.cohort, []).append(e)
    for members in by_cohort.values():
        ranked = sorted(members, key=lambda e: (-xp[e.user_id], str(e.user_id)))
        n = len(ranked)
        for rank, e in enumerate(ranked, start=1):
            expected = 5 if rank <= 7 else 3 if rank > max(7, n - 5) else 4
            assert (e.rank, tiers[e.user_id]) == (rank, expected)

    # Run again (another server, or the same one a minute later): nothing changes.
    async with database(still_app).session() as session:
        assert await rollover(session, settings, monday_after + timedelta(minutes=1)) == []
        assert len(list(await session.scalars(select(LeagueWeek)))) == 1
        again = {
            p.user_id: p.league_tier for p in await session.scalars(select(GamificationProfile))
        }
    assert again == tiers


async def test_the_top_tier_never_promotes_and_the_bottom_never_demotes(still_app):
    await _league(still_app, 12, tier=9, seed=1)
    async with database(still_app).session() as session:
        await rollover(session, still_app.state.settings, datetime(2026, 11, 9, tzinfo=UTC))
        tiers = [p.league_tier for p in await session.scalars(select(GamificationProfile))]
    assert max(tiers) == 9 and tiers.count(8) == 5
