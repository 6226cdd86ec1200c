"""Your progress (/progress): level and XP, streak and freezes, XP by week (chart), the
activity calendar (heat map), achievements (locked, in progress, earned; export a badge),
Quest progress, skills by topic, how XP works and your latest awards. It follows your
XP live. Through ``GamificationService``, like the API."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import ui

from qdeck.events.bus import Event
from qdeck.gamification.event_types import ALL
from qdeck.gamification.schemas import HowXpWorks, LedgerRead, PreferencesUpdate, ProgressRead
from qdeck.ui.components import charts
from qdeck.ui.components.badges import section_card
from qdeck.ui.errors import attempt
from qdeck.ui.layout import PAGE_WAIT, frame, page_heading
from qdeck.ui.session import Viewer, current_viewer, to_log_in

TIER_COLORS = {"bronze": "#b45309", "silver": "#64748b", "gold": "#ca8a04"}


class ProgressPage:
    def __init__(self, viewer: Viewer) -> None:
        self.viewer = viewer
        self.dark = viewer.theme == "dark"

    async def load(self) -> None:
        async with self.viewer.qdeck.reading() as services:
            self.progress: ProgressRead = await services.gamification.progress(self.viewer.user)
            self.rules: HowXpWorks = services.gamification.how_xp_works()
            self.ledger: list[LedgerRead] = await services.gamification.ledger(self.viewer.user, 15)

    def build(self) -> None:
        page_heading("Your progress", "XP, level, streak and achievements from your real work")
        self.body = ui.column().classes("w-full gap-5").mark("progress-body")
        self.render()

    def render(self) -> None:
        self.body.clear()
        with self.body:
            self._summary()
            with ui.grid().classes("w-full gap-4 grid-cols-1 lg:grid-cols-2"):
                with section_card("XP by week", "last 12 weeks"):
                    ui.echart(self._weeks_chart()).classes("w-full h-60").mark("xp-chart")
                with section_card("Activity", "days you did real work, your time zone"):
                    ui.echart(self._calendar()).classes("w-full h-60").mark("streak-calendar")
            self._achievements()
            with ui.grid().classes("w-full gap-4 grid-cols-1 lg:grid-cols-2"):
                self._quest()
                self._skills()
            with ui.grid().classes("w-full gap-4 grid-cols-1 lg:grid-cols-2"):
                self._how_xp_works()
                self._recent()
            self._preferences()

    def _summary(self) -> None:
        me = self.progress.me
        span = max(1, me.next_level_xp - me.level_floor)
        with ui.grid().classes("w-full gap-4 grid-cols-1 sm:grid-cols-2 xl:grid-cols-4"):
            with ui.card().classes("qd-card p-4 gap-1").mark("level-card"):
                ui.label("Level").classes("text-xs qd-muted")
                ui.label(str(me.level)).classes("text-3xl font-bold").mark("level")
                ui.linear_progress((me.xp - me.level_floor) / span, show_value=False).props(
                    f'aria-label="Progress to level {me.level + 1}"'
                )
                ui.label(f"{me.xp - me.level_floor} / {span} XP to level {me.level + 1}").classes(
                    "text-xs qd-muted"
                )
            with ui.card().classes("qd-card p-4 gap-1"):
                ui.label("Total XP").classes("text-xs qd-muted")
                ui.label(f"{me.xp:,}").classes("text-3xl font-bold").mark("xp-total")
                ui.label(f"Job XP today {me.job_xp_today} / {me.daily_job_xp_cap}").classes(
                    "text-xs qd-muted"
                )
            with ui.card().classes("qd-card p-4 gap-1"):
                ui.label("Streak").classes("text-xs qd-muted")
                with ui.row().classes("items-center gap-1"):
                    ui.icon("local_fire_department", color="orange")
                    ui.label(f"{me.streak.current} days").classes("text-3xl font-bold").mark(
                        "streak"
                    )
                ui.label(
                    f"Longest {me.streak.longest} · {me.streak.freezes} freeze"
                    f"{'s' if me.streak.freezes != 1 else ''} held (max 2)"
                ).classes("text-xs qd-muted")
            with ui.card().classes("qd-card p-4 gap-1"):
                ui.label("League").classes("text-xs qd-muted")
                ui.label(me.league_name).classes("text-3xl font-bold")
                ui.link("Leaderboards and league", "/leaderboards").classes("qd-link text-xs")

    def _weeks_chart(self) -> dict:
        weeks = self.progress.xp_by_week
        options = charts.base(self.dark)
        options["xAxis"]["data"] = [f"{w.week_start:%b %d}" for w in weeks]
        options["series"] = [{"type": "bar", "name": "XP", "data": [w.xp for w in weeks]}]
        return options

    def _calendar(self) -> dict:
        days = self.progress.calendar
        end = self.progress.me.streak.last_active_day or (days[-1].day if days else None)
        end = max(end or date.today(), date.today())
        start = end - timedelta(days=182)
        most = max((d.xp for d in days), default=1) or 1
        colors = charts.axis_colors(self.dark)
        return {
            "backgroundColor": "transparent",
            "tooltip": {"confine": True},
            "visualMap": {
                "show": False,
                "min": 0,
                "max": most,
                "inRange": {
                    "color": ["#dbeafe", "#2563eb"] if not self.dark else ["#1e3a5f", "#60a5fa"]
                },
            },
            "calendar": {
                "range": [start.isoformat(), end.isoformat()],
                "cellSize": ["auto", 13],
                "left": 30,
                "right": 10,
                "top": 30,
                "dayLabel": {"color": colors["text"], "firstDay": 1, "nameMap": "en"},
                "monthLabel": {"color": colors["text"]},
                "yearLabel": {"show": False},
                "itemStyle": {"borderColor": colors["grid"], "color": "transparent"},
                "splitLine": {"show": False},
            },
            "series": [
                {
                    "type": "heatmap",
                    "coordinateSystem": "calendar",
                    "data": [[d.day.isoformat(), d.xp] for d in days if d.day >= start],
                }
            ],
        }

    def _achievements(self) -> None:
        items = self.progress.achievements
        earned = sum(1 for a in items if a.state == "earned")
        with (
            section_card("Achievements", f"{earned} of {len(items)} earned"),
            ui.grid()
            .classes("w-full gap-3 grid-cols-1 sm:grid-cols-2 lg:grid-cols-3 2xl:grid-cols-4")
            .mark("achievements"),
        ):
            for a in items:
                faded = "" if a.state == "earned" else "opacity-60"
                with ui.card().classes(f"qd-card p-3 gap-1 {faded}").mark(f"achievement-{a.key}"):
                    with ui.row().classes("items-center gap-2 no-wrap"):
                        ui.icon(a.icon, color=TIER_COLORS[a.tier], size="28px")
                        with ui.column().classes("gap-0 min-w-0"):
                            ui.label(a.title).classes("font-semibold")
                            ui.label(f"{a.tier} · {a.state.replace('_', ' ')}").classes(
                                "text-xs qd-muted"
                            )
                    ui.label(a.description).classes("text-sm")
                    if a.target and a.state != "earned":
                        ui.linear_progress((a.progress or 0) / a.target, show_value=False)
                        ui.label(f"{a.progress or 0} / {a.target}").classes("text-xs qd-muted")
                    if a.state == "earned" and a.award_id:
                        with ui.row().classes("gap-3"):
                            ui.link(
                                "Badge", f"/api/v1/gamification/achievements/{a.key}/badge"
                            ).classes("qd-link text-xs")
                            ui.link("Verify", f"/badges/{a.award_id}").classes("qd-link text-xs")
                        if a.revoked:
                            ui.label("Revoked").classes("text-xs text-negative")

    def _quest(self) -> None:
        q = self.progress.quest
        with section_card("Quantum Quest", "levels, lessons and challenges"):
            for label, done, total in (
                ("Levels solved", q.levels_solved, q.levels_total),
                ("Lessons completed", q.lessons_completed, q.lessons_total),
            ):
                ui.label(f"{label}: {done} / {total}").classes("text-sm")
                ui.linear_progress(done / max(1, total), show_value=False)
            stars, scored = q.three_star_levels, q.challenges_scored
            ui.label(f"{stars} levels with 3 stars · {scored} challenges scored").classes(
                "text-xs qd-muted"
            )
            ui.link("Continue the Quest", "/quest").classes("qd-link text-sm")

    def _skills(self) -> None:
        skills = self.progress.skills
        most = max(skills.values(), default=0) or 1
        with section_card("Skills by topic", "XP earned in each"), ui.column().classes("w-full"):
            for topic, xp in skills.items():
                with ui.row().classes("w-full items-center gap-2 no-wrap"):
                    ui.label(topic.capitalize()).classes("w-32 text-sm")
                    ui.linear_progress(xp / most, show_value=False).classes("grow")
                    ui.label(f"{xp} XP").classes("w-20 text-right text-xs qd-muted")

    def _how_xp_works(self) -> None:
        with section_card("How XP works", self.rules.level_curve).mark("how-xp-works"):
            with ui.column().classes("w-full gap-1"):
                for rule in self.rules.rules:
                    with ui.row().classes("w-full justify-between gap-2 no-wrap text-sm"):
                        ui.label(rule.what)
                        ui.label(rule.xp).classes("font-semibold text-right")
            ui.label("No XP for:").classes("text-sm font-semibold pt-2")
            for text in self.rules.refusals.values():
                ui.label(f"• {text}").classes("text-xs qd-muted")

    def _recent(self) -> None:
        with section_card("Latest awards", "including work that earned nothing, and why"):
            if not self.ledger:
                ui.label("Finish a job or solve a Quest level to earn your first XP.").classes(
                    "text-sm qd-muted"
                )
            for row in self.ledger:
                with ui.row().classes("w-full justify-between gap-2 no-wrap text-sm"):
                    ui.label(f"{row.rule} · {row.note.replace('_', ' ') or 'earned'}").classes(
                        "truncate"
                    )
                    ui.label(f"+{row.xp}").classes("font-semibold")

    def _preferences(self) -> None:
        me = self.progress.me
        with (
            section_card("Boards", "who sees you outside your workspaces"),
            ui.row().classes("gap-4 flex-wrap"),
        ):
            ui.switch(
                "Show me on the global board",
                value=me.global_opt_in,
                on_change=lambda e: self._prefer(global_opt_in=e.value),
            ).mark("opt-global")
            ui.switch(
                "Hide me from global boards",
                value=me.hidden,
                on_change=lambda e: self._prefer(hidden=e.value),
            ).mark("opt-hidden")
            ui.switch(
                "Join weekly leagues",
                value=me.league_opt_in,
                on_change=lambda e: self._prefer(league_opt_in=e.value),
            ).mark("opt-league")

    async def _prefer(self, **changes: bool) -> None:
        async def change() -> None:
            async with self.viewer.qdeck.writing() as services:
                await services.gamification.update_preferences(
                    self.viewer.user, PreferencesUpdate(**changes)
                )

        await attempt(change(), success="Saved")

    async def on_events(self, events: list[Event]) -> None:
        if any(e.type in ALL for e in events):
            await self.refresh()

    async def refresh(self) -> None:
        await self.load()
        self.render()


def register() -> None:
    @ui.page("/progress", title="Progress · qdeck", response_timeout=PAGE_WAIT)
    async def progress_page(request: Request) -> RedirectResponse | None:
        viewer = await current_viewer(request)
        if viewer is None:
            return to_log_in(request)
        page = ProgressPage(viewer)
        await page.load()
        with frame(viewer, "Progress", active="progress") as live:
            page.build()
            live.on_events(page.on_events)
            live.on_resync(page.refresh)
        return None
