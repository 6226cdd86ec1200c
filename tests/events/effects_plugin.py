"""A consumer for tests, loaded into real ``qdeck serve`` processes with
QDECK_PLUGINS='["tests.events.effects_plugin"]'. It records one row per job event it
handles, in the same transaction as its position, so a test can count effects: an event
missing or applied twice shows up as a missing or a doubled row."""

from __future__ import annotations

import os

from sqlalchemy import BigInteger, Column, Integer, MetaData, String, Table, select
from sqlalchemy.exc import DBAPIError

from qdeck.events.bus import Event
from qdeck.events.registry import Consumer, HandlerContext, Registry
from qdeck.jobs.event_types import TIMELINE

EFFECTS = Table(
    "test_consumer_effects",
    MetaData(),
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", BigInteger, nullable=False),
    Column("job_id", String(36)),
    Column("status", String(20)),
    Column("pid", Integer),
)
_created: set[str] = set()


async def record_effect(ctx: HandlerContext, event: Event) -> None:
    url = str(ctx.session.get_bind().url)
    if url not in _created:
        try:
            async with ctx.session.begin_nested():
                await ctx.session.run_sync(
                    lambda s: EFFECTS.create(s.connection(), checkfirst=True)
                )
        except DBAPIError:
            pass  # the other server created it at the same moment
        _created.add(url)
    await ctx.session.execute(
        EFFECTS.insert().values(
            event_id=event.id,
            job_id=str(event.job_id),
            status=event.data.get("status"),
            pid=os.getpid(),
        )
    )


def register(registry: Registry) -> None:
    registry.add_consumer(Consumer("test-effects", record_effect, TIMELINE))


async def effects(session) -> list[tuple[int, str, int]]:
    rows = await session.execute(select(EFFECTS.c.event_id, EFFECTS.c.job_id, EFFECTS.c.pid))
    return [tuple(row) for row in rows.all()]
