"""The notifications worker: every ``notification_tick_seconds`` it runs the sweeps of
``sweeps.py``, each in a unit of work of its own so one failing does not hold up the
others. Registered with ``enabled_by="notifications_enabled"``."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.backends.ibm import credentials_for, ibm_devices
from qdeck.config import Settings
from qdeck.db.engine import Database
from qdeck.db.types import utcnow
from qdeck.events.registry import WorkerContext
from qdeck.notifications import sweeps

log = structlog.get_logger("qdeck.notifications")
BACKEND_CHECK_SECONDS = 60.0


async def run(ctx: WorkerContext) -> None:
    while True:
        await tick(ctx.database, ctx.settings, utcnow())
        await asyncio.sleep(ctx.settings.notification_tick_seconds)


async def tick(database: Database, settings: Settings, now: datetime) -> None:
    async def backends(session: AsyncSession) -> int:
        if not await sweeps.claim(
            session, "backends", now, now + timedelta(seconds=BACKEND_CHECK_SECONDS)
        ):
            return 0
        return await sweeps.backend_changes(session, await current_statuses(session, settings), now)

    async def digests(session: AsyncSession) -> int:
        due = sweeps.next_digest_at(now, settings.notification_weekly_digest_hour)
        if not await sweeps.claim(session, "digest.weekly", now, due):
            return 0
        return await sweeps.weekly_digests(session, now)

    steps = {
        "queued_too_long": lambda s: sweeps.queued_too_long(s, settings, now),
        "sessions_expiring": lambda s: sweeps.sessions_expiring(s, settings, now),
        "backends": backends,
        "weekly_digest": digests,
    }
    for name, step in steps.items():
        try:
            async with database.session() as session:
                made = await step(session)
            if made:
                log.info("notifications_swept", sweep=name, notifications=made)
        except asyncio.CancelledError:
            raise
        except Exception:  # the next tick tries again
            log.exception("notification_sweep_failed", sweep=name)


async def current_statuses(session: AsyncSession, settings: Settings) -> dict[str, bool]:
    """Whether each real device is online, as the instance's IBM account sees it.
    Simulators never go offline; an account that cannot be listed tells nothing (no
    change is assumed)."""
    credentials = await credentials_for(session, settings, None)
    if credentials is None:
        return {}
    listing = await ibm_devices(credentials, settings)
    if listing["error"] is not None:
        return {}
    return {d["name"]: d.get("status") == "operational" for d in listing["devices"]}
