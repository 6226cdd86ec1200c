"""Workspace settings: name, projects, members, invitations, deletion.

Every action is one service call in one write unit of work (the same methods as the REST
API); what a viewer may change is asked of ``workspaces.access``. The page re-reads the
workspace whenever its settings, members, invitations or projects change, or the viewer's
access to it does, so a role changed elsewhere shows (and hides controls) at once.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import ui

from qdeck.db.keyset import PageRequest
from qdeck.errors import NotFound
from qdeck.events.access import ACCESS_CHANGED
from qdeck.events.bus import Event
from qdeck.ui.components.badges import section_card
from qdeck.ui.components.forms import submit_form
from qdeck.ui.errors import attempt, error_content
from qdeck.ui.layout import PAGE_WAIT, frame, page_heading
from qdeck.ui.pages.workspace_sections import (
    danger_zone,
    invitations_section,
    members_section,
    projects_section,
)
from qdeck.ui.session import Viewer, choose_workspace, current_viewer, to_log_in
from qdeck.workspaces.access import Action, allows
from qdeck.workspaces.changes import WORKSPACE_CHANGED
from qdeck.workspaces.schemas import (
    InvitationRead,
    MemberRead,
    ProjectSummary,
    WorkspaceRead,
)


@dataclass
class WorkspaceView:
    """What the page shows, read in one unit of work."""

    workspace: WorkspaceRead
    members: list[MemberRead]
    projects: list[ProjectSummary]
    invitations: list[InvitationRead] = field(default_factory=list)

    def can(self, action: Action) -> bool:
        return allows(self.workspace.role, action)


async def load_view(viewer: Viewer, workspace_id: uuid.UUID) -> WorkspaceView:
    """Raises NotFound for a workspace the viewer is not in."""
    async with viewer.qdeck.reading() as services:
        workspace = await services.workspaces.get(viewer.user, workspace_id)
        members, _ = await services.workspaces.list_members(
            viewer.user, workspace_id, PageRequest(limit=200)
        )
        projects = await services.projects.summaries(viewer.user, workspace_id)
        view = WorkspaceView(workspace, members, projects)
        if view.can(Action.MANAGE_MEMBERS):
            view.invitations = await services.invitations.pending(viewer.user, workspace_id)
    return view


class SettingsPage:
    def __init__(self, viewer: Viewer, view: WorkspaceView) -> None:
        self.viewer = viewer
        self.view = view

    async def act(self, call: Callable[[Any], Awaitable[Any]], *, success: str = "") -> Any:
        """One service call in a write unit of work; errors become the API's message."""

        async def run() -> Any:
            async with self.viewer.qdeck.writing() as services:
                return await call(services) or True

        done = await attempt(run(), success=success)
        if done is not None:
            await self.reload()
        return done

    async def write(self, call: Callable[[Any], Awaitable[Any]]) -> Any:
        """A write unit of work around ``call``; errors propagate (for field messages)."""
        async with self.viewer.qdeck.writing() as services:
            return await call(services) or True

    async def reload(self) -> None:
        try:
            self.view = await load_view(self.viewer, self.view.workspace.id)
        except NotFound:
            ui.notify("You no longer have access to this workspace.", type="warning")
            ui.navigate.to("/dashboard")
            return
        self.content.refresh()

    async def heard(self, events: list[Event]) -> None:
        ws = str(self.view.workspace.id)
        me = self.viewer.user.id
        if any(
            e.type in (WORKSPACE_CHANGED, ACCESS_CHANGED)
            and str(e.workspace_id) == ws
            # The viewer's own changes were shown when made; a second rebuild would wipe
            # what they started typing since.
            and not (e.type == WORKSPACE_CHANGED and e.actor_id == me)
            for e in events
        ):
            await self.reload()

    @ui.refreshable_method
    def content(self) -> None:
        view = self.view
        workspace = view.workspace
        subtitle = "Your personal workspace" if workspace.is_personal else "Team workspace"
        with page_heading(workspace.name, f"{subtitle} · you are {workspace.role.value}"):
            ui.button("New team workspace", icon="add", on_click=self.create_dialog).props(
                "outline no-caps"
            ).mark("new-workspace")
        self.general()
        projects_section(self)
        members_section(self)
        if view.can(Action.MANAGE_MEMBERS) and not workspace.is_personal:
            invitations_section(self)
        if not workspace.is_personal:
            danger_zone(self)

    def general(self) -> None:
        workspace = self.view.workspace
        with section_card("General", "The name everyone in the workspace sees"):
            if not self.view.can(Action.UPDATE_WORKSPACE):
                ui.label(workspace.description or "No description.").classes("qd-muted")
                return
            name = (
                ui.input("Workspace name", value=workspace.name)
                .props("outlined")
                .classes("w-full max-w-lg")
                .mark("workspace-name")
            )
            description = (
                ui.textarea("Description", value=workspace.description)
                .props("outlined autogrow")
                .classes("w-full max-w-lg")
            )

            async def save() -> None:
                async def rename(services: Any) -> Any:
                    return await services.workspaces.update(
                        self.viewer.user,
                        workspace.id,
                        name=name.value,
                        description=description.value,
                    )

                if await submit_form(
                    self.write(rename), {"name": name}, fallback="name", success="Saved"
                ):
                    await self.reload()

            ui.button("Save", on_click=save).props("unelevated no-caps").mark("save-workspace")

    def create_dialog(self) -> None:
        with ui.dialog() as dialog, ui.card().classes("qd-card w-full max-w-md p-6 gap-3"):
            ui.label("New team workspace").classes("text-xl font-bold")
            ui.label("You become its owner and can invite others.").classes("qd-muted text-sm")
            name = (
                ui.input("Name of the new workspace").props("outlined autofocus").classes("w-full")
            )

            async def create() -> None:
                async def make(services: Any) -> Any:
                    return await services.workspaces.create(self.viewer.user, name.value)

                made = await submit_form(self.write(make), {"name": name}, fallback="name")
                if made:
                    dialog.close()
                    # That page reads the viewer's workspaces afresh and makes it current.
                    ui.navigate.to(f"/workspaces/{made.id}/settings")

            name.on("keydown.enter", create)
            with ui.row().classes("w-full justify-end gap-2"):
                ui.button("Cancel", on_click=dialog.close).props("flat no-caps")
                ui.button("Create", on_click=create).props("unelevated no-caps").mark(
                    "create-workspace"
                )
        dialog.open()


async def _page(request: Request, viewer: Viewer, workspace_id: uuid.UUID | None) -> None:
    try:
        view = await load_view(viewer, workspace_id) if workspace_id else None
    except NotFound:
        view = None
    title = view.workspace.name if view else "Workspace not found"
    with frame(viewer, f"{title} settings", active="workspace") as live:
        if view is None:
            ui.context.client.status_code = 404
            error_content(404, "This workspace does not exist, or you are not in it.")
            return
        page = SettingsPage(viewer, view)
        page.content()
        live.on_events(page.heard)
        live.on_resync(page.reload)


def register() -> None:
    @ui.page("/workspace/settings", title="Workspace settings · qdeck", response_timeout=PAGE_WAIT)
    async def current_workspace(request: Request) -> RedirectResponse | None:
        viewer = await current_viewer(request)
        if viewer is None:
            return to_log_in(request)
        await _page(request, viewer, viewer.workspace.id)
        return None

    @ui.page(
        "/workspaces/{workspace_id}/settings",
        title="Workspace settings · qdeck",
        response_timeout=PAGE_WAIT,
    )
    async def one_workspace(request: Request, workspace_id: str) -> RedirectResponse | None:
        viewer = await current_viewer(request)
        if viewer is None:
            return to_log_in(request)
        try:
            chosen: uuid.UUID | None = uuid.UUID(workspace_id)
        except ValueError:
            chosen = None
        if chosen is not None and chosen in viewer.workspace_ids:
            # Settings of a workspace make it the current one, as the switcher would.
            choose_workspace(viewer, chosen)
            viewer.workspace = next(w for w in viewer.workspaces if w.id == chosen)
        await _page(request, viewer, chosen)
        return None
