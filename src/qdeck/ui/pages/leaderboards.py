"""Leaderboards (/leaderboards): the shown workspace's board (this week, this month,
all time), the opt-in global board, and this week's league cohort. Read from rollups
the consumer maintains; refreshed live when the viewer's XP changes."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import ui

from qdeck.events.bus import Event
from qdeck.gamification.event_types import XP_EARNED
from qdeck.gamification.schemas import BoardRead, LeagueRead
from qdeck.ui.components.badges import empty_state, section_card
from qdeck.ui.layout import PAGE_WAIT, frame, page_heading
from qdeck.ui.session import Viewer, current_viewer, to_log_in

PERIODS = {"week": "This week", "month": "This month", "all": "All time"}


def board_table(rows, mark: str, *, value_label: str = "XP") -> None:
    """Rank, name and value per row: plain rows read well at phone width too."""
    with ui.column().classes("w-full gap-1").mark(mark):
        with ui.row().classes("w-full no-wrap gap-2 text-xs qd-muted"):
            ui.label("#").classes("w-8")
            ui.label("Name").classes("grow")
            ui.label(value_label).classes("w-20 text-right")
        for r in rows:
            weight = "font-semibold" if r.you else ""
            with ui.row().classes(f"w-full no-wrap gap-2 text-sm {weight}"):
                ui.label(str(r.rank)).classes("w-8")
                ui.label(r.display_name + (" (you)" if r.you else "")).classes("grow truncate")
                ui.label(f"{r.xp:,}").classes("w-20 text-right")


class LeaderboardsPage:
    def __init__(self, viewer: Viewer) -> None:
        self.viewer = viewer
        self.period = "week"

    async def load(self) -> None:
        async with self.viewer.qdeck.reading() as services:
            g = services.gamification
            user = self.viewer.user
            self.workspace: BoardRead = await g.workspace_board(
                user, self.viewer.workspace.id, self.period
            )
            self.global_: BoardRead = await g.global_board(user, self.period)
            self.league: LeagueRead = await g.league(user)

    def build(self) -> None:
        with page_heading("Leaderboards", "Your workspace, the opt-in global board, your league"):
            ui.toggle(PERIODS, value=self.period, on_change=self._period).props(
                "no-caps unelevated"
            ).mark("period")
        self.body = ui.grid().classes("w-full gap-4 grid-cols-1 lg:grid-cols-3")
        self.render()

    def render(self) -> None:
        self.body.clear()
        with self.body:
            with section_card(self.viewer.workspace.name, PERIODS[self.period]):
                board_table(self.workspace.rows, "workspace-board")
            with section_card("Global", "people who opted in; no workspace is named"):
                if self.global_.rows:
                    board_table(self.global_.rows, "global-board")
                else:
                    empty_state(
                        "public", "Nobody here yet", "Opt in on your progress page to appear."
                    )
            league = self.league
            with section_card(
                f"League: {league.tier_name}",
                f"top {league.promoted} move up, bottom {league.demoted} down; "
                f"closes {league.closes_at:%a %b %d %H:%M} UTC",
            ):
                if league.rows:
                    board_table(league.rows, "league-board")
                else:
                    empty_state(
                        "emoji_events",
                        "Not in a league this week",
                        "Join weekly leagues on your progress page, then earn XP.",
                    )

    async def _period(self, event) -> None:
        self.period = event.value
        await self.refresh()

    async def on_events(self, events: list[Event]) -> None:
        if any(e.type == XP_EARNED for e in events):
            await self.refresh()

    async def refresh(self) -> None:
        await self.load()
        self.render()


def register() -> None:
    @ui.page("/leaderboards", title="Leaderboards · qdeck", response_timeout=PAGE_WAIT)
    async def leaderboards_page(request: Request) -> RedirectResponse | None:
        viewer = await current_viewer(request)
        if viewer is None:
            return to_log_in(request)
        page = LeaderboardsPage(viewer)
        await page.load()
        with frame(viewer, "Leaderboards", active="leaderboards") as live:
            page.build()
            live.on_events(page.on_events)
            live.on_resync(page.refresh)
        return None
