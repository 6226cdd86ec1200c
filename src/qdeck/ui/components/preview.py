"""A picture of the product for the landing page, drawn with the same parts as the app."""

from __future__ import annotations

from nicegui import ui

from qdeck.jobs.status import JobPhase, JobStatus
from qdeck.ui.components.badges import status_badge

BELL_COUNTS = [("00", 503), ("01", 0), ("10", 0), ("11", 497)]
SAMPLE_JOBS = [
    ("bell · aer_simulator", JobStatus.COMPLETED, "0.04 s"),
    ("ghz-5 · fake_sherbrooke", JobStatus.RUNNING, JobPhase.EXECUTING),
    ("grover · fake_kyiv", JobStatus.QUEUED, "2nd in queue"),
]


def product_preview() -> None:
    with (
        ui.card()
        .classes("qd-card w-full p-5 gap-4 shadow-xl")
        .props('role="img" aria-label="An illustration of the qdeck dashboard, sample figures"')
    ):
        with ui.row().classes("w-full items-center gap-2"):
            for color in ("#f87171", "#fbbf24", "#34d399"):
                ui.element("div").classes("w-3 h-3 rounded-full").style(f"background:{color}")
            ui.label("qdeck · dashboard").classes("text-xs qd-muted ml-2")
            # The figures below are invented: say so where they are shown.
            ui.label("Illustration · sample figures").classes(
                "text-xs qd-muted italic ml-auto"
            ).mark("preview-illustration")
        with ui.grid(columns=3).classes("w-full gap-3"):
            for label, value in (
                ("Jobs today", "128"),
                ("Success 7d", "98.4%"),
                ("Median run", "0.3 s"),
            ):
                with (
                    ui.column()
                    .classes("gap-0 p-3 rounded-lg")
                    .style("background: rgba(99,102,241,.08)")
                ):
                    ui.label(label).classes("text-xs qd-muted")
                    ui.label(value).classes("text-xl font-bold")
        _bell_histogram()
        with ui.column().classes("w-full gap-2"):
            for name, status, note in SAMPLE_JOBS:
                with ui.row().classes("w-full items-center justify-between no-wrap"):
                    ui.label(name).classes("text-sm font-medium truncate")
                    with ui.row().classes("items-center gap-2 no-wrap"):
                        ui.label(note).classes("text-xs qd-muted")
                        status_badge(status)


def _bell_histogram() -> None:
    """Drawn in HTML, not a chart: it follows the page's theme (the landing page's theme
    is the browser's, unknown to the server) and its grid lines sit behind the bars."""
    top = max(count for _, count in BELL_COUNTS)
    with ui.column().classes("w-full gap-1"):
        ui.label("Bell state · 1,000 shots").classes("text-xs font-semibold")
        with ui.element("div").classes("qd-preview-plot").mark("preview-plot"):
            for _, count in BELL_COUNTS:
                ui.element("div").classes("qd-preview-bar").style(
                    f"height: {90 * count / top:.0f}%"
                )
        with ui.element("div").classes("qd-preview-axis"):
            for label, _ in BELL_COUNTS:
                ui.label(label).classes("qd-mono text-xs qd-muted text-center")
