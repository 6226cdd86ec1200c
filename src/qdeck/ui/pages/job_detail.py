"""One job, live: its status and timeline, circuit, transpilation, results and actions."""

from __future__ import annotations

import uuid

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import background_tasks, run, ui

from qdeck.engine import AER_SIMULATOR
from qdeck.errors import NotFound
from qdeck.events.bus import Event
from qdeck.jobs.export import job_json, result_csv
from qdeck.jobs.models import Job, JobEvent
from qdeck.jobs.schemas import JobUpdate
from qdeck.jobs.status import JobStatus, Primitive
from qdeck.ui import compute
from qdeck.ui.components.badges import loading, section_card, status_badge
from qdeck.ui.components.coupling_map import coupling_map
from qdeck.ui.components.job_parts import failure, transpiled_stats
from qdeck.ui.components.results import SamplerResults, estimator_results
from qdeck.ui.components.timeline_replay import ReplayableTimeline
from qdeck.ui.errors import attempt, error_content
from qdeck.ui.layout import frame
from qdeck.ui.session import Viewer, current_viewer, to_log_in


def register() -> None:
    @ui.page("/jobs/{job_id}", title="Job · qdeck")
    async def job_page(request: Request, job_id: str) -> RedirectResponse | None:
        viewer = await current_viewer(request)
        if viewer is None:
            return to_log_in(request)
        page = JobPage(viewer)
        found = await page.load(job_id)
        with frame(viewer, page.job.name if found else "Job not found", active="jobs") as live:
            if not found:
                ui.context.client.status_code = 404
                error_content(
                    404, "This job does not exist, or it belongs to a workspace you are not in."
                )
                return None
            page.build(live)
        return None


class JobPage:
    def __init__(self, viewer: Viewer) -> None:
        self.viewer = viewer
        self.dark = viewer.theme == "dark"
        self.job: Job
        self.events: list[JobEvent] = []

    async def load(self, job_id: str | uuid.UUID) -> bool:
        try:
            key = uuid.UUID(str(job_id))
            async with self.viewer.qdeck.reading() as services:
                service = services.jobs
                self.job = await service.get(self.viewer.user, key)
                self.events = await service.events(self.job)
        except (ValueError, NotFound):
            return False
        return True

    def build(self, live) -> None:
        self.header()
        with ui.grid().classes("w-full gap-5 grid-cols-1 xl:grid-cols-3"):
            with ui.column().classes("gap-5 xl:col-span-2 min-w-0"):
                self.results()
                with section_card("Circuit", "as submitted"):
                    self.drawing = ui.label().classes("qd-pre qd-mono w-full").mark("circuit")
                    with ui.element() as self.drawing_wait:
                        loading("Drawing the circuit…")
                self.transpiled()
            with ui.column().classes("gap-5 min-w-0"):
                with section_card("Timeline", "every status change and how long it lasted"):
                    self.timeline = ReplayableTimeline(self.events)
                self.details()
        background_tasks.create(self.draw(), name="draw circuit")
        # Runs once the browser is connected (a timer waits for it).
        ui.timer(0.1, self.timeline.replay_if_just_finished, once=True)
        live.on_events(self.on_events)
        live.on_resync(self.refresh)

    @ui.refreshable_method
    def header(self) -> None:
        job = self.job
        with ui.column().classes("w-full gap-2"):
            with ui.row().classes("items-center gap-2 text-sm qd-muted"):
                ui.link("Jobs", "/jobs").classes("qd-link")
                ui.icon("chevron_right", size="16px")
                ui.label(str(job.id)[:8])
            with ui.row().classes("w-full items-center gap-3 flex-wrap"):
                name = (
                    ui.input(value=job.name)
                    .props(
                        'borderless dense aria-label="Job name"'
                        ' input-class="text-xl sm:text-2xl font-bold"'
                    )
                    # A row of its own on a phone: the status badge beside it cut names off.
                    .classes("min-w-0 flex-1 basis-full sm:basis-0 md:max-w-xl")
                    .mark("job-name")
                )
                name.on("keydown.enter", lambda: self.save(name=name.value))
                name.on("blur", lambda: name.value != self.job.name and self.save(name=name.value))
                status_badge(job.status.value).mark("job-status")
                if job.phase is not None:
                    ui.label(job.phase.value.replace("_", " ")).classes("qd-muted text-sm")
            meta = (
                f"{job.primitive.value} · {job.backend} · {job.num_qubits} qubits · "
                f"{job.shots or '—'} shots · submitted {job.created_at:%b %d %H:%M:%S} UTC"
            )
            ui.label(meta).classes("qd-muted text-sm")
            with ui.row().classes("gap-2 flex-wrap"):
                if not job.status.is_final and job.status != JobStatus.CANCELLING:
                    ui.button("Cancel", icon="cancel", on_click=self.cancel).props(
                        "outline no-caps color=negative"
                    ).mark("cancel-job").bind_visibility_from(self.viewer, "can_write")
                if job.status.is_final:
                    ui.button("Retry", icon="replay", on_click=self.retry).props(
                        "outline no-caps"
                    ).mark("retry-job").bind_visibility_from(self.viewer, "can_write")
                ui.button(
                    "Clone and edit",
                    icon="content_copy",
                    on_click=lambda: ui.navigate.to(f"/submit?from={job.id}"),
                ).props("outline no-caps").bind_visibility_from(self.viewer, "can_write")
                with (
                    ui.dropdown_button("Export", icon="download")
                    .props("outline no-caps")
                    .mark("export-job")
                ):
                    ui.item("Results as CSV", on_click=lambda: self.export("csv")).mark(
                        "export-csv"
                    )
                    ui.item("Everything as JSON", on_click=lambda: self.export("json")).mark(
                        "export-json"
                    )
                ui.button("Copy link", icon="link", on_click=self.copy_link).props("flat no-caps")

    @ui.refreshable_method
    def results(self) -> None:
        job = self.job
        if job.status == JobStatus.FAILED:
            failure(job)
            # The offline assistant's cause and fix, asked for on a click (it may parse).
            with ui.column().classes("w-full gap-2") as self.explanation:
                ui.button("Explain", icon="psychology", on_click=self.explain).props(
                    "outline no-caps"
                ).mark("explain-job")
            return
        with section_card("Results"):
            if job.status != JobStatus.COMPLETED or not job.result:
                what = {
                    JobStatus.QUEUED: "Waiting in the queue…",
                    JobStatus.RUNNING: "Running…",
                    JobStatus.CANCELLING: "Cancelling…",
                    JobStatus.CANCELLED: "Cancelled before it finished.",
                }
                if job.status.is_final:
                    ui.label(what.get(job.status.value, "")).classes("qd-muted")
                else:
                    loading(what.get(job.status.value, "Working…")).mark("results-pending")
                return
            if job.primitive == Primitive.SAMPLER:
                histogram = SamplerResults(job, self.dark)
                background_tasks.create(histogram.load_ideal(), name="ideal distribution")
            else:
                estimator_results(job, self.dark)

    @ui.refreshable_method
    def transpiled(self) -> None:
        pubs = (self.job.result or {}).get("pubs") or []
        if not pubs:
            return
        info = pubs[0].get("transpiled") or {}
        with section_card(
            "Transpiled circuit", f"optimization level {self.job.optimization_level}"
        ):
            transpiled_stats(info)
            if self.job.backend != AER_SIMULATOR and info.get("layout"):
                self.layout_box = ui.column().classes("w-full")
                background_tasks.create(self.show_layout(info["layout"]), name="layout")
            else:
                ui.label("The ideal simulator connects every qubit: no layout needed.").classes(
                    "text-sm qd-muted"
                )
            with ui.expansion("Transpiled circuit drawing", icon="schema").classes("w-full"):
                drawing = ui.label().classes("qd-pre qd-mono w-full")

                async def draw() -> None:
                    drawing.set_text(await run.cpu_bound(compute.draw_qasm, info.get("qasm", "")))

                background_tasks.create(draw(), name="draw transpiled")

    async def show_layout(self, layout: list[int]) -> None:
        async with self.viewer.qdeck.reading() as services:
            device = await services.backends.get(self.viewer.user.id, self.job.backend)
        placed = {physical: virtual for virtual, physical in enumerate(layout)}
        with self.layout_box:
            ui.label(f"Layout on {device.name} ({device.num_qubits} qubits)").classes(
                "text-sm font-medium"
            )
            coupling_map(
                device.name,
                device.num_qubits,
                device.coupling_map,
                layout=placed,
                dark=self.dark,
            ).mark("layout-map")

    def details(self) -> None:
        with section_card("Notes and tags"):
            notes = ui.textarea("Notes", value=self.job.notes).props("outlined autogrow")
            notes.classes("w-full")
            tags = (
                ui.input_chips("Tags", value=[t.tag for t in self.job.tags])
                .props("outlined dense")
                .classes("w-full")
            )
            ui.button(
                "Save", on_click=lambda: self.save(notes=notes.value, tags=list(tags.value or []))
            ).props("unelevated no-caps").mark("save-details")

    async def draw(self) -> None:
        circuits = self.job.spec.get("circuits") or []
        text = await run.cpu_bound(compute.draw_circuit, circuits[0]) if circuits else ""
        more = f"\n\n(+ {len(circuits) - 1} more circuits)" if len(circuits) > 1 else ""
        self.drawing.set_text((text or "") + more)
        self.drawing_wait.delete()

    async def refresh(self) -> None:
        before = (self.job.status, self.job.phase)
        await self.load(self.job.id)
        self.header.refresh()
        self.timeline.show(self.events)
        if (self.job.status, self.job.phase) != before:
            self.results.refresh()
            self.transpiled.refresh()

    async def on_events(self, events: list[Event]) -> None:
        if any(e.job_id == self.job.id for e in events):
            await self.refresh()

    async def save(self, **changes) -> None:
        async def update() -> bool:
            async with self.viewer.qdeck.writing() as services:
                await services.jobs.update(self.viewer.user, self.job.id, JobUpdate(**changes))
            return True

        if await attempt(update(), success="Saved"):
            await self.load(self.job.id)

    async def cancel(self) -> None:
        async def cancel():
            async with self.viewer.qdeck.writing() as services:
                return await services.jobs.cancel(self.viewer.user, self.job.id)

        if await attempt(cancel(), success="Cancel requested") is not None:
            await self.refresh()

    async def retry(self) -> None:
        async def retry():
            async with self.viewer.qdeck.writing() as services:
                return (await services.jobs.retry(self.viewer.user, self.job.id)).id

        new_id = await attempt(retry())
        if new_id is not None:
            ui.navigate.to(f"/jobs/{new_id}")

    async def explain(self) -> None:
        async def fetch():
            async with self.viewer.qdeck.reading() as services:
                return await services.assistant.explain_job(self.viewer.user, self.job.id)

        found = await attempt(fetch())
        if found is None or found.failure is None:
            return
        self.explanation.clear()
        with self.explanation, section_card(found.failure.title, "why it failed, and the fix"):
            ui.label(found.failure.cause).classes("text-sm").mark("explain-cause")
            ui.label(f"Fix: {found.failure.fix}").classes("text-sm font-medium").mark("explain-fix")
            for pointer in found.failure.pointers:
                if pointer.kind == "qasm_line" and getattr(pointer, "line", None):
                    text = getattr(pointer, "text", None) or ""
                    ui.label(f"Line {pointer.line}: {text}").classes("qd-mono text-sm")

    def export(self, fmt: str) -> None:
        if fmt == "csv":
            ui.download.content(result_csv(self.job).encode(), f"{self.job.id}.csv", "text/csv")
        else:
            ui.download.content(
                job_json(self.job).encode(), f"{self.job.id}.json", "application/json"
            )

    async def copy_link(self) -> None:
        origin = await ui.run_javascript("window.location.origin")
        # ui.clipboard.write only queues the browser call; awaiting it raised a TypeError
        # that swallowed the toast.
        ui.clipboard.write(f"{origin}/jobs/{self.job.id}")
        ui.notify("Link copied", type="positive")
