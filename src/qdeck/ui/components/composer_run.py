""" "Run it for real": the composer's circuit as a normal qdeck job (tagged quest) on the
ideal simulator or a fake device, then the noisy histogram beside the ideal one with the
Hellinger fidelity and one sentence on why they differ."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from nicegui import ui

from qdeck.backends.schemas import BackendRead
from qdeck.jobs.status import JobStatus
from qdeck.quest.schemas import Comparison
from qdeck.ui.components.backend_picker import BackendPicker
from qdeck.ui.components.charts import axis_colors, base, legend
from qdeck.ui.errors import attempt
from qdeck.ui.session import Viewer

POLL_SECONDS = 1.0
DEFAULT_BACKEND = "fake_manila"


def comparison_chart(comparison: Comparison, dark: bool) -> dict[str, Any]:
    """Ideal and measured probabilities side by side for every outcome seen in either."""
    noisy = comparison.noisy or {}
    outcomes = sorted(set(comparison.ideal) | set(noisy))
    if len(outcomes) > 32:  # the most likely ideally, then the largest measured
        ranked = sorted(outcomes, key=lambda k: -(comparison.ideal.get(k, 0) + noisy.get(k, 0)))
        outcomes = sorted(ranked[:32])
    options = base(
        dark,
        series=[
            {
                "name": "ideal",
                "type": "bar",
                "data": [round(comparison.ideal.get(k, 0.0), 4) for k in outcomes],
                "itemStyle": {"color": "#94a3b8", "borderRadius": [5, 5, 0, 0]},
            },
            {
                "name": f"measured on {comparison.backend}",
                "type": "bar",
                "data": [round(noisy.get(k, 0.0), 4) for k in outcomes],
                "itemStyle": {"color": "#6366f1", "borderRadius": [5, 5, 0, 0]},
            },
        ],
    )
    options["xAxis"].update(
        {
            "data": outcomes,
            "axisLabel": {
                "color": axis_colors(dark)["text"],
                "fontFamily": "monospace",
                "rotate": 45 if len(outcomes) > 8 else 0,
            },
        }
    )
    options["yAxis"].update({"minInterval": None, "max": 1})
    options["legend"] = legend(dark)
    return options


class RunPanel:
    def __init__(
        self,
        viewer: Viewer,
        backends: list[BackendRead],
        qasm: Callable[[], str],
        *,
        level_key: str | None = None,
    ) -> None:
        self.viewer = viewer
        self.qasm = qasm
        self.level_key = level_key
        self.job_id: uuid.UUID | None = None
        names = {b.name for b in backends}
        chosen = DEFAULT_BACKEND if DEFAULT_BACKEND in names else "aer_simulator"
        with ui.column().classes("w-full gap-3").mark("run-panel"):
            with ui.row().classes("w-full items-center gap-3 flex-wrap"):
                self.backend = BackendPicker(backends, chosen).classes("w-72").mark("run-backend")
                self.button = (
                    ui.button("Run it for real", icon="play_arrow", on_click=self.run)
                    .props("unelevated no-caps")
                    .mark("run-for-real")
                    .bind_visibility_from(viewer, "can_write")
                )
                self.status = ui.label().classes("text-sm qd-muted").props('aria-live="polite"')
            self.result = ui.column().classes("w-full gap-2")
        self.timer = ui.timer(POLL_SECONDS, self._poll, active=False)

    async def run(self) -> None:
        async def submit() -> uuid.UUID:
            async with self.viewer.qdeck.writing() as services:
                job = await services.quest.run(
                    self.viewer.user,
                    self.qasm(),
                    self.backend.value,
                    self.level_key,
                    workspace_id=self.viewer.workspace.id,
                )
                return job.id

        self.button.props("loading")
        try:
            job_id = await attempt(submit())
        finally:
            self.button.props(remove="loading")
        if job_id is None:
            return
        self.job_id = job_id
        self.status.set_text(f"Running on {self.backend.value}…")
        self.result.clear()
        with self.result:
            ui.link("Open the job", f"/jobs/{job_id}").classes("qd-link text-sm")
        self.timer.activate()

    async def _poll(self) -> None:
        if self.job_id is None:
            return
        async with self.viewer.qdeck.reading() as services:
            comparison = await services.quest.compare(self.viewer.user, self.job_id)
        if comparison.status in (JobStatus.FAILED, JobStatus.CANCELLED):
            self.timer.deactivate()
            self.status.set_text(f"The job {comparison.status}.")
            return
        if comparison.noisy is None:
            self.status.set_text(f"Job {comparison.status} on {comparison.backend}…")
            return
        self.timer.deactivate()
        self.show(comparison)

    def show(self, comparison: Comparison) -> None:
        dark = self.viewer.theme == "dark"
        fidelity = comparison.hellinger_fidelity
        self.status.set_text("Done.")
        self.result.clear()
        with self.result:
            ui.echart(comparison_chart(comparison, dark)).classes("w-full h-72").mark(
                "comparison-chart"
            )
            with ui.row().classes("items-baseline gap-3 flex-wrap"):
                ui.label(
                    f"Hellinger fidelity {fidelity:.3f}" if fidelity is not None else "No fidelity"
                ).classes("text-lg font-semibold qd-fidelity").mark("fidelity")
                ui.label(f"{comparison.shots or 0:,} shots on {comparison.backend}").classes(
                    "qd-muted text-sm"
                )
            ui.label(comparison.explanation).classes("text-sm qd-why").mark("why-different")
            ui.link("Open the job", f"/jobs/{comparison.job_id}").classes("qd-link text-sm")
