"""Who is looking: the UI's sign-in state.

The log-in page calls ``AuthService.login`` and keeps the session token in NiceGUI's
per-browser ``app.storage.user`` (server-side, keyed by a signed ``qdeck_ui`` cookie).
Every page resolves the user again through ``AuthService.user_for_session``, so an
expired, logged-out or password-changed session ends the UI session too.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import app

from qdeck.auth.models import User
from qdeck.auth.schemas import Preferences
from qdeck.db.keyset import PageRequest
from qdeck.notifications.service import Inbox
from qdeck.ui.context import Qdeck, qdeck_for
from qdeck.workspaces.roles import Role
from qdeck.workspaces.schemas import WorkspaceRead

TOKEN_KEY = "session_token"
WORKSPACE_KEY = "workspace_id"


@dataclass
class Viewer:
    """The signed-in user, their workspaces and the one they are looking at.

    ``refresh_access`` reads the workspaces and roles again when access changes while
    the page is open; controls that need write access bind their visibility to
    ``can_write``, so a member demoted to viewer loses them without a reload."""

    qdeck: Qdeck
    user: User
    token: str
    workspaces: list[WorkspaceRead]
    workspace: WorkspaceRead
    path: str
    inbox: Inbox
    # Set when the viewer lost access to the workspace this page shows.
    workspace_lost: bool = False
    # Set when this page logs the viewer out: its own log-out is no news to it.
    signing_out: bool = False

    @property
    def theme(self) -> str:
        return (self.user.preferences or {}).get("theme", "auto")

    @property
    def workspace_ids(self) -> set[uuid.UUID]:
        return {w.id for w in self.workspaces}

    @property
    def can_write(self) -> bool:
        """May submit and manage jobs in the shown workspace (a viewer may not)."""
        return not self.workspace_lost and self.workspace.role != Role.VIEWER


async def refresh_access(viewer: Viewer) -> bool:
    """Read the viewer's session and workspaces again; False when the session has ended
    (logged out elsewhere, password changed, expired)."""
    async with viewer.qdeck.reading() as services:
        user = await services.auth.user_for_session(viewer.token)
        if user is None:
            return False
        workspaces, _ = await services.workspaces.list_for(user, PageRequest(limit=200))
    viewer.workspaces = workspaces
    current = next((w for w in workspaces if w.id == viewer.workspace.id), None)
    if current is None:
        viewer.workspace_lost = True
    else:
        viewer.workspace = current
    return True


async def current_viewer(request: Request) -> Viewer | None:
    """The signed-in viewer of this request, or None."""
    token = app.storage.user.get(TOKEN_KEY)
    if not token:
        return None
    qdeck = qdeck_for(request)
    async with qdeck.reading() as services:
        user = await services.auth.user_for_session(token)
        if user is None:
            app.storage.user.pop(TOKEN_KEY, None)
            return None
        workspaces, _ = await services.workspaces.list_for(user, PageRequest(limit=200))
        inbox = await services.notifications.inbox(user)
    chosen = str(app.storage.user.get(WORKSPACE_KEY, ""))
    workspace = next((w for w in workspaces if str(w.id) == chosen), None)
    workspace = workspace or next((w for w in workspaces if w.is_personal), workspaces[0])
    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return Viewer(qdeck, user, token, workspaces, workspace, path, inbox)


def to_log_in(request: Request) -> RedirectResponse:
    """Send a signed-out visitor to log in, and back here afterwards."""
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)


def safe_next(target: str | None) -> str:
    """Only paths on this site: never an open redirect."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/dashboard"
    return target


async def log_in(qdeck: Qdeck, email: str, password: str) -> User:
    """Raises NotAuthenticated / RateLimited with the API's own messages."""
    async with qdeck.writing() as services:
        logged_in = await services.auth.login(email, password, qdeck.client)
    app.storage.user[TOKEN_KEY] = logged_in.session_token
    return logged_in.user


async def sign_up(qdeck: Qdeck, name: str, email: str, password: str) -> User:
    """A new account with its personal workspace, signed in."""
    async with qdeck.writing() as services:
        logged_in = await services.auth.signup(email, password, name, qdeck.client)
    app.storage.user[TOKEN_KEY] = logged_in.session_token
    app.storage.user.pop(WORKSPACE_KEY, None)
    return logged_in.user


async def log_out(viewer: Viewer) -> None:
    viewer.signing_out = True
    async with viewer.qdeck.writing() as services:
        await services.auth.logout(viewer.token)
    app.storage.user.pop(TOKEN_KEY, None)
    app.storage.user.pop(WORKSPACE_KEY, None)


async def save_theme(viewer: Viewer, theme: str) -> None:
    """Remember the theme in the user's preferences (what PATCH /auth/me stores)."""
    changes = Preferences(theme=theme).model_dump(exclude_none=True)  # type: ignore[arg-type]
    async with viewer.qdeck.writing() as services:
        auth = services.auth
        user = await auth.user_for_session(viewer.token)
        if user is None:
            return
        await auth.update_profile(user, display_name=None, preferences=changes)
    viewer.user.preferences = {**(viewer.user.preferences or {}), **changes}


def choose_workspace(viewer: Viewer, workspace_id: uuid.UUID) -> None:
    if workspace_id in viewer.workspace_ids:
        app.storage.user[WORKSPACE_KEY] = str(workspace_id)
