"""The relay: committed outbox rows to this process's live bus.

Every process runs one. It starts at the newest event (live clients catch up on what
came before with ``since=``) and then hands on every committed event in id order, which
is commit order (``events.outbox``). A process learns of new events three ways: its own
commits hand them over directly, other processes' commits arrive as a wake-up through
Redis when it is configured, and a short poll catches anything else. Whatever the way,
the database decides what is delivered: a hand-over that does not continue exactly from
the relay's position is answered by reading the outbox instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import Callable

import structlog

from qdeck.db.engine import Database
from qdeck.events.bus import Event, EventBus
from qdeck.events.outbox import events_after, last_event_id

log = structlog.get_logger("qdeck.events")
READ_BATCH = 1000


class OutboxRelay:
    def __init__(self, database: Database, bus: EventBus, poll_seconds: float) -> None:
        self.database = database
        self.bus = bus
        self.poll_seconds = poll_seconds
        self.position: int | None = 0
        self._wake = asyncio.Event()
        self._offered: list[Event] = []
        self._task: asyncio.Task[None] | None = None
        # Told of every committed batch this process stored (the Redis wake-up sender).
        self.on_local_commit: Callable[[int], None] | None = None
        # Called after each delivery (the consumers: there is something new to read).
        self.after_delivery: Callable[[], None] | None = None

    async def start(self) -> None:
        self.position = await self._newest()
        self.database.on_events_committed = self.offer
        self._task = asyncio.create_task(self._run(), name="outbox relay")

    async def stop(self) -> None:
        if self.database.on_events_committed == self.offer:
            self.database.on_events_committed = None
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def offer(self, events: list[Event]) -> None:
        """Events this process just committed (called by ``Database.session``)."""
        self._offered.extend(events)
        self._wake.set()
        if self.on_local_commit is not None and events:
            self.on_local_commit(events[-1].id or 0)

    def wake(self) -> None:
        """Another process committed events."""
        self._wake.set()

    async def _run(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.poll_seconds):
                    await self._wake.wait()
            self._wake.clear()
            try:
                await self._catch_up()
            except asyncio.CancelledError:
                raise
            except Exception:  # the database may be briefly away; the next round retries
                log.exception("outbox_relay_failed")
                await asyncio.sleep(self.poll_seconds)

    async def _newest(self) -> int | None:
        """Where live delivery starts; None while the outbox cannot be read (a database
        not migrated yet: the server still starts, and /readyz says why it is not ready)."""
        try:
            async with self.database.session(write=False) as session:
                return await last_event_id(session)
        except Exception as exc:
            log.warning("outbox_unreadable", error=type(exc).__name__)
            return None

    async def _catch_up(self) -> None:
        if self.position is None:
            self.position = await self._newest()
            if self.position is None:
                return
        offered, self._offered = sorted(self._offered, key=lambda e: e.id or 0), []
        position = self.position
        offered = [event for event in offered if (event.id or 0) > position]
        if offered and offered[0].id == position + 1 and _contiguous(offered):
            # The usual case: our own commit, right after what we delivered last.
            self._deliver(offered)
            return
        while True:
            async with self.database.session(write=False) as session:
                batch = await events_after(session, self.position or 0, READ_BATCH)
            if not batch:
                return
            self._deliver(batch)
            if len(batch) < READ_BATCH:
                return

    def _deliver(self, events: list[Event]) -> None:
        for event in events:
            self.bus.deliver(event)
            self.position = event.id or self.position
        if events and self.after_delivery is not None:
            self.after_delivery()


def _contiguous(events: list[Event]) -> bool:
    return all((b.id or 0) == (a.id or 0) + 1 for a, b in itertools.pairwise(events))
