"""Quantum sessions: list, open, close, and one session with its jobs."""

from __future__ import annotations

import uuid

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import ui

from qdeck.db.keyset import PageRequest
from qdeck.errors import NotFound
from qdeck.quantum_sessions.models import QuantumSession, SessionMode
from qdeck.quantum_sessions.repository import OPEN_STATES
from qdeck.quantum_sessions.schemas import SessionCreate
from qdeck.ui.components.badges import empty_state, section_card, status_badge
from qdeck.ui.components.jobs_table import COLUMNS, NAME_CELL, STATUS_CELL, job_row
from qdeck.ui.components.tables import keyboard_scrollable
from qdeck.ui.errors import attempt, error_content
from qdeck.ui.layout import frame, page_heading
from qdeck.ui.session import Viewer, current_viewer, to_log_in

BACKENDS = ["aer_simulator", "fake_manila", "fake_sherbrooke", "fake_kyiv", "fake_brisbane"]


def register() -> None:
    @ui.page("/sessions", title="Sessions · qdeck")
    async def sessions_page(request: Request) -> RedirectResponse | None:
        viewer = await current_viewer(request)
        if viewer is None:
            return to_log_in(request)
        async with viewer.qdeck.reading() as services:
            sessions, _ = await services.quantum_sessions.list(
                viewer.user, PageRequest(limit=100), workspace_id=viewer.workspace.id, status=None
            )
        with frame(viewer, "Sessions", active="sessions") as live:
            with page_heading("Sessions", "Jobs grouped on one backend, run one after another"):
                ui.button(
                    "Open a session", icon="add", on_click=lambda: _open_dialog(viewer)
                ).props("unelevated no-caps").mark("open-session")
            with ui.card().classes("qd-card w-full p-2 gap-0"):
                if not sessions:
                    empty_state(
                        "layers",
                        "No sessions yet",
                        "A session keeps one warm worker for your jobs on one backend, "
                        "like IBM Runtime sessions. Open one, then pick it when you submit.",
                        "Open a session",
                        lambda: _open_dialog(viewer),
                    )
                for item in sessions:
                    _session_row(item)
            live.on_events(
                lambda events: (
                    any(e.type.value == "session.changed" for e in events) and ui.navigate.reload()
                )
            )
        return None

    @ui.page("/sessions/{session_id}", title="Session · qdeck")
    async def session_page(request: Request, session_id: str) -> RedirectResponse | None:
        viewer = await current_viewer(request)
        if viewer is None:
            return to_log_in(request)
        found, jobs = None, []
        try:
            async with viewer.qdeck.reading() as services:
                service = services.quantum_sessions
                found = await service.get(viewer.user, uuid.UUID(session_id))
                jobs = await service.jobs(found)
        except (ValueError, NotFound):
            found = None
        with frame(viewer, found.name if found else "Session not found", active="sessions") as live:
            if found is None:
                ui.context.client.status_code = 404
                error_content(404, "This session does not exist, or you cannot see it.")
                return None
            _session_detail(viewer, found, jobs)
            ids = {j.id for j in jobs}
            live.on_events(
                lambda events: (
                    any(
                        e.job_id in ids or e.data.get("session_id") == str(found.id) for e in events
                    )
                    and ui.navigate.reload()
                )
            )
        return None


def _session_row(item: QuantumSession) -> None:
    with (
        ui.row()
        .classes("w-full items-center gap-3 px-3 py-3 border-b no-wrap")
        .style("border-color: var(--qd-border)")
    ):
        ui.icon("layers", color="primary", size="22px")
        with ui.column().classes("gap-0 flex-1 min-w-0"):
            ui.link(item.name, f"/sessions/{item.id}").classes("qd-link truncate")
            ui.label(
                f"{item.mode.value} · {item.backend} · opened {item.created_at:%b %d %H:%M} UTC"
            )
        status_badge(item.status.value)


def _session_detail(viewer: Viewer, item: QuantumSession, jobs: list) -> None:
    # Badge and actions stay together at the heading's end instead of spreading out.
    with (
        page_heading(item.name, f"{item.mode.value} on {item.backend}"),
        ui.row().classes("items-center gap-2 flex-wrap"),
    ):
        status_badge(item.status.value).mark("session-status")
        if item.status in OPEN_STATES:
            for label, cancel in (("Close", False), ("Close and cancel its jobs", True)):
                ui.button(label, on_click=lambda c=cancel: _close(viewer, item, c)).props(
                    f"{'outline' if not cancel else 'outline color=negative'} no-caps"
                ).mark("close-session" if not cancel else "cancel-session")
    limits = (
        f"Ends after {item.max_time_seconds // 60} min, or {item.idle_timeout_seconds // 60} "
        f"min without jobs."
    )
    ui.label(item.close_reason or limits).classes("qd-muted text-sm")
    with section_card("Jobs in this session", f"{len(jobs)} so far"):
        if not jobs:
            ui.label("No jobs yet: choose this session on the Submit page.").classes("qd-muted")
            return
        table = (
            ui.table(columns=COLUMNS, rows=[job_row(j) for j in jobs], row_key="id")
            .props("flat")
            .classes("qd-table w-full")
            .mark("session-jobs")
        )
        table.add_slot("body-cell-name", NAME_CELL)
        table.add_slot("body-cell-status", STATUS_CELL)
        keyboard_scrollable(table, "Jobs in this session")


async def _close(viewer: Viewer, item: QuantumSession, cancel_jobs: bool) -> None:
    async def close():
        async with viewer.qdeck.writing() as services:
            return await services.quantum_sessions.close(
                viewer.user, item.id, cancel_jobs=cancel_jobs
            )

    if await attempt(close(), success="Session closed") is not None:
        ui.navigate.reload()


def _open_dialog(viewer: Viewer) -> None:
    with ui.dialog() as dialog, ui.card().classes("qd-card w-full max-w-md p-6 gap-3"):
        ui.label("Open a session").classes("text-xl font-bold")
        name = ui.input("Name (optional)").props("outlined").classes("w-full")
        backend = (
            ui.select(BACKENDS, value="aer_simulator", label="Backend", with_input=True)
            .props("outlined")
            .classes("w-full")
        )
        mode = (
            ui.toggle({"session": "Session", "batch": "Batch"}, value="session")
            .props("no-caps")
            .mark("session-mode")
        )
        explain = ui.label().classes("text-sm qd-muted").mark("session-mode-help")
        # IBM Runtime's two ways of grouping jobs on one backend, in a sentence each.
        meanings = {
            "session": "Session: your jobs run one after another with the backend held for "
            "you, for iterative work where each job depends on the last (VQE, QAOA).",
            "batch": "Batch: independent jobs queued together and run as soon as possible, "
            "in any order; best for many circuits that do not wait on each other.",
        }
        explain.bind_text_from(mode, "value", backward=lambda value: meanings.get(value, ""))

        async def open_it() -> None:
            body = SessionCreate(
                workspace_id=viewer.workspace.id,
                backend=backend.value,
                mode=SessionMode(mode.value),
                name=name.value or "",
            )

            async def create():
                async with viewer.qdeck.writing() as services:
                    return (await services.quantum_sessions.open(viewer.user, body)).id

            created = await attempt(create(), success="Session opened")
            if created is not None:
                dialog.close()
                ui.navigate.to(f"/sessions/{created}")

        with ui.row().classes("w-full justify-end gap-2"):
            ui.button("Cancel", on_click=dialog.close).props("flat no-caps")
            ui.button("Open", on_click=open_it).props("unelevated no-caps").mark("confirm-open")
    dialog.open()
