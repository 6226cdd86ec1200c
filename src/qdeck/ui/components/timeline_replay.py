"""A job's timeline that can play its stored events again, one step after the other.

The first Bell job finishes in ~130 ms, before its page has even appeared; replaying the
stored steps (queued, transpiling, executing, completed, each with its real duration)
lets the person still watch it run. Each step stays on screen at least ``MIN_STEP``
seconds so a 20 ms phase can be seen, and at most ``MAX_STEP`` so a long queue does not
hold the replay up; the durations shown are always the real ones.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from nicegui import ui

from qdeck.jobs.models import JobEvent
from qdeck.ui.components.badges import seconds
from qdeck.ui.components.job_parts import phases, timeline

MIN_STEP = 0.6
MAX_STEP = 2.0
# A job that finished this recently is replayed once when its page opens.
RECENT_SECONDS = 10.0
REDUCED_MOTION = "window.matchMedia('(prefers-reduced-motion: reduce)').matches"


def step_pause(real_seconds: float | None) -> float:
    return min(max(real_seconds or 0.0, MIN_STEP), MAX_STEP)


class ReplayableTimeline:
    def __init__(self, events: list[JobEvent]) -> None:
        self.events = events
        self.playing = False
        with ui.row().classes("w-full items-center justify-between gap-2 no-wrap"):
            self.status = (
                ui.label()
                .classes("text-sm qd-muted min-w-0")
                .props('aria-live="polite"')
                .mark("replay-status")
            )
            self.button = (
                ui.button("Replay", icon="replay", on_click=self.replay)
                .props('flat dense no-caps aria-label="Replay this job\'s timeline"')
                .mark("replay")
            )
        self.box = ui.column().classes("w-full gap-0")
        self.show(events)

    def show(self, events: list[JobEvent]) -> None:
        """The whole stored timeline (a replay in progress finishes first)."""
        self.events = events
        self.button.set_visibility(self.finished)
        if self.playing:
            return
        self.box.clear()
        with self.box:
            timeline(events)

    @property
    def finished(self) -> bool:
        return bool(self.events) and self.events[-1].to_status.is_final

    def recently_finished(self) -> bool:
        if not self.finished:
            return False
        at = self.events[-1].at
        at = at if at.tzinfo else at.replace(tzinfo=UTC)
        return (datetime.now(UTC) - at).total_seconds() < RECENT_SECONDS

    async def replay_if_just_finished(self) -> None:
        """Once, when the page opens on a job that has just finished; never for a viewer
        who asked their system for reduced motion (the Replay button still works)."""
        if not self.recently_finished():
            return
        try:
            if await ui.run_javascript(REDUCED_MOTION, timeout=3):
                return
        except TimeoutError:
            return
        await self.replay()

    async def replay(self) -> None:
        if self.playing or not self.finished:
            return
        self.playing = True
        self.button.disable()
        events = list(self.events)
        steps = phases(events)
        try:
            for shown, step in enumerate(steps, start=1):
                self.box.clear()
                with self.box:
                    timeline(events[:shown])  # the newest step is shown as still going
                spent = "" if step["seconds"] is None else f" · {seconds(step['seconds'])}"
                self.status.set_text(f"Replaying: {step['name']}{spent}")
                if shown < len(steps):
                    await asyncio.sleep(step_pause(step["seconds"]))
            total = (events[-1].at - events[0].at).total_seconds()
            self.status.set_text(f"Replayed: {len(steps)} steps in {seconds(total)}")
        finally:
            self.playing = False
            self.button.enable()
            self.show(self.events)
