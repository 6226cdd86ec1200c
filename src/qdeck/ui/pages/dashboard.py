"""The dashboard: live numbers, activity, system status and charts for one workspace."""

from __future__ import annotations

import asyncio
import time

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import background_tasks, ui

from qdeck.activity.service import ACTIVITY
from qdeck.analytics.schemas import DashboardStats
from qdeck.events.bus import Event
from qdeck.jobs.schemas import JobCreate
from qdeck.ui.components import charts
from qdeck.ui.components.activity import ActivityFeed
from qdeck.ui.components.badges import StatCard, empty_state, seconds, section_card
from qdeck.ui.components.samples import BELL
from qdeck.ui.components.system_status import SystemStatus
from qdeck.ui.errors import attempt
from qdeck.ui.layout import frame, page_heading
from qdeck.ui.session import Viewer, current_viewer, to_log_in

# Live refreshes of the numbers and the charts are at most this often (seconds).
STATS_EVERY = 1.0
CHARTS_EVERY = 5.0


def register() -> None:
    @ui.page("/dashboard", title="Dashboard · qdeck")
    async def dashboard(request: Request) -> RedirectResponse | None:
        viewer = await current_viewer(request)
        if viewer is None:
            return to_log_in(request)
        async with viewer.qdeck.reading() as services:
            service = services.analytics
            stats = await service.dashboard(viewer.user, viewer.workspace.id)
            activity = await service.recent_activity(viewer.user, viewer.workspace.id)
        with frame(viewer, "Dashboard", active="dashboard") as live:
            Dashboard(viewer, live).build(stats, activity)
        return None


async def run_bell(viewer: Viewer) -> None:
    """The new user's first job: a Bell state on the ideal simulator."""
    body = JobCreate(
        workspace_id=viewer.workspace.id,
        backend="aer_simulator",
        shots=1000,
        name="My first Bell state",
        circuits=[{"source": BELL}],  # type: ignore[list-item]
    )

    async def submit() -> str:
        async with viewer.qdeck.writing() as services:
            job = await services.jobs.submit(viewer.user, body)
            return str(job.id)

    job_id = await attempt(submit())
    if job_id:
        ui.navigate.to(f"/jobs/{job_id}")


class Dashboard:
    def __init__(self, viewer: Viewer, live) -> None:
        self.viewer = viewer
        self.live = live
        self.dark = viewer.theme == "dark"
        self._stats_at = 0.0
        self._charts_at = 0.0
        self._pending = False

    def build(self, stats: DashboardStats, activity: list) -> None:
        first = self.viewer.user.display_name.split()[0]
        heading = page_heading(
            f"Hello, {first}", f"What is happening in {self.viewer.workspace.name}"
        )
        idle = stats.running_now + stats.queued_now + stats.jobs_today + stats.finished_7d == 0
        welcome = idle and not any(entry.subject_type == "job" for entry in activity)
        # A new workspace gets one call to action (the welcome card), not three buttons.
        with heading, ui.row().classes("gap-2") as actions:
            ui.button(
                "Run a Bell state", icon="play_arrow", on_click=lambda: run_bell(self.viewer)
            ).props("outline no-caps").mark("run-bell").bind_visibility_from(
                self.viewer, "can_write"
            )
            ui.button(
                "Submit a circuit", icon="add", on_click=lambda: ui.navigate.to("/submit")
            ).props("unelevated no-caps").bind_visibility_from(self.viewer, "can_write")
        actions.set_visibility(not welcome)
        if welcome:
            self._welcome()
        with ui.grid().classes("w-full gap-4 grid-cols-2 md:grid-cols-3 xl:grid-cols-5"):
            self.cards = {
                "today": StatCard("Jobs today", "today"),
                "running": StatCard("Running now", "sync"),
                "success": StatCard("Success rate", "verified", "last 7 days"),
                "wait": StatCard("Median queue wait", "hourglass_empty", "last 7 days"),
                "run": StatCard("Median run time", "timer", "last 7 days"),
            }
        self.show_stats(stats)
        with ui.grid().classes("w-full gap-4 grid-cols-1 lg:grid-cols-3"):
            with section_card("Jobs per day", "last 14 days, by status").classes("lg:col-span-2"):
                self.per_day = ui.echart(charts.base(self.dark)).classes("w-full h-72")
            with section_card("Activity", "live"):
                self.feed = ActivityFeed(activity)
        with ui.grid().classes("w-full gap-4 grid-cols-1 md:grid-cols-2 xl:grid-cols-3"):
            with section_card("Run times", "finished jobs, last 7 days"):
                self.run_times = ui.echart(charts.base(self.dark)).classes("w-full h-60")
            with section_card("Success rate by backend", "last 30 days"):
                self.by_backend = ui.echart(charts.base(self.dark)).classes("w-full h-60")
            with section_card("System status", "backends and engine workers"):
                self.system = SystemStatus(self.viewer)
        background_tasks.create(self.load_charts(), name="dashboard charts")
        self.live.on_events(self.on_events)
        self.live.on_resync(self.resync)

    def _welcome(self) -> None:
        # A call to submit: shown only to those who may (a viewer may not).
        with (
            ui.card()
            .classes("qd-card w-full p-2")
            .mark("welcome")
            .bind_visibility_from(self.viewer, "can_write")
        ):
            box = empty_state(
                "rocket_launch",
                "Run your first quantum job",
                "Prepare two entangled qubits and measure them 1,000 times on the ideal "
                "simulator. It takes about a second; you will see it run live.",
                "Run a Bell state on the simulator",
                lambda: run_bell(self.viewer),
            )
            with box:
                ui.link("or write your own circuit", "/submit").classes("qd-link text-sm")

    def show_stats(self, stats: DashboardStats) -> None:
        self.cards["today"].set(f"{stats.jobs_today:,}")
        self.cards["running"].set(f"{stats.running_now:,}", f"{stats.queued_now:,} queued")
        rate = stats.success_rate_7d
        self.cards["success"].set(
            "—" if rate is None else f"{rate:.1%}", f"{stats.finished_7d:,} finished, last 7 days"
        )
        self.cards["wait"].set(seconds(stats.median_queue_seconds))
        self.cards["run"].set(seconds(stats.median_run_seconds))

    async def refresh_stats(self) -> None:
        self._stats_at = time.monotonic()
        async with self.viewer.qdeck.reading() as services:
            stats = await services.analytics.dashboard(self.viewer.user, self.viewer.workspace.id)
        self.show_stats(stats)

    async def load_charts(self) -> None:
        self._charts_at = time.monotonic()
        async with self.viewer.qdeck.reading() as services:
            data = await services.analytics.charts(self.viewer.user, self.viewer.workspace.id)
        for chart, options in (
            (self.per_day, charts.jobs_per_day(data, self.dark)),
            (self.run_times, charts.run_times(data.run_times, self.dark)),
            (self.by_backend, charts.success_by_backend(data.by_backend, self.dark)),
        ):
            chart.options.clear()
            chart.options.update(options)
            chart.update()

    async def on_events(self, events: list[Event]) -> None:
        mine = [e for e in events if e.workspace_id == self.viewer.workspace.id]
        self.feed.add([e for e in mine if e.type == ACTIVITY])
        if not any(e.job_id is not None for e in mine):
            return
        self.system.refresh_soon()
        if not self._pending:
            self._pending = True
            background_tasks.create(self._refresh_when_due(), name="dashboard refresh")

    async def _refresh_when_due(self) -> None:
        """At most one refresh of the numbers per STATS_EVERY, however many events arrive."""
        await asyncio.sleep(max(0.0, self._stats_at + STATS_EVERY - time.monotonic()))
        self._pending = False
        with self.feed.container:
            await self.refresh_stats()
            if time.monotonic() - self._charts_at >= CHARTS_EVERY:
                await self.load_charts()

    async def resync(self) -> None:
        await self.refresh_stats()
        await self.load_charts()
        await self.feed.reload(self.viewer)
