"""Live updates for one open page: the viewer's events from the bus, in batches.

Each browser page subscribes to ``app.state.bus`` for the events of the viewer's
workspaces (and the viewer's own notifications). The subscription ends when the browser
disconnects; when it reconnects, the page subscribes again and reloads what it shows,
since events published in between were missed.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable

import structlog
from nicegui import Client, background_tasks

from qdeck.events.bus import Event, Subscription
from qdeck.ui.session import Viewer

log = structlog.get_logger("qdeck.ui")
Handler = Callable[[list[Event]], Awaitable[None] | None]
Resync = Callable[[], Awaitable[None] | None]
# Events arriving within this window are handed over together (one refresh per burst).
BATCH_SECONDS = 0.15


class LiveUpdates:
    def __init__(self, viewer: Viewer, client: Client) -> None:
        self.viewer = viewer
        self.client = client
        self._handlers: list[Handler] = []
        self._resyncs: list[Resync] = []
        self._subscription: Subscription | None = None
        self._task: asyncio.Task[None] | None = None
        self._start()
        client.on_disconnect(self._stop)
        client.on_connect(self._reconnected)
        client.on_delete(self._stop)

    def on_events(self, handler: Handler) -> None:
        self._handlers.append(handler)

    def on_resync(self, handler: Resync) -> None:
        """Called when events may have been missed: reload from the database."""
        self._resyncs.append(handler)

    @property
    def active(self) -> bool:
        return self._subscription is not None

    def _accept(self, event: Event) -> bool:
        if event.user_id is not None and event.workspace_id is None:
            return event.user_id == self.viewer.user.id
        return event.workspace_id in self.viewer.workspace_ids

    def _start(self) -> None:
        self._subscription = self.viewer.qdeck.bus.subscribe(self._accept)
        self._task = background_tasks.create(self._pump(self._subscription), name="ui live updates")

    def _stop(self) -> None:
        if self._subscription is not None:
            self._subscription.close()
            self._subscription = None
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def _reconnected(self) -> None:
        if self._subscription is not None:
            return
        self._start()
        await self._call(self._resyncs, None)

    async def _pump(self, subscription: Subscription) -> None:
        while True:
            try:
                # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow the
                # cancel sent when the page closes, and this loop would outlive it.
                async with asyncio.timeout(5):
                    first = await subscription.get()
            except TimeoutError:
                if subscription.overflowed:  # dropped by the bus: start again from the database
                    self._subscription = None
                    self._start()
                    await self._call(self._resyncs, None)
                    return
                continue
            await asyncio.sleep(BATCH_SECONDS)
            batch = [first]
            while not subscription.queue.empty():
                batch.append(subscription.queue.get_nowait())
            await self._call(self._handlers, batch)

    async def _call(self, handlers: list, batch: list[Event] | None) -> None:
        for handler in list(handlers):
            try:
                with self.client:
                    result = handler() if batch is None else handler(batch)
                    if inspect.isawaitable(result):
                        await result
            except asyncio.CancelledError:
                raise
            except Exception:  # one broken widget must not stop the others' updates
                log.exception("live update failed")
