"""Live updates for one open page: the viewer's events from the bus, in batches.

Each browser page subscribes to ``app.state.bus`` for the events of the viewer's
workspaces (and the viewer's own notifications). The subscription ends when the browser
disconnects; when it reconnects, the page subscribes again and reloads what it shows,
since events published in between were missed.

When access changes (``events.access``: removed from a workspace, role changed, sessions
ended, workspace deleted) the page reads the viewer's access again before it hands on
anything else: a lost workspace's events stop at once and the page says why; an ended
session goes back to the log-in page.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from urllib.parse import quote

import structlog
from nicegui import Client, app, background_tasks, ui

from qdeck.events import access
from qdeck.events.bus import Event, Subscription
from qdeck.ui.session import TOKEN_KEY, Viewer, refresh_access

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
        self._access_handlers: list[Resync] = []
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

    def on_access_changed(self, handler: Resync) -> None:
        """Called after the viewer's access was read again and they can still see the
        workspace (e.g. their role changed)."""
        self._access_handlers.append(handler)

    @property
    def active(self) -> bool:
        return self._subscription is not None

    def _accept(self, event: Event) -> bool:
        viewer = self.viewer
        if event.type == access.ACCESS_CHANGED:
            return access.concerns(event, viewer.user.id, viewer.workspace_ids)
        if event.user_id is not None and event.workspace_id is None:
            return event.user_id == viewer.user.id
        if viewer.workspace_lost and event.workspace_id == viewer.workspace.id:
            return False
        return event.workspace_id in viewer.workspace_ids

    def _start(self) -> None:
        self._subscription = self.viewer.qdeck.bus.subscribe(
            self._accept, owner=self.viewer.user.id
        )
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
            if first.type != access.ACCESS_CHANGED:
                await asyncio.sleep(BATCH_SECONDS)
            batch = [first]
            while not subscription.queue.empty():
                batch.append(subscription.queue.get_nowait())
            changes = [e for e in batch if e.type == access.ACCESS_CHANGED]
            if changes and not await self._recheck(changes[-1]):
                return
            # Checked again: what was queued before the change may no longer be ours.
            batch = [e for e in batch if e.type != access.ACCESS_CHANGED and self._accept(e)]
            if batch:
                await self._call(self._handlers, batch)

    async def _recheck(self, change: Event) -> bool:
        """Read access again; False when the page must stop (the session ended)."""
        reason = str(change.data.get("reason") or "Your access changed.")
        had_workspace = not self.viewer.workspace_lost
        if self.viewer.signing_out or not await refresh_access(self.viewer):
            log.info("ui_session_ended", user_id=str(self.viewer.user.id))
            # Nothing more reaches this page: the pump returns after this.
            if self._subscription is not None:
                self._subscription.close()
                self._subscription = None
            if not self.viewer.signing_out:  # this page's own log-out goes to /login itself
                with self.client:
                    app.storage.user.pop(TOKEN_KEY, None)
                    ui.notify(f"You were signed out: {reason}", type="warning", timeout=0)
                    ui.navigate.to(f"/login?next={quote(self.viewer.path, safe='')}")
            return False
        if had_workspace and self.viewer.workspace_lost:
            with self.client:
                _lost_notice(self.viewer.workspace.name, reason)
        await self._call(self._access_handlers, None)
        return True

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


def _lost_notice(workspace: str, reason: str) -> None:
    """A lasting notice above everything: this page shows a workspace the viewer can no
    longer see, and nothing of it will arrive here any more."""
    with (
        ui.dialog().props("persistent").mark("access-lost") as dialog,
        ui.card().classes("max-w-md"),
    ):
        ui.label(f"You no longer have access to {workspace}").classes("text-lg font-bold")
        ui.label(reason).classes("qd-muted")
        ui.label("Its jobs and activity no longer reach this page.").classes("text-sm")
        ui.button("Go to my dashboard", on_click=lambda: ui.navigate.to("/dashboard"))
    dialog.open()
