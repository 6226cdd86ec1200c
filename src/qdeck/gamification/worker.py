"""The gamification worker: every tick, close the league weeks that ended (Monday 00:00
UTC) and announce challenges that start or end within a day. Every server runs it;
``leagues.rollover`` closes a week once however many try, and the notices' dedupe keys
send each once."""

from __future__ import annotations

import asyncio
from datetime import datetime

import structlog

from qdeck.config import Settings
from qdeck.db.engine import Database
from qdeck.db.types import utcnow
from qdeck.events.registry import WorkerContext
from qdeck.gamification import challenge_notices, rollover

log = structlog.get_logger("qdeck.gamification")


async def run(ctx: WorkerContext) -> None:
    while True:
        try:
            await tick(ctx.database, ctx.settings, utcnow())
        except asyncio.CancelledError:
            raise
        except Exception:  # the next tick tries again
            log.exception("gamification_tick_failed")
        await asyncio.sleep(ctx.settings.gamification_tick_seconds)


async def tick(database: Database, settings: Settings, now: datetime) -> list:
    async with database.session() as session:
        closed = await rollover.rollover(session, settings, now)
    if closed:
        log.info("leagues_closed", weeks=[w.isoformat() for w in closed])
    async with database.session() as session:
        await challenge_notices.announce(session, now)
    return closed
