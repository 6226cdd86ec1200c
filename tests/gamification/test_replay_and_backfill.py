"""Exactly once: replaying the whole history, a crash mid-way, and a backfill from the
records all reach the state one clean pass reached."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from qdeck.events.models import EventConsumer
from qdeck.gamification.awarding import Awarder
from qdeck.gamification.backfill import backfill, history
from qdeck.gamification.models import (
    AchievementAward,
    ActivityDay,
    ChallengeEntry,
    Counter,
    GamificationProfile,
    XpEntry,
    XpRollup,
)
from tests.gamification.conftest import circuit, database, run_job, settle

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
BELL_BODY = "h q[0];\ncx q[0],q[1];\n"


async def snapshot(app) -> dict:
    """Everything gamification derives, without surrogate ids."""
    async with database(app).session() as session:

        async def rows(*columns):
            result = await session.execute(select(*columns))
            return sorted(tuple(str(v) for v in row) for row in result)

        return {
            "ledger": await rows(
                XpEntry.user_id, XpEntry.source, XpEntry.rule, XpEntry.xp, XpEntry.note
            ),
            "rollups": await rows(XpRollup.user_id, XpRollup.period, XpRollup.start, XpRollup.xp),
            "days": await rows(
                ActivityDay.user_id, ActivityDay.day, ActivityDay.xp, ActivityDay.job_xp
            ),
            "counters": await rows(Counter.user_id, Counter.metric, Counter.value),
            "awards": await rows(AchievementAward.user_id, AchievementAward.achievement_key),
            "profiles": await rows(
                GamificationProfile.user_id,
                GamificationProfile.xp,
                GamificationProfile.level,
                GamificationProfile.current_streak,
                GamificationProfile.longest_streak,
                GamificationProfile.freezes,
            ),
            "challenges": await rows(ChallengeEntry.user_id, ChallengeEntry.value),
        }


async def populate(app, people) -> None:
    """Two people: jobs over several days (some refused, some capped), a solved level."""
    ada = await people.sign_up("Ada")
    bob = await people.sign_up("Bob")
    for day in range(4):
        for n in range(2):
            await run_job(
                app, ada, qasm=circuit(day * 10 + n), submitted_at=T0 + timedelta(days=day, hours=n)
            )
    await run_job(app, ada, qasm=circuit(500), shots=1, submitted_at=T0)
    for n in range(40):
        await run_job(app, bob, qasm=circuit(1000 + n), submitted_at=T0 + timedelta(minutes=n))
    solved = await bob.client.post(
        "/api/v1/quest/levels/bell/attempts",
        json={"qasm": 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\n' + BELL_BODY},
    )
    assert solved.status_code == 200 and solved.json()["passed"], solved.text


async def test_replaying_every_event_twice_changes_nothing(still_app, people):
    await populate(still_app, people)
    await settle(still_app)
    first = await snapshot(still_app)
    assert first["ledger"] and first["awards"]
    # Rewind the consumer to the start of the outbox: every event is delivered again.
    async with database(still_app).session() as session:
        await session.execute(
            update(EventConsumer).where(EventConsumer.name == "gamification").values(position=0)
        )
    assert await settle(still_app) > 0
    assert await snapshot(still_app) == first


async def test_a_crash_mid_way_then_a_clean_run_equals_one_clean_pass(still_app, people):
    await populate(still_app, people)
    async with database(still_app).session() as session:
        facts = await history(session)

    class Crash(Exception):
        pass

    # Half the facts are applied, then the process dies before committing.
    with pytest.raises(Crash):
        async with database(still_app).session() as session:
            awarder = Awarder(session, still_app.state.settings)
            for fact in facts[: len(facts) // 2]:
                await awarder.apply(fact)
            raise Crash
    await settle(still_app)
    after_crash = await snapshot(still_app)
    # The same history, from a clean database: the same result.
    async with database(still_app).session() as session:
        await backfill(session, still_app.state.settings, rebuild=True, forget_awards=True)
    assert await snapshot(still_app) == after_crash


async def test_backfill_on_a_live_database_equals_the_live_result(still_app, people):
    await populate(still_app, people)
    await settle(still_app)
    live = await snapshot(still_app)
    async with database(still_app).session() as session:
        report = await backfill(session, still_app.state.settings)
    assert report.applied == 0 and report.facts > 0
    assert await snapshot(still_app) == live
    async with database(still_app).session() as session:
        report = await backfill(session, still_app.state.settings, rebuild=True, forget_awards=True)
    assert report.applied == report.facts
    assert await snapshot(still_app) == live
