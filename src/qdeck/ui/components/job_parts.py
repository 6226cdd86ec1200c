"""Pieces of the job page: timeline with phase durations, transpiled stats, failure box."""

from __future__ import annotations

from typing import Any

from nicegui import ui

from qdeck.jobs.models import Job, JobEvent
from qdeck.ui.components.badges import seconds
from qdeck.ui.theme import STATUS_ICONS, status_color


def phases(events: list[JobEvent]) -> list[dict[str, Any]]:
    """Each step of the job with how long it lasted (the last one is still going or final)."""
    steps = []
    for i, event in enumerate(events):
        name = event.phase.value.replace("_", " ") if event.phase else event.to_status.value
        following = events[i + 1].at if i + 1 < len(events) else None
        steps.append(
            {
                "name": name,
                "status": event.to_status.value,
                "at": event.at,
                "seconds": (following - event.at).total_seconds() if following else None,
                "reason": event.reason,
                "origin": event.origin.value,
            }
        )
    return steps


def timeline(events: list[JobEvent]) -> None:
    with ui.timeline(side="right").props("dense color=primary").classes("w-full").mark("timeline"):
        for step in phases(events):
            final = step["seconds"] is None
            spent = "" if final else f" · {seconds(step['seconds'])}"
            ui.timeline_entry(
                step["reason"] if step["reason"] not in ("", "submitted", step["name"]) else "",
                title=f"{step['name']}{spent}",
                subtitle=step["at"].strftime("%H:%M:%S.%f")[:-3] + " UTC",
                icon=STATUS_ICONS.get(step["status"], "sync"),
                color=status_color(step["status"]),
            )


def transpiled_stats(transpiled: dict[str, Any]) -> None:
    stats = [
        ("Depth", transpiled.get("depth")),
        ("Operations", transpiled.get("size")),
        ("Two-qubit gates", transpiled.get("two_qubit_gates")),
        ("Qubits used", transpiled.get("num_qubits")),
    ]
    with ui.grid().classes("w-full grid-cols-2 sm:grid-cols-4 gap-3"):
        for label, value in stats:
            with (
                ui.column()
                .classes("gap-0 p-3 rounded-lg")
                .style("background: rgba(99,102,241,.08)")
            ):
                ui.label(label).classes("text-xs qd-muted")
                ui.label("—" if value is None else f"{value:,}").classes("text-xl font-bold")
    ops = transpiled.get("ops") or {}
    if ops:
        with ui.row().classes("gap-1 flex-wrap"):
            for name, count in sorted(ops.items(), key=lambda kv: -kv[1]):
                ui.chip(f"{name} x {count}").props("dense outline").classes("qd-mono text-xs")


def failure(job: Job) -> None:
    with (
        ui.card()
        .classes("qd-card w-full p-4 gap-2 border-l-4")
        .style("border-left-color: #dc2626")
        .mark("failure")
    ):
        with ui.row().classes("items-center gap-2"):
            ui.icon("error", color="negative", size="24px")
            ui.label("This job failed").classes("text-lg font-semibold")
        phase = job.failed_phase or "unknown"
        ui.label(f"Failed while {phase.replace('_', ' ')} · {job.error_code or 'error'}").classes(
            "qd-muted text-sm"
        )
        ui.label(job.error_message or "No message was recorded.").classes("qd-mono text-sm")
