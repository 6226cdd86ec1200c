"""Engine workers busy and idle, and the backends with their status and queue."""

from __future__ import annotations

import asyncio

from nicegui import background_tasks, ui

from qdeck.backends.schemas import BackendRead
from qdeck.ui.components.badges import loading, status_badge
from qdeck.ui.session import Viewer

SHOWN = 6


def busiest(backends: list[BackendRead]) -> list[BackendRead]:
    """The simulator first, then the backends with the most work, then by name."""
    return sorted(
        backends,
        key=lambda b: (b.kind != "simulator", -(b.queue_length + b.running), b.name),
    )[:SHOWN]


class SystemStatus:
    def __init__(self, viewer: Viewer) -> None:
        self.viewer = viewer
        self._scheduled = False
        with ui.column().classes("w-full gap-3").mark("system-status"):
            self.workers = ui.label().classes("text-sm")
            self.box = ui.column().classes("w-full gap-1")
            with self.box:
                loading("Loading backends…")
            self.footer = ui.link("All backends", "/backends").classes("qd-link text-sm")
        self.show_workers()
        background_tasks.create(self.refresh(), name="system status")

    def show_workers(self) -> None:
        runner = self.viewer.qdeck.runner
        if runner is None:
            self.workers.set_text("Engine: not running in this process")
            return
        status = runner.status()
        self.workers.set_text(
            f"Engine workers: {status.get('busy', 0)} busy · {status.get('idle', 0)} idle "
            f"of {status.get('workers', 0)} ({status.get('runner', 'local')})"
        )

    def refresh_soon(self) -> None:
        if not self._scheduled:
            self._scheduled = True
            background_tasks.create(self._later(), name="system status refresh")

    async def _later(self) -> None:
        await asyncio.sleep(1.0)
        self._scheduled = False
        await self.refresh()

    async def refresh(self) -> None:
        async with self.viewer.qdeck.reading() as services:
            backends = await services.backends.list(self.viewer.user.id)
        self.show_workers()
        self.box.clear()
        online = sum(1 for b in backends if b.status == "online")
        with self.box:
            for backend in busiest(backends):
                # Name above its queue, so neither is cut off nor wraps in a narrow card.
                with ui.row().classes("w-full items-center justify-between no-wrap gap-2"):
                    with ui.column().classes("gap-0 min-w-0"):
                        ui.link(backend.name, f"/backends/{backend.name}").classes(
                            "qd-link text-sm break-all"
                        )
                        ui.label(
                            f"{backend.queue_length} queued · {backend.running} running"
                        ).classes("text-xs qd-muted whitespace-nowrap")
                    status_badge(backend.status)
            ui.label(f"{online} of {len(backends)} backends online").classes("text-xs qd-muted")
