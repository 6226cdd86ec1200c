"""Challenges (/challenges): the weekly global challenge and the shown workspace's own,
each with its progress and leaderboard; admins create workspace challenges here.
Ended challenges keep their final standings."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import ui
from pydantic import ValidationError

from qdeck.db.types import utcnow
from qdeck.events.bus import Event
from qdeck.gamification.challenge_progress import RULE_KINDS
from qdeck.gamification.event_types import XP_EARNED
from qdeck.gamification.schemas import ChallengeBoardRead, ChallengeCreate, ChallengeRead
from qdeck.ui.components.badges import empty_state, section_card
from qdeck.ui.errors import attempt
from qdeck.ui.layout import PAGE_WAIT, frame, page_heading
from qdeck.ui.pages.leaderboards import board_table
from qdeck.ui.session import Viewer, current_viewer, to_log_in
from qdeck.workspaces.roles import Role


class ChallengesPage:
    def __init__(self, viewer: Viewer) -> None:
        self.viewer = viewer
        self.boards: dict[uuid.UUID, ChallengeBoardRead] = {}

    @property
    def is_admin(self) -> bool:
        return self.viewer.workspace.role in (Role.ADMIN, Role.OWNER)

    async def load(self) -> None:
        async with self.viewer.qdeck.reading() as services:
            g = services.gamification.challenges
            now = utcnow()
            self.items: list[ChallengeRead] = [
                c
                for c in await g.visible(self.viewer.user, now)
                if c.workspace_id in (None, self.viewer.workspace.id)
            ]
            self.boards = {c.id: await g.board(self.viewer.user, c.id, now) for c in self.items}

    def build(self) -> None:
        page_heading("Challenges", "Weekly global challenges and your workspace's own")
        if self.is_admin:
            self._create_form()
        self.body = ui.column().classes("w-full gap-4").mark("challenges")
        self.render()

    def render(self) -> None:
        self.body.clear()
        with self.body:
            if not self.items:
                with ui.card().classes("qd-card w-full"):
                    empty_state(
                        "flag",
                        "No challenges yet",
                        "A weekly challenge starts with the first XP of the week.",
                    )
            for c in self.items:
                board = self.boards[c.id]
                scope = "Global weekly" if c.workspace_id is None else self.viewer.workspace.name
                with section_card(
                    c.title,
                    f"{scope} · {c.rule_label} · target {c.target} · reward {c.reward_xp} XP · "
                    f"{c.status}, ends {c.ends_at:%b %d %H:%M} UTC",
                ).mark(f"challenge-{c.id}"):
                    ui.linear_progress(min(1.0, c.your_progress / c.target), show_value=False)
                    done = " — done!" if c.completed else ""
                    ui.label(
                        f"You: {c.your_progress} / {c.target}{done} · {c.participants} taking part"
                    ).classes("text-sm")
                    if board.final:
                        ui.label("Final standings").classes("text-xs qd-muted")
                    board_table(board.rows, f"challenge-board-{c.id}", value_label="Progress")

    def _create_form(self) -> None:
        now = datetime.now(UTC).replace(second=0, microsecond=0)
        with ui.expansion("New workspace challenge", icon="add").classes("qd-card w-full"):
            with ui.grid().classes("w-full gap-3 grid-cols-1 md:grid-cols-3"):
                title = ui.input("Title").mark("challenge-title")
                rule = ui.select(RULE_KINDS, value="jobs_completed", label="Rule").mark(
                    "challenge-rule"
                )
                target = ui.number("Target", value=10, min=1, precision=0).mark("challenge-target")
                reward = ui.number("Reward XP", value=50, min=0, max=1000, precision=0)
                starts = ui.input("Starts (UTC)", value=f"{now:%Y-%m-%d %H:%M}").mark(
                    "challenge-start"
                )
                ends = ui.input(
                    "Ends (UTC)", value=f"{now + timedelta(days=7):%Y-%m-%d %H:%M}"
                ).mark("challenge-end")

            async def create() -> None:
                try:
                    body = ChallengeCreate(
                        title=title.value or "",
                        rule=rule.value,
                        target=int(target.value or 0),
                        reward_xp=int(reward.value or 0),
                        starts_at=_parse(starts.value),
                        ends_at=_parse(ends.value),
                    )
                except (ValidationError, ValueError) as exc:
                    ui.notify(f"Check the form: {exc}", type="negative", multi_line=True)
                    return

                async def save():
                    async with self.viewer.qdeck.writing() as services:
                        return await services.gamification.challenges.create(
                            self.viewer.user, self.viewer.workspace.id, body, utcnow()
                        )

                if await attempt(save(), success="Challenge created"):
                    await self.refresh()

            ui.button("Create", icon="flag", on_click=create).props("no-caps").mark(
                "challenge-create"
            )

    async def on_events(self, events: list[Event]) -> None:
        if any(e.type == XP_EARNED for e in events):
            await self.refresh()

    async def refresh(self) -> None:
        await self.load()
        self.render()


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text.strip()).replace(tzinfo=UTC)


def register() -> None:
    @ui.page("/challenges", title="Challenges · qdeck", response_timeout=PAGE_WAIT)
    async def challenges_page(request: Request) -> RedirectResponse | None:
        viewer = await current_viewer(request)
        if viewer is None:
            return to_log_in(request)
        page = ChallengesPage(viewer)
        await page.load()
        with frame(viewer, "Challenges", active="challenges") as live:
            page.build()
            live.on_events(page.on_events)
            live.on_resync(page.refresh)
        return None
