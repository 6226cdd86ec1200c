"""The notification centre (/notifications): the viewer's notifications with filters
(unread, kind, severity, workspace, archive), mark read, mark all read, archive, and
deep links; it follows new, grown and read notifications live. Through
``NotificationService``, like the API."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import ui

from qdeck.db.keyset import PageRequest
from qdeck.events.bus import Event
from qdeck.notifications.catalog import EVENT_TYPES
from qdeck.notifications.event_types import LIVE
from qdeck.notifications.models import Severity
from qdeck.notifications.repository import NotificationFilter
from qdeck.notifications.schemas import NotificationRead
from qdeck.ui.components.badges import empty_state
from qdeck.ui.components.notification_bell import SEVERITY_COLORS, SEVERITY_ICONS
from qdeck.ui.errors import attempt
from qdeck.ui.layout import PAGE_WAIT, frame, page_heading
from qdeck.ui.session import Viewer, current_viewer, to_log_in

PAGE = 30
SHOWS = {"inbox": "Inbox", "unread": "Unread", "archived": "Archived"}
ANY = ""


@dataclass(frozen=True)
class View:
    show: str = "inbox"
    kind: str = ANY
    severity: str = ANY
    workspace: str = ANY

    def where(self) -> NotificationFilter:
        return NotificationFilter(
            unread=True if self.show == "unread" else None,
            kind=self.kind or None,
            severity=Severity(self.severity) if self.severity else None,
            workspace_id=uuid.UUID(self.workspace) if self.workspace else None,
            archived=self.show == "archived",
        )


def _ago(moment: datetime) -> str:
    return f"{moment:%b %d, %H:%M} UTC"


class NotificationCentre:
    def __init__(self, viewer: Viewer) -> None:
        self.viewer = viewer
        self.view = View()
        self.items: list[NotificationRead] = []
        self.cursor: str | None = None
        self.names = {w.id: w.name for w in viewer.workspaces}

    async def load(self, *, more: bool = False) -> None:
        page = PageRequest(cursor=self.cursor if more else None, limit=PAGE)
        async with self.viewer.qdeck.reading() as services:
            rows, cursor = await services.notifications.list(
                self.viewer.user, self.view.where(), page
            )
        fresh = [NotificationRead.model_validate(r) for r in rows]
        self.items = [*self.items, *fresh] if more else fresh
        self.cursor = cursor

    def build(self) -> None:
        with (
            page_heading("Notifications", "What happened to your jobs, sessions and teams"),
            ui.row().classes("items-center gap-3"),
        ):
            ui.button("Mark all read", icon="done_all", on_click=self._read_all).props(
                "outline no-caps"
            ).mark("read-all")
            ui.link("Settings", "/notifications/settings").classes("qd-link text-sm self-center")
        self._filters()
        self.list = ui.column().classes("w-full gap-2").mark("notification-list")
        self.render()

    def _filters(self) -> None:
        kinds = {ANY: "Any kind", **{k: t.title for k, t in EVENT_TYPES.items()}}
        severities = {ANY: "Any severity", **{s.value: s.value.capitalize() for s in Severity}}
        spaces = {ANY: "Any workspace", **{str(k): v for k, v in self.names.items()}}
        with ui.row().classes("w-full items-center gap-3 flex-wrap"):
            ui.toggle(
                SHOWS, value=self.view.show, on_change=lambda e: self._set(show=e.value)
            ).props("no-caps unelevated").mark("filter-show")
            for field_name, options, mark in (
                ("kind", kinds, "filter-kind"),
                ("severity", severities, "filter-severity"),
                ("workspace", spaces, "filter-workspace"),
            ):
                ui.select(
                    options,
                    value=ANY,
                    on_change=lambda e, f=field_name: self._set(**{f: e.value or ANY}),
                ).props(f'dense outlined options-dense aria-label="{options[ANY]}"').classes(
                    "w-full sm:w-52"
                ).mark(mark)

    async def _set(self, **changes: str) -> None:
        self.view = replace(self.view, **changes)
        await self.load()
        self.render()

    def render(self) -> None:
        self.list.clear()
        with self.list:
            if not self.items:
                with ui.card().classes("qd-card w-full"):
                    empty_state(
                        "notifications_none",
                        "Nothing here",
                        "Failed jobs, long queues, expiring sessions and team changes show up "
                        "here as they happen.",
                    )
                return
            for item in self.items:
                self._row(item)
            if self.cursor:
                ui.button("Show more", on_click=self._more).props("flat no-caps").mark("more")

    def _row(self, item: NotificationRead) -> None:
        unread = item.read_at is None and item.archived_at is None
        severity = item.severity.value
        with (
            ui.card()
            .classes("qd-card w-full p-3 gap-2")
            .style("border-left: 4px solid var(--q-" + SEVERITY_COLORS[severity] + ")")
            .mark("notification")
        ):
            with ui.row().classes("w-full items-start gap-3 no-wrap"):
                ui.icon(SEVERITY_ICONS[severity], color=SEVERITY_COLORS[severity], size="22px")
                with ui.column().classes("gap-1 flex-1 min-w-0"):
                    with ui.row().classes("items-center gap-2 flex-wrap"):
                        title = ui.label(item.title).classes(
                            "font-semibold break-words" if unread else "break-words"
                        )
                        title.mark("notification-title")
                        if unread:
                            ui.badge("unread", color="primary").props("rounded").mark(
                                "unread-badge"
                            )
                    ui.label(item.body).classes("text-sm break-words").mark("notification-body")
                    meta = [EVENT_TYPES[item.kind].title if item.kind in EVENT_TYPES else item.kind]
                    if item.workspace_id in self.names:
                        meta.append(self.names[item.workspace_id])
                    meta.append(_ago(item.updated_at))
                    ui.label(" · ".join(meta)).classes("text-xs qd-muted")
            with ui.row().classes("w-full justify-end gap-1 flex-wrap"):
                if item.link:
                    ui.button(
                        "Open", icon="open_in_new", on_click=lambda i=item: self._open(i)
                    ).props("flat dense no-caps").mark("open")
                if item.archived_at is None:
                    label, read = ("Mark read", True) if unread else ("Mark unread", False)
                    ui.button(label, on_click=lambda i=item, r=read: self._read(i, r)).props(
                        "flat dense no-caps"
                    ).mark("mark-read" if read else "mark-unread")
                    ui.button(
                        "Archive", icon="archive", on_click=lambda i=item: self._archive(i, True)
                    ).props("flat dense no-caps").mark("archive")
                else:
                    ui.button(
                        "Restore", icon="unarchive", on_click=lambda i=item: self._archive(i, False)
                    ).props("flat dense no-caps").mark("unarchive")

    async def _more(self) -> None:
        await self.load(more=True)
        self.render()

    async def _read(self, item: NotificationRead, read: bool) -> None:
        async with self.viewer.qdeck.writing() as services:
            done = await attempt(
                services.notifications.mark_read(self.viewer.user, item.id, read=read)
            )
        if done is not None:
            await self.refresh()

    async def _archive(self, item: NotificationRead, archived: bool) -> None:
        async with self.viewer.qdeck.writing() as services:
            done = await attempt(
                services.notifications.archive(self.viewer.user, item.id, archived=archived)
            )
        if done is not None:
            await self.refresh()

    async def _read_all(self) -> None:
        async with self.viewer.qdeck.writing() as services:
            marked = await services.notifications.mark_all_read(self.viewer.user)
        ui.notify(f"{marked} marked read" if marked else "Nothing was unread", type="positive")
        await self.refresh()

    async def _open(self, item: NotificationRead) -> None:
        if item.read_at is None:
            async with self.viewer.qdeck.writing() as services:
                await services.notifications.mark_read(self.viewer.user, item.id)
        ui.navigate.to(item.link or "/notifications")

    async def refresh(self) -> None:
        await self.load()
        self.render()

    async def on_events(self, events: list[Event]) -> None:
        if any(e.type in LIVE and e.user_id == self.viewer.user.id for e in events):
            await self.refresh()


def register() -> None:
    @ui.page("/notifications", title="Notifications · qdeck", response_timeout=PAGE_WAIT)
    async def notifications_page(request: Request) -> RedirectResponse | None:
        viewer = await current_viewer(request)
        if viewer is None:
            return to_log_in(request)
        centre = NotificationCentre(viewer)
        await centre.load()
        with frame(viewer, "Notifications", active="notifications") as live:
            centre.build()
            live.on_events(centre.on_events)
            live.on_resync(centre.refresh)
        return None
