"""Sessions and security (/account/security): where you are logged in, your API tokens
with their last use, and ending any of them, or all at once.

Through the same services as the API (``SessionService``, ``AuthService``); every ending
is announced, so the ended browser's open pages close live.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import app, ui

from qdeck.auth.models import ApiToken
from qdeck.auth.schemas import SessionRead
from qdeck.db.keyset import PageRequest
from qdeck.errors import NotAuthenticated
from qdeck.ui.components.badges import section_card
from qdeck.ui.errors import attempt
from qdeck.ui.layout import PAGE_WAIT, frame, page_heading
from qdeck.ui.session import TOKEN_KEY, WORKSPACE_KEY, Viewer, current_viewer, to_log_in

MAX_TOKENS = 100


def _when(at: datetime | None) -> str:
    return at.strftime("%Y-%m-%d %H:%M UTC") if at else "never"


class SecurityPage:
    def __init__(self, viewer: Viewer) -> None:
        self.viewer = viewer
        self.sessions: list[SessionRead] = []
        self.tokens: list[ApiToken] = []

    async def load(self) -> None:
        async with self.viewer.qdeck.reading() as services:
            user = await services.auth.user_for_session(self.viewer.token)
            if user is None:
                raise NotAuthenticated("Your session has ended; log in again.")
            self.sessions = await services.browser_sessions.list_sessions(
                user, current_token=self.viewer.token
            )
            self.tokens, _ = await services.auth.list_api_tokens(
                user, PageRequest(limit=MAX_TOKENS)
            )

    async def _write(self, change: Callable[[Any, Any], Awaitable[Any]]) -> bool:
        """One unit of work around ``change(services, user)``, user re-read inside it."""
        async with self.viewer.qdeck.writing() as services:
            user = await services.auth.user_for_session(self.viewer.token)
            if user is None:
                raise NotAuthenticated("Your session has ended; log in again.")
            await change(services, user)
        return True

    async def _after(self, done: bool | None) -> None:
        if not done:
            return
        try:
            await self.load()
        except NotAuthenticated:
            _signed_out()
            return
        self.sessions_section.refresh()
        self.tokens_section.refresh()

    @ui.refreshable_method
    def sessions_section(self) -> None:
        subtitle = "Browsers logged in to your account; end any you do not recognise"
        with section_card("Browser sessions", subtitle).mark("sessions"):
            for item in self.sessions:
                with (
                    ui.row()
                    .classes("w-full items-center gap-3 py-2 border-b no-wrap")
                    .style("border-color: var(--qd-border)")
                    .mark("session-row")
                ):
                    ui.icon("devices", size="20px").classes("qd-muted")
                    with ui.column().classes("gap-0 flex-1 min-w-0"):
                        with ui.row().classes("items-center gap-2"):
                            ui.label(item.device).classes("font-medium break-words")
                            if item.current:
                                ui.badge("This browser", color="primary").mark("this-session")
                        ui.label(
                            f"{item.ip_address or 'unknown address'} · signed in "
                            f"{_when(item.created_at)} · last seen {_when(item.last_seen_at)}"
                        ).classes("qd-muted text-xs break-words")
                    label = "Log out" if item.current else "End"
                    ui.button(label, on_click=lambda s=item: self._end(s)).props(
                        f'flat no-caps color=negative aria-label="{label} {item.device}"'
                    ).mark("end-this-session" if item.current else "end-session")
            with ui.row().classes("w-full gap-2 pt-2 flex-wrap"):
                ui.button(
                    "Log out everywhere else", on_click=lambda: self._everywhere(keep=True)
                ).props("outline no-caps").mark("logout-others")
                ui.button("Log out everywhere", on_click=self._confirm_everywhere).props(
                    "unelevated no-caps color=negative"
                ).mark("logout-everywhere")

    @ui.refreshable_method
    def tokens_section(self) -> None:
        subtitle = "Scripts, the CLI and the SDK; create tokens on your Account page"
        with section_card("API tokens", subtitle).mark("tokens"):
            if not self.tokens:
                ui.label("No API tokens.").classes("qd-muted text-sm")
            for token in self.tokens:
                with (
                    ui.row()
                    .classes("w-full items-center gap-3 py-2 border-b no-wrap")
                    .style("border-color: var(--qd-border)")
                    .mark("token-row")
                ):
                    ui.icon("key", size="20px").classes("qd-muted")
                    with ui.column().classes("gap-0 flex-1 min-w-0"):
                        ui.label(token.name).classes("font-medium break-words")
                        ui.label(
                            f"{token.prefix}… · created {_when(token.created_at)} · "
                            f"last used {_when(token.last_used_at)}"
                        ).classes("qd-muted text-xs break-words")
                    ui.button("Revoke", on_click=lambda t=token: self._revoke(t)).props(
                        f'flat no-caps color=negative aria-label="Revoke {token.name}"'
                    ).mark("revoke-token")

    async def _end(self, item: SessionRead) -> None:
        done = await attempt(
            self._write(lambda s, u: s.browser_sessions.revoke_session(u, item.id)),
            success="Logged out" if item.current else f"{item.device} logged out",
        )
        if done and item.current:
            _signed_out()
            return
        await self._after(done)

    async def _revoke(self, token: ApiToken) -> None:
        done = await attempt(
            self._write(lambda s, u: s.auth.revoke_api_token(u, token.id)),
            success=f"Token {token.name} revoked",
        )
        await self._after(done)

    def _confirm_everywhere(self) -> None:
        with ui.dialog() as dialog, ui.card().classes("qd-card gap-3 max-w-md"):
            ui.label("Log out everywhere?").classes("text-lg font-semibold")
            ui.label("Every browser logged in to your account, this one too, is logged out.")
            tokens = ui.checkbox("Also revoke all my API tokens").mark("also-tokens")
            with ui.row().classes("w-full justify-end gap-2"):
                ui.button("Cancel", on_click=dialog.close).props("flat no-caps")

                async def go() -> None:
                    dialog.close()
                    await self._everywhere(keep=False, revoke_tokens=bool(tokens.value))

                ui.button("Log out everywhere", on_click=go).props(
                    "unelevated no-caps color=negative"
                ).mark("confirm-logout-everywhere")
        dialog.open()

    async def _everywhere(self, *, keep: bool, revoke_tokens: bool = False) -> None:
        keep_token = self.viewer.token if keep else None
        done = await attempt(
            self._write(
                lambda s, u: s.browser_sessions.log_out_everywhere(
                    u, keep_session_token=keep_token, revoke_tokens=revoke_tokens
                )
            ),
            success="Your other sessions were logged out" if keep else "",
        )
        if done and not keep:
            _signed_out()
            return
        await self._after(done)


def _signed_out() -> None:
    app.storage.user.pop(TOKEN_KEY, None)
    app.storage.user.pop(WORKSPACE_KEY, None)
    ui.navigate.to("/login")


def register() -> None:
    @ui.page("/account/security", title="Sessions and security · qdeck", response_timeout=PAGE_WAIT)
    async def security_page(request: Request) -> RedirectResponse | None:
        viewer = await current_viewer(request)
        if viewer is None:
            return to_log_in(request)
        page = SecurityPage(viewer)
        try:
            await page.load()
        except NotAuthenticated:
            return to_log_in(request)
        with frame(viewer, "Sessions and security", active="security"):
            with page_heading("Sessions and security", "Where you are logged in, and your tokens"):
                ui.button(
                    "Account", icon="manage_accounts", on_click=lambda: ui.navigate.to("/account")
                ).props("outline no-caps")
            with ui.element("div").classes("grid w-full gap-5 lg:grid-cols-2 items-start"):
                page.sessions_section()
                page.tokens_section()
        return None
