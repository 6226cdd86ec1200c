"""Invitations waiting for the viewer: a banner on every page and a list on /account.

Both read ``InvitationService.mine`` and refresh when an ``invitation.*`` event for the
viewer arrives, so an invitation sent while the page is open appears without a reload.
Accepting reloads the page, so the new workspace is in the switcher and its events reach
the page.
"""

from __future__ import annotations

from nicegui import ui

from qdeck.events.bus import Event
from qdeck.ui.components.live import LiveUpdates
from qdeck.ui.errors import attempt
from qdeck.ui.session import Viewer, choose_workspace
from qdeck.workspaces.changes import INVITATION_RECEIVED, INVITATION_RESOLVED
from qdeck.workspaces.schemas import InvitationRead

INVITATION_EVENTS = {INVITATION_RECEIVED, INVITATION_RESOLVED}


async def my_invitations(viewer: Viewer) -> list[InvitationRead]:
    async with viewer.qdeck.reading() as services:
        return await services.invitations.mine(viewer.user)


class PendingInvitations:
    """The viewer's pending invitations with Accept and Decline, kept current live."""

    def __init__(self, viewer: Viewer, live: LiveUpdates, *, banner: bool) -> None:
        self.viewer = viewer
        self.banner = banner
        self.items: list[InvitationRead] = []
        self.box = ui.column().classes("w-full gap-2").mark("pending-invitations")
        live.on_events(self._heard)
        live.on_resync(self.reload)

    async def reload(self) -> None:
        self.items = await my_invitations(self.viewer)
        self.render()

    async def _heard(self, events: list[Event]) -> None:
        if any(e.type in INVITATION_EVENTS for e in events):
            await self.reload()

    def render(self) -> None:
        self.box.clear()
        with self.box:
            if not self.items and not self.banner:
                ui.label("No invitations are waiting for you.").classes("qd-muted text-sm")
            for item in self.items:
                self._row(item)

    def _row(self, item: InvitationRead) -> None:
        who = item.invited_by_name or "Someone"
        with (
            ui.row()
            .classes("qd-card w-full items-center gap-3 px-4 py-3 rounded-xl no-wrap")
            .mark(f"invitation-{item.workspace_name}")
        ):
            ui.icon("group_add", color="primary", size="24px")
            with ui.column().classes("gap-0 flex-1 min-w-0"):
                ui.label(f"{who} invited you to {item.workspace_name}").classes(
                    "font-medium break-words"
                )
                ui.label(f"as {item.role.value} · until {item.expires_at:%b %d}").classes(
                    "qd-muted text-xs"
                )
            with ui.row().classes("gap-1 no-wrap"):
                ui.button("Decline", on_click=lambda i=item: self._decline(i)).props("flat no-caps")
                ui.button("Accept", on_click=lambda i=item: self._accept(i)).props(
                    "unelevated no-caps"
                )

    async def _accept(self, item: InvitationRead) -> None:
        async def accept():
            async with self.viewer.qdeck.writing() as services:
                return await services.invitations.accept(self.viewer.user, item.id)

        joined = await attempt(accept(), success=f"You joined {item.workspace_name}")
        if joined is not None:
            # Switch to it: the reloaded page shows the new workspace, chosen, in the switcher.
            self.viewer.workspaces.append(joined)
            choose_workspace(self.viewer, joined.id)
            ui.navigate.reload()

    async def _decline(self, item: InvitationRead) -> None:
        async def decline():
            async with self.viewer.qdeck.writing() as services:
                await services.invitations.decline(self.viewer.user, item.id)
                return True

        if await attempt(decline(), success="Invitation declined"):
            await self.reload()
