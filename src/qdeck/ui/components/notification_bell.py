"""The header's bell: the viewer's unread count, live, and their newest unread
notifications in a menu. The count comes with every event of the ``notifications``
topic (created, updated, read), so it follows other tabs and the API without a query."""

from __future__ import annotations

import uuid
from typing import Any

from nicegui import ui

from qdeck.events.bus import Event
from qdeck.notifications.event_types import LIVE, NOTIFICATION_READ
from qdeck.ui.components.live import LiveUpdates
from qdeck.ui.session import Viewer

LATEST = 5
SEVERITY_ICONS = {"info": "info", "warning": "warning", "error": "error"}
SEVERITY_COLORS = {"info": "info", "warning": "warning", "error": "negative"}


def _item(n: Any) -> dict[str, Any]:
    get = n.get if isinstance(n, dict) else lambda k: getattr(n, k, None)
    severity = get("severity")
    return {
        "id": str(get("id") or get("notification_id")),
        "title": get("title") or "",
        "body": get("body") or "",
        "link": get("link"),
        "severity": getattr(severity, "value", severity) or "info",
    }


class NotificationBell:
    def __init__(self, viewer: Viewer, live: LiveUpdates) -> None:
        self.viewer = viewer
        self.unread = viewer.inbox.unread
        self.latest = [_item(n) for n in viewer.inbox.latest]
        # The badge floats over the button's corner from a wrapper, not from inside the
        # button: inside, it would widen the button's content past its round box.
        with ui.element("div").classes("relative inline-flex"):
            with (
                ui.button(icon="notifications").props("flat round") as self.button,
                ui.menu().classes("w-80 max-w-[92vw]") as self.menu,
            ):
                self.content = ui.column().classes("w-full gap-0")
            self.badge = ui.badge("", color="negative").props("floating rounded")
            self.badge.classes("pointer-events-none")
            self.badge.mark("bell-count")
        self.button.mark("bell")
        self._show_count()
        self._render()
        live.on_events(self._on_events)
        live.on_resync(self._reload)

    def _show_count(self) -> None:
        self.badge.set_text(str(self.unread) if self.unread < 100 else "99+")
        self.badge.set_visibility(self.unread > 0)
        label = f"Notifications, {self.unread} unread" if self.unread else "Notifications"
        self.button.props(f'aria-label="{label}"')

    def _render(self) -> None:
        self.content.clear()
        with self.content:
            with ui.row().classes("w-full items-center justify-between px-4 py-2 no-wrap"):
                ui.label("Notifications").classes("font-semibold")
                if self.unread:
                    ui.button("Mark all read", on_click=self._read_all).props(
                        "flat dense no-caps size=sm"
                    ).mark("bell-read-all")
            ui.separator()
            if not self.latest:
                with ui.column().classes("p-4 gap-1 items-center w-full"):
                    ui.icon("notifications_none", size="28px").classes("qd-muted")
                    ui.label("You're all caught up").classes("font-medium")
            for item in self.latest:
                with ui.item(on_click=lambda i=item: self._open(i)).mark("bell-item"):
                    with ui.item_section().props("avatar").classes("min-w-0 pr-2"):
                        ui.icon(
                            SEVERITY_ICONS.get(item["severity"], "info"),
                            color=SEVERITY_COLORS.get(item["severity"], "info"),
                            size="20px",
                        )
                    with ui.item_section():
                        ui.item_label(item["title"])
                        ui.item_label(item["body"]).props("caption lines=2")
            ui.separator()
            centre = ui.item(
                "Open the notification centre", on_click=lambda: ui.navigate.to("/notifications")
            )
            centre.props('clickable href="/notifications"').classes("text-primary")
            centre.mark("bell-centre")

    async def _on_events(self, events: list[Event]) -> None:
        mine = [e for e in events if e.type in LIVE and e.user_id == self.viewer.user.id]
        if not mine:
            return
        self.unread = int(mine[-1].data.get("unread_count", self.unread))
        self._show_count()
        if any(e.type == NOTIFICATION_READ for e in mine):
            await self._reload()
            return
        for event in mine:
            item = _item(event.data)
            self.latest = [item, *[i for i in self.latest if i["id"] != item["id"]]][:LATEST]
        self._render()

    async def _reload(self) -> None:
        async with self.viewer.qdeck.reading() as services:
            inbox = await services.notifications.inbox(self.viewer.user, limit=LATEST)
        self.unread = inbox.unread
        self.latest = [_item(n) for n in inbox.latest]
        self._show_count()
        self._render()

    async def _read_all(self) -> None:
        async with self.viewer.qdeck.writing() as services:
            await services.notifications.mark_all_read(self.viewer.user)
        await self._reload()

    async def _open(self, item: dict[str, Any]) -> None:
        async with self.viewer.qdeck.writing() as services:
            await services.notifications.mark_read(self.viewer.user, uuid.UUID(item["id"]))
        self.menu.close()
        ui.navigate.to(item["link"] or "/notifications")
