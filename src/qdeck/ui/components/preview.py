"""A picture of the product for the landing page, drawn with the same parts as the app."""

from __future__ import annotations

from nicegui import ui

from qdeck.jobs.status import JobPhase, JobStatus
from qdeck.ui.components.badges import status_badge

SAMPLE_JOBS = [
    ("bell · aer_simulator", JobStatus.COMPLETED, "0.04 s"),
    ("ghz-5 · fake_sherbrooke", JobStatus.RUNNING, JobPhase.EXECUTING),
    ("grover · fake_kyiv", JobStatus.QUEUED, "2nd in queue"),
]


def product_preview() -> None:
    with (
        ui.card()
        .classes("qd-card w-full p-5 gap-4 shadow-xl")
        .props('role="img" aria-label="A preview of the qdeck dashboard"')
    ):
        with ui.row().classes("w-full items-center gap-2"):
            for color in ("#f87171", "#fbbf24", "#34d399"):
                ui.element("div").classes("w-3 h-3 rounded-full").style(f"background:{color}")
            ui.label("qdeck · dashboard").classes("text-xs qd-muted ml-2")
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
        ui.echart(
            {
                "animation": False,
                "grid": {"left": 36, "right": 8, "top": 24, "bottom": 24},
                "title": {"text": "Bell state · 1,000 shots", "textStyle": {"fontSize": 12}},
                "xAxis": {"type": "category", "data": ["00", "01", "10", "11"]},
                "yAxis": {"type": "value"},
                "series": [
                    {"type": "bar", "data": [503, 0, 0, 497], "itemStyle": {"color": "#6366f1"}}
                ],
            }
        ).classes("w-full h-40")
        with ui.column().classes("w-full gap-2"):
            for name, status, note in SAMPLE_JOBS:
                with ui.row().classes("w-full items-center justify-between no-wrap"):
                    ui.label(name).classes("text-sm font-medium truncate")
                    with ui.row().classes("items-center gap-2 no-wrap"):
                        ui.label(note).classes("text-xs qd-muted")
                        status_badge(status)
