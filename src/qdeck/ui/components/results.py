"""A job's results: counts as a histogram (sortable, top-k, ideal overlay) or expectation
values with error bars."""

from __future__ import annotations

from typing import Any

from nicegui import run, ui

from qdeck.engine import AER_SIMULATOR
from qdeck.jobs.models import Job
from qdeck.ui import compute
from qdeck.ui.components import charts
from qdeck.ui.components.tables import keyboard_scrollable

TOP_K = {8: "Top 8", 16: "Top 16", 32: "Top 32", 0: "All outcomes"}


class SamplerResults:
    def __init__(self, job: Job, dark: bool) -> None:
        self.job = job
        self.dark = dark
        pub = job.result["pubs"][0] if job.result and job.result.get("pubs") else {}
        data = (pub.get("data") or [{}])[0]
        self.counts: dict[str, int] = data.get("counts", {})
        self.ideal: dict[str, float] | None = None
        self.sort = "count"
        self.top = 16
        with ui.row().classes("w-full items-center gap-3 flex-wrap"):
            ui.toggle(
                {"count": "By count", "bitstring": "By bitstring"},
                value=self.sort,
                on_change=lambda e: self._set(sort=e.value),
            ).props('dense no-caps unelevated aria-label="Sort outcomes"')
            ui.select(TOP_K, value=self.top, on_change=lambda e: self._set(top=e.value)).props(
                'dense outlined options-dense aria-label="How many outcomes"'
            ).classes("w-40")
            self.note = ui.label().classes("text-xs qd-muted")
        # SVG, so the outcomes are text a screen reader (and a browser test) can read.
        self.chart = ui.echart({}, renderer="svg").classes("w-full h-80 qd-histogram")
        self.chart.mark("histogram")
        self.draw()

    async def load_ideal(self) -> None:
        """The noise-free distribution, for noisy runs of circuits small enough to simulate."""
        if self.job.backend == AER_SIMULATOR or not self.job.spec.get("circuits"):
            return
        self.note.set_text("Computing the ideal distribution…")
        self.ideal = await run.cpu_bound(compute.ideal_distribution, self.job.spec["circuits"][0])
        self.note.set_text(
            "Dashed line: the ideal (noise-free) distribution"
            if self.ideal
            else "The ideal distribution is shown for small circuits measured at the end only."
        )
        self.draw()

    def _set(self, **changes: Any) -> None:
        for key, value in changes.items():
            setattr(self, key, value)
        self.draw()

    def outcomes(self) -> list[str]:
        keys = set(self.counts) | set(self.ideal or {})
        if self.sort == "bitstring":
            ordered = sorted(keys)
        else:
            ordered = sorted(keys, key=lambda k: (-self.counts.get(k, 0), k))
        if self.top:
            ordered = ordered[: self.top]
            if self.sort == "bitstring":
                top = set(sorted(keys, key=lambda k: -self.counts.get(k, 0))[: self.top])
                ordered = [k for k in sorted(keys) if k in top]
        return ordered

    def draw(self) -> None:
        labels = self.outcomes()
        counts = [self.counts.get(k, 0) for k in labels]
        ideal = [self.ideal.get(k, 0.0) for k in labels] if self.ideal else None
        self.chart.options.clear()
        self.chart.options.update(
            charts.histogram(labels, counts, ideal, self.dark, shots=sum(self.counts.values()))
        )
        self.chart.update()


def estimator_results(job: Job, dark: bool) -> None:
    pubs = (job.result or {}).get("pubs", [])
    labels, values, errors = [], [], []
    circuits = job.spec.get("circuits", [])
    for c, pub in enumerate(pubs):
        observables = (circuits[c] if c < len(circuits) else {}).get("observables") or []
        for data in pub.get("data", []):
            for o, (ev, std) in enumerate(
                zip(data.get("evs", []), data.get("stds", []), strict=False)
            ):
                name = _observable_label(observables[o] if o < len(observables) else None, o)
                labels.append(name if len(pubs) == 1 else f"c{c} {name}")
                values.append(float(ev))
                errors.append(float(std or 0.0))
    ui.echart(charts.expectation_values(labels, values, errors, dark)).classes("w-full h-72")
    rows = [
        {"observable": label, "value": f"{v:+.4f}", "error": f"± {e:.4f}"}
        for label, v, e in zip(labels, values, errors, strict=True)
    ]
    table = (
        ui.table(
            columns=[
                {
                    "name": "observable",
                    "label": "Observable",
                    "field": "observable",
                    "align": "left",
                },
                {"name": "value", "label": "Expectation value", "field": "value"},
                {"name": "error", "label": "Standard error", "field": "error"},
            ],
            rows=rows,
            row_key="observable",
        )
        .props("flat dense")
        .classes("qd-table w-full")
        .mark("expectation-values")
    )
    keyboard_scrollable(table, "Expectation values")


def _observable_label(observable: Any, index: int) -> str:
    if not observable:
        return f"O{index}"
    terms = [f"{coeff:g}·{pauli}" if coeff != 1 else pauli for pauli, coeff in observable]
    return " + ".join(terms)
