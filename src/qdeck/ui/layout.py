"""The frame around every signed-in page: header, navigation, live updates, content."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from nicegui import context, ui

from qdeck.ui.components.gamification_toasts import gamification_toasts
from qdeck.ui.components.invitations import PendingInvitations
from qdeck.ui.components.live import LiveUpdates
from qdeck.ui.components.notification_bell import NotificationBell
from qdeck.ui.session import Viewer, choose_workspace, log_out, save_theme
from qdeck.ui.theme import apply_theme

# Pages that list backends may wait for the device catalog, which loads every device's
# calibration once after the server starts (seconds).
CATALOG_WAIT = 30.0
# Pages that read several lists in one unit of work: NiceGUI's 3 s default is too tight
# on a busy machine (seen at a load of 11 on two cores), and a 500 is worse than waiting.
PAGE_WAIT = 15.0


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    icon: str
    path: str


# Pages not built yet (Analytics) are not listed.
NAVIGATION = [
    NavItem("dashboard", "Dashboard", "space_dashboard", "/dashboard"),
    NavItem("jobs", "Jobs", "view_list", "/jobs"),
    NavItem("submit", "Submit", "add_circle", "/submit"),
    NavItem("backends", "Backends", "memory", "/backends"),
    NavItem("sessions", "Sessions", "layers", "/sessions"),
    NavItem("notifications", "Notifications", "notifications", "/notifications"),
    NavItem("chat", "Chat", "forum", "/chat"),
    NavItem("documents", "Documents", "description", "/documents"),
    NavItem("quest", "Quantum Quest", "school", "/quest"),
    NavItem("progress", "Progress", "insights", "/progress"),
    NavItem("leaderboards", "Leaderboards", "leaderboard", "/leaderboards"),
    NavItem("challenges", "Challenges", "flag", "/challenges"),
]
# Below a divider: the team and the person, also in the avatar menu.
SETTINGS_NAVIGATION = [
    NavItem("workspace", "Workspace settings", "groups", "/workspace/settings"),
    NavItem("account", "Account", "manage_accounts", "/account"),
    NavItem("security", "Sessions and security", "shield", "/account/security"),
    NavItem("notification-settings", "Notification settings", "tune", "/notifications/settings"),
    NavItem("webhooks", "Webhooks", "webhook", "/notifications/webhooks"),
]


def brand(link: str = "/") -> None:
    with ui.link(target=link).classes("flex items-center gap-2 no-underline text-inherit") as home:
        home.props('aria-label="qdeck home"')
        with ui.element("div").classes(
            "w-8 h-8 rounded-lg bg-primary flex items-center justify-center text-white"
        ):
            ui.icon("blur_on", size="20px")
        ui.label("qdeck").classes("text-lg font-bold tracking-tight gt-xs")


@contextmanager
def frame(
    viewer: Viewer, title: str, *, active: str, invitations: bool = True
) -> Iterator[LiveUpdates]:
    """Header, sidebar and the page's content column; yields the page's live updates.

    ``invitations``: show the viewer's pending invitations above the content (the
    account page lists them itself)."""
    ui.page_title(f"{title} · qdeck")
    dark = apply_theme(viewer.theme)
    live = LiveUpdates(viewer, context.client)
    # Achievement and level-up toasts, on whichever page the viewer has open.
    gamification_toasts(live)
    drawer = _drawer(active)
    _header(viewer, drawer, live, dark)
    main = ui.column().classes("w-full max-w-screen-2xl mx-auto px-3 py-4 md:px-8 md:py-6 gap-5")
    ui.skip_link("Skip to main content", target=main)
    with main:
        # Invitations waiting for the viewer, on every page; loaded once the page is
        # connected so the first response is not held up.
        if invitations:
            banner = PendingInvitations(viewer, live, banner=True)
            ui.timer(0.05, banner.reload, once=True)
        yield live


def page_heading(title: str, subtitle: str = "") -> ui.row:
    """The page's title row; actions can be added inside the returned row."""
    with (
        ui.row().classes("w-full items-end justify-between gap-3 flex-wrap") as row,
        ui.column().classes("gap-0"),
    ):
        ui.label(title).classes("text-2xl md:text-3xl font-bold tracking-tight").props(
            'role="heading" aria-level="1"'
        )
        if subtitle:
            ui.label(subtitle).classes("qd-muted text-sm")
    return row


def _drawer(active: str) -> ui.left_drawer:
    with (
        ui.left_drawer(value=None)
        .classes("qd-drawer p-0")
        .props('width=232 breakpoint=1024 aria-label="Main navigation"') as drawer,
        ui.list().classes("qd-nav w-full pt-4").props('role="navigation"'),
    ):
        for item in NAVIGATION:
            _nav_item(item, active)
        ui.separator().classes("my-2")
        for item in SETTINGS_NAVIGATION:
            _nav_item(item, active)
    return drawer


def _nav_item(item: NavItem, active: str) -> None:
    with (
        ui.item(on_click=lambda path=item.path: ui.navigate.to(path))
        .props(f'clickable href="{item.path}" role=link active={item.key == active}')
        .props('aria-current="page"' if item.key == active else "")
        .mark(f"nav-{item.key}")
    ):
        with ui.item_section().props("avatar").classes("min-w-0 pr-3"):
            ui.icon(item.icon, size="20px")
        ui.item_section(item.label)


def _header(viewer: Viewer, drawer: ui.left_drawer, live: LiveUpdates, dark: ui.dark_mode) -> None:
    with ui.header().classes("qd-header px-2 md:px-4 py-2 items-center gap-1 md:gap-3 no-wrap"):
        ui.button(icon="menu", on_click=drawer.toggle).props(
            'flat round aria-label="Toggle navigation"'
        ).classes("lg:hidden")
        brand("/dashboard")
        _workspace_switcher(viewer)
        ui.space()
        NotificationBell(viewer, live)
        _theme_toggle(viewer, dark)
        _user_menu(viewer)


def _workspace_switcher(viewer: Viewer) -> None:
    options = {str(w.id): w.name for w in viewer.workspaces}

    def switch(event) -> None:
        choose_workspace(viewer, uuid.UUID(event.value))
        ui.navigate.to(viewer.path.split("?")[0])

    ui.select(options, value=str(viewer.workspace.id), on_change=switch).props(
        'dense outlined options-dense aria-label="Workspace" behavior=menu'
    ).classes("w-32 sm:w-56 ml-1 md:ml-4 min-w-0").mark("workspace-switcher")


def _theme_toggle(viewer: Viewer, dark: ui.dark_mode) -> None:
    async def toggle() -> None:
        dark.value = not bool(dark.value)
        button.props(f"icon={'light_mode' if dark.value else 'dark_mode'}")
        await save_theme(viewer, "dark" if dark.value else "light")

    button = ui.button(
        icon="light_mode" if viewer.theme == "dark" else "dark_mode", on_click=toggle
    ).props('flat round aria-label="Toggle dark mode"')
    button.mark("theme-toggle")


def _user_menu(viewer: Viewer) -> None:
    name = viewer.user.display_name
    initials = "".join(part[0] for part in name.split()[:2]).upper() or "?"

    async def sign_out() -> None:
        await log_out(viewer)
        ui.navigate.to("/login")

    with ui.button().props(f'flat round aria-label="Account menu for {name}"').mark("user-menu"):
        with ui.avatar(color="primary", text_color="white", size="34px", font_size="14px"):
            ui.label(initials).classes("font-semibold")
        with ui.menu().classes("min-w-56"):
            with ui.column().classes("px-4 py-3 gap-0"):
                ui.label(name).classes("font-semibold")
                ui.label(viewer.user.email).classes("qd-muted text-sm")
            ui.separator()
            for item in SETTINGS_NAVIGATION:
                with (
                    ui.menu_item(on_click=lambda path=item.path: ui.navigate.to(path))
                    .classes("items-center gap-3")
                    .mark(f"menu-{item.key}")
                ):
                    ui.icon(item.icon, size="20px").classes("qd-muted")
                    ui.label(item.label)
            ui.separator()
            ui.menu_item("Log out", on_click=sign_out).mark("log-out")
