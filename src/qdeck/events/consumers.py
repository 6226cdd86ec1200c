"""Running the registered consumers: each reads the outbox from its stored position.

One unit of work per batch: the consumer's row is locked (``FOR UPDATE SKIP LOCKED`` on
PostgreSQL, so of several ``qdeck serve`` processes exactly one handles a given consumer
at a time; SQLite's single writer gives the same), its events are handled one by one in
savepoints, and the new position commits with the handlers' effects. A crash therefore
repeats a batch or none of it, never half. A handler that raises is retried with backoff
while the consumer waits at that event; after the last attempt the event is parked (a
dead letter) and the consumer moves on. Other consumers are never held up.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

import structlog
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.config import Settings
from qdeck.db.engine import Database
from qdeck.db.types import utcnow
from qdeck.events.bus import Event
from qdeck.events.models import EventConsumer, EventFailure, OutboxEvent
from qdeck.events.outbox import PENDING_KEY, events_after
from qdeck.events.registry import Consumer, HandlerContext

log = structlog.get_logger("qdeck.events")
BATCH = 200
MAX_BACKOFF_SECONDS = 300.0
# Events arriving this close together are handled in one batch (waiting at most
# MAX_GATHER_SECONDS for a burst to end), and a consumer moves past events it does not
# want at most this often: each round is a write transaction, and on SQLite every write
# waits for the one writer, the job pipeline's included.
GATHER_SECONDS = 0.05
MAX_GATHER_SECONDS = 0.3
SKIP_UNWANTED_SECONDS = 5.0
PRUNE_EVERY_SECONDS = 3600.0


class ConsumerRunner:
    def __init__(self, database: Database, settings: Settings, consumers: list[Consumer]) -> None:
        self.database = database
        self.settings = settings
        self.consumers = consumers
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._last_prune = 0.0
        self._registered = False
        self._skipped_at: dict[str, float] = {}

    async def start(self) -> None:
        self._registered = False
        self._task = asyncio.create_task(self._run(), name="outbox consumers")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def wake(self) -> None:
        self._wake.set()

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        # The first prune a minute after start, then hourly.
        self._last_prune = loop.time() - PRUNE_EVERY_SECONDS + 60
        while True:
            busy = False
            if not self._registered:
                await self._register()
            looks = await self._look() if self._registered else {}
            for consumer in self.consumers if self._registered else []:
                look = looks.get(consumer.name)
                if look is None or not self._worth_a_round(consumer, look[1]):
                    continue
                try:
                    busy |= await self.run_once(consumer, looked=look) > 0
                except asyncio.CancelledError:
                    raise
                except Exception:  # the database, not a handler (those are caught below)
                    log.exception("consumer_round_failed", consumer=consumer.name)
            if loop.time() - self._last_prune > PRUNE_EVERY_SECONDS:
                self._last_prune = loop.time()
                with contextlib.suppress(Exception):
                    await self.prune()
            if busy:
                continue
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.settings.consumer_poll_seconds):
                    await self._wake.wait()
            await self._gather()

    async def _gather(self) -> None:
        """Wait until events stop arriving (GATHER_SECONDS without one, MAX_GATHER_SECONDS
        at most). A job's transitions come milliseconds apart: handled once they pause,
        they cost one write transaction, taken after the job pipeline's writes rather
        than between them, where on SQLite it would hold up the next transition's commit
        (and so its live delivery)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + MAX_GATHER_SECONDS
        while (remaining := deadline - loop.time()) > 0:
            self._wake.clear()
            try:
                async with asyncio.timeout(min(GATHER_SECONDS, remaining)):
                    await self._wake.wait()
            except TimeoutError:
                return
        self._wake.clear()

    async def _register(self) -> None:
        try:
            async with self.database.session() as session:
                await ensure_registered(session, [c.name for c in self.consumers])
            self._registered = True
        except Exception as exc:  # not migrated yet: /readyz says so; try again later
            log.warning("consumers_not_registered", error=type(exc).__name__)

    async def _look(self) -> dict[str, tuple[int, list[Event]]]:
        """Each consumer's position and the events after it, in one read-only transaction
        for all of them (a look per consumer would read the same rows again and again).
        Events are read once, after the lowest position; a consumer so far ahead that it
        is past all of those (another consumer lags a whole batch behind) gets its own
        read. Nothing here is trusted by the write that follows: it locks the consumer
        and uses these events only if the position is still the one looked at."""
        try:
            async with self.database.session(write=False) as session:
                rows = await session.execute(select(EventConsumer.name, EventConsumer.position))
                positions = {name: position for name, position in rows}
                mine = [positions[c.name] for c in self.consumers if c.name in positions]
                if not mine:
                    return {}
                shared = await events_after(session, min(mine), BATCH)
                looks = {}
                for name, position in positions.items():
                    events = [event for event in shared if (event.id or 0) > position]
                    if len(shared) == BATCH and not events:
                        events = await events_after(session, position, BATCH)
                    looks[name] = (position, events[:BATCH])
                return looks
        except asyncio.CancelledError:
            raise
        except Exception:  # the database may be briefly away; the next round retries
            log.exception("consumer_look_failed")
            return {}

    def _worth_a_round(self, consumer: Consumer, events: list[Event]) -> bool:
        """Is there an event this consumer wants (or a long run of ones it does not, to
        move past)? Spares the writer a transaction per event."""
        if any(consumer.wants(event) for event in events) or len(events) == BATCH:
            return True
        now = asyncio.get_running_loop().time()
        if events and now - self._skipped_at.get(consumer.name, 0.0) > SKIP_UNWANTED_SECONDS:
            self._skipped_at[consumer.name] = now
            return True
        return False

    async def run_once(
        self, consumer: Consumer, *, looked: tuple[int, list[Event]] | None = None
    ) -> int:
        """Handle one batch; the number of events the position moved past. ``looked`` is
        a position and the committed events after it, read before (``_look``): they are
        the batch if the position has not moved since, which keeps the write transaction,
        and so SQLite's one writer, shorter by a read."""
        async with self.database.session() as session:
            state = await _lock(session, consumer.name)
            now = utcnow()
            if state is None or (state.retry_at is not None and state.retry_at > now):
                return 0
            if looked is not None and looked[0] == state.position:
                batch = looked[1]
            else:
                batch = await events_after(session, state.position, BATCH)
            failing = await _failing(session, consumer.name)
            moved = 0
            for event in batch:
                if consumer.wants(event) and not await self._handle(
                    session, consumer, state, event, failing.get(event.id or 0)
                ):
                    break
                state.position = event.id or state.position
                moved += 1
            return moved

    async def _handle(
        self,
        session: AsyncSession,
        consumer: Consumer,
        state: EventConsumer,
        event: Event,
        failure: EventFailure | None,
    ) -> bool:
        """True when the consumer may move past ``event`` (handled or parked)."""
        emitted = len(session.info.get(PENDING_KEY, []))
        try:
            async with session.begin_nested():
                await consumer.handler(HandlerContext(session, self.settings), event)
        except Exception as exc:
            # What the failed handler emitted must not be announced.
            del session.info.setdefault(PENDING_KEY, [])[emitted:]
            return self._failed(session, consumer, state, event, failure, exc)
        if failure is not None:
            await session.delete(failure)
        state.retry_at = None
        return True

    def _failed(
        self,
        session: AsyncSession,
        consumer: Consumer,
        state: EventConsumer,
        event: Event,
        failure: EventFailure | None,
        exc: Exception,
    ) -> bool:
        now = utcnow()
        if failure is None:
            failure = EventFailure(consumer=consumer.name, event_id=event.id, attempts=0)
            session.add(failure)
        failure.attempts += 1
        failure.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        failure.last_failed_at = now
        if failure.attempts >= self.settings.consumer_max_attempts:
            failure.parked = True
            state.retry_at = None
            log.error(
                "event_parked",
                consumer=consumer.name,
                event_id=event.id,
                attempts=failure.attempts,
                error=failure.last_error,
            )
            return True
        backoff = min(
            MAX_BACKOFF_SECONDS, self.settings.consumer_retry_seconds * 2 ** (failure.attempts - 1)
        )
        state.retry_at = now + timedelta(seconds=backoff)
        log.warning(
            "event_handler_failed",
            consumer=consumer.name,
            event_id=event.id,
            attempt=failure.attempts,
            retry_in=backoff,
            error=failure.last_error,
        )
        return False

    async def prune(self) -> int:
        """Delete events every consumer has passed, once older than the retention
        setting; parked events stay until they are retried. Every consumer row counts,
        also one this process does not run (another process's, or a plugin's), so no
        consumer loses an event it has not seen."""
        cutoff = utcnow() - timedelta(days=self.settings.event_retention_days)
        async with self.database.session() as session:
            lowest = await session.scalar(select(func.min(EventConsumer.position)))
            if lowest is None:
                return 0
            result = await session.execute(
                delete(OutboxEvent).where(
                    OutboxEvent.id <= lowest,
                    OutboxEvent.created_at < cutoff,
                    OutboxEvent.id.not_in(select(EventFailure.event_id)),
                )
            )
            return int(result.rowcount or 0)


async def ensure_registered(session: AsyncSession, names: list[str]) -> None:
    """A consumer seen for the first time starts at the oldest retained event."""
    known = set(await session.scalars(select(EventConsumer.name)))
    for name in names:
        if name in known:
            continue
        try:
            async with session.begin_nested():
                session.add(EventConsumer(name=name, position=0))
        except IntegrityError:
            pass  # another process registered it at the same moment


async def _lock(session: AsyncSession, name: str) -> EventConsumer | None:
    return await session.scalar(
        select(EventConsumer)
        .where(EventConsumer.name == name)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )


async def _failing(session: AsyncSession, name: str) -> dict[int, EventFailure]:
    rows = await session.scalars(
        select(EventFailure).where(EventFailure.consumer == name, EventFailure.parked.is_(False))
    )
    return {row.event_id: row for row in rows}
