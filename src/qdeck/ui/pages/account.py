"""Your account: name, theme, time zone, password, invitations, IBM Quantum token, API
tokens, and a link to your active sessions.

Everything goes through the services the REST API uses (``AuthService``,
``VaultService``, ``BackendService.check_ibm``, ``InvitationService``).
"""

from __future__ import annotations

import zoneinfo
from functools import cache
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import ui

from qdeck.auth.schemas import PASSWORD_MIN
from qdeck.errors import InvalidInput, NotAuthenticated
from qdeck.ui.components.badges import section_card
from qdeck.ui.components.forms import submit_form
from qdeck.ui.components.invitations import PendingInvitations
from qdeck.ui.components.password_strength import PasswordStrength
from qdeck.ui.layout import PAGE_WAIT, frame, page_heading
from qdeck.ui.pages.account_secrets import AccountSecrets, load_secrets
from qdeck.ui.session import Viewer, current_viewer, save_theme, to_log_in
from qdeck.ui.theme import apply_theme

THEMES = {"light": "Light", "dark": "Dark", "auto": "Same as my device"}


@cache
def time_zones() -> list[str]:
    return sorted(zoneinfo.available_timezones())


def checked_time_zone(name: str) -> str:
    """An IANA zone name zoneinfo knows (what the preference may hold)."""
    name = (name or "").strip()
    if name not in time_zones():
        raise InvalidInput(
            f"{name!r} is not a time zone; pick one such as Europe/Berlin.",
            code="invalid_time_zone",
            errors=[{"field": "time_zone", "message": "unknown time zone"}],
        )
    return name


async def _fresh_user(services: Any, viewer: Viewer) -> Any:
    """The viewer re-read in this unit of work (a session ended elsewhere stops here)."""
    user = await services.auth.user_for_session(viewer.token)
    if user is None:
        raise NotAuthenticated("Your session has ended; log in again.")
    return user


class AccountPage:
    def __init__(self, viewer: Viewer) -> None:
        self.viewer = viewer

    def profile(self) -> None:
        user = self.viewer.user
        prefs = user.preferences or {}
        with section_card("Profile", "How others see you, and how qdeck looks for you"):
            ui.label(user.email).classes("qd-muted text-sm")
            name = (
                ui.input("Display name", value=user.display_name)
                .props('outlined autocomplete="name" maxlength=100')
                .classes("w-full max-w-lg")
                .mark("display-name")
            )
            zone = (
                ui.select(
                    time_zones(),
                    value=prefs.get("time_zone") or "UTC",
                    label="Time zone",
                    with_input=True,
                )
                .props("outlined options-dense")
                .classes("w-full max-w-lg")
                .mark("time-zone")
            )
            theme = ui.toggle(THEMES, value=self.viewer.theme).props("no-caps").mark("theme")

            async def save() -> None:
                async def change() -> Any:
                    changes = {"time_zone": checked_time_zone(zone.value or "")}
                    async with self.viewer.qdeck.writing() as services:
                        user = await _fresh_user(services, self.viewer)
                        return await services.auth.update_profile(
                            user,
                            display_name=(name.value or "").strip() or None,
                            preferences=changes,
                        )

                saved = await submit_form(
                    change(), {"time_zone": zone, "display_name": name}, success="Profile saved"
                )
                if saved is not None:
                    self.viewer.user.display_name = saved.display_name
                    self.viewer.user.preferences = saved.preferences

            async def pick_theme(event: Any) -> None:
                await save_theme(self.viewer, event.value)
                apply_theme(event.value)

            theme.on_value_change(pick_theme)
            ui.button("Save profile", on_click=save).props("unelevated no-caps").mark(
                "save-profile"
            )

    def password(self) -> None:
        with (
            section_card("Password", "Changing it logs out your other browser sessions"),
            ui.element("form")
            .props('autocomplete="on"')
            # Not an inline onsubmit: the page's CSP refuses inline handlers.
            .on("submit.prevent", js_handler="() => {}")
            .classes("w-full max-w-lg flex flex-col gap-2"),
        ):
            # A hidden user name lets password managers file the new password correctly.
            ui.input(value=self.viewer.user.email).props(
                'type=email autocomplete="username" readonly aria-hidden="true"'
            ).classes("hidden")
            current = self._password_box("Current password", "current-password")
            new = self._password_box("New password", "new-password")
            user = self.viewer.user
            PasswordStrength(new, email=lambda: user.email, name=lambda: user.display_name)
            again = self._password_box("New password again", "new-password")
            revoke = ui.checkbox("Also revoke all my API tokens").mark("revoke-tokens")

            async def change() -> None:
                again.error = None
                if (new.value or "") != (again.value or ""):
                    again.error = "The two new passwords differ."
                    return
                if len(new.value or "") < PASSWORD_MIN:
                    new.error = f"Use at least {PASSWORD_MIN} characters."
                    return

                async def run() -> bool:
                    async with self.viewer.qdeck.writing() as services:
                        user = await _fresh_user(services, self.viewer)
                        await services.auth.change_password(
                            user,
                            current.value or "",
                            new.value or "",
                            keep_session_token=self.viewer.token,
                            revoke_tokens=bool(revoke.value),
                        )
                    return True

                fields = {"current_password": current, "new_password": new}
                if await submit_form(
                    run(), fields, fallback="new_password", success="Password changed"
                ):
                    for box in (current, new, again):
                        box.value = ""

            ui.button("Change password", on_click=change).props(
                "unelevated no-caps type=submit"
            ).classes("self-start").mark("change-password")

    @staticmethod
    def _password_box(label: str, autocomplete: str) -> ui.input:
        return (
            ui.input(label, password=True, password_toggle_button=True)
            .props(f'outlined autocomplete="{autocomplete}"')
            .classes("w-full")
            .without_auto_validation()
            .mark(label.lower().replace(" ", "-"))
        )


def register() -> None:
    @ui.page("/account", title="Account · qdeck", response_timeout=PAGE_WAIT)
    async def account_page(request: Request) -> RedirectResponse | None:
        viewer = await current_viewer(request)
        if viewer is None:
            return to_log_in(request)
        secrets = await load_secrets(viewer)
        page = AccountPage(viewer)
        with frame(viewer, "Account", active="account", invitations=False) as live:
            with page_heading("Account", viewer.user.email):
                ui.button(
                    "Active sessions",
                    icon="devices",
                    on_click=lambda: ui.navigate.to("/account/security"),
                ).props("outline no-caps").mark("security-link")
            with ui.element("div").classes("grid w-full gap-5 lg:grid-cols-2 items-start"):
                with ui.column().classes("gap-5 min-w-0"):
                    page.profile()
                    page.password()
                with ui.column().classes("gap-5 min-w-0"):
                    with section_card("Invitations", "Workspaces that asked you to join"):
                        invitations = PendingInvitations(viewer, live, banner=False)
                        ui.timer(0.05, invitations.reload, once=True)
                    AccountSecrets(viewer, secrets).build()
        return None
