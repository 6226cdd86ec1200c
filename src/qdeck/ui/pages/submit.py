"""Submit: write or pick a circuit, choose how and where to run it, then watch it live."""

from __future__ import annotations

import re
import uuid
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import ui

from qdeck.backends.schemas import BackendRead
from qdeck.db.keyset import PageRequest
from qdeck.errors import QdeckError
from qdeck.jobs.schemas import JobCreate
from qdeck.quantum_sessions.models import SessionStatus
from qdeck.quest.composer import CircuitError, share
from qdeck.ui.components.backend_picker import BackendPicker
from qdeck.ui.components.badges import section_card
from qdeck.ui.components.editor import QasmEditor
from qdeck.ui.components.samples import BELL, SAMPLES, sample
from qdeck.ui.errors import attempt
from qdeck.ui.layout import CATALOG_WAIT, frame, page_heading
from qdeck.ui.session import Viewer, current_viewer, to_log_in

TERM = re.compile(r"^\s*(?:([-+]?\d*\.?\d+(?:e[-+]?\d+)?)\s*\*\s*)?([IXYZ]+)\s*$", re.I)


def parse_observables(text: str) -> list[list[tuple[str, float]]]:
    """One observable per line, terms joined by '+': ``ZZ`` or ``0.5*XX + 0.5*YY``."""
    observables = []
    for number, line in enumerate(text.strip().splitlines(), start=1):
        if not line.strip():
            continue
        terms = []
        for part in line.replace("- ", "+ -").split("+"):
            match = TERM.match(part)
            if not match:
                raise ValueError(f"line {number}: {part.strip()!r} is not a Pauli term like 0.5*XZ")
            terms.append((match.group(2).upper(), float(match.group(1) or 1.0)))
        observables.append(terms)
    if not observables:
        raise ValueError("give at least one observable, e.g. ZZ")
    return observables


def register() -> None:
    @ui.page("/submit", title="Submit · qdeck", response_timeout=CATALOG_WAIT)
    async def submit_page(request: Request) -> RedirectResponse | None:
        viewer = await current_viewer(request)
        if viewer is None:
            return to_log_in(request)
        form = SubmitForm(viewer)
        await form.load(request.query_params.get("from", ""))
        form.take_shared(request.query_params.get("circuit", ""))
        with frame(viewer, "Submit", active="submit"):
            form.build()
        return None


class SubmitForm:
    def __init__(self, viewer: Viewer) -> None:
        self.viewer = viewer
        self.backends: list[BackendRead] = []
        self.projects: dict[str, str] = {}
        self.sessions: dict[str, str] = {}
        self.initial: dict[str, Any] = {
            "source": BELL,
            "backend": "aer_simulator",
            "shots": 1024,
            "primitive": "sampler",
            "optimization_level": 2,
        }

    async def load(self, clone_of: str) -> None:
        async with self.viewer.qdeck.reading() as services:
            self.backends = await services.backends.list(self.viewer.user.id)
            projects, _ = await services.projects.list(
                self.viewer.user, self.viewer.workspace.id, PageRequest(limit=200)
            )
            self.projects = {str(p.id): p.name for p in projects}
            open_sessions = []
            for status in (SessionStatus.OPEN, SessionStatus.ACTIVE):
                found, _ = await services.quantum_sessions.list(
                    self.viewer.user,
                    PageRequest(limit=100),
                    workspace_id=self.viewer.workspace.id,
                    status=status,
                )
                open_sessions += found
            self.sessions = {str(s.id): f"{s.name} ({s.backend})" for s in open_sessions}
            if clone_of:
                await self._clone(services, clone_of)

    def take_shared(self, token: str) -> None:
        """A circuit handed over in the URL (the Quest composer's "open in Submit")."""
        if not token:
            return
        try:
            self.initial["source"] = share.decode(token)
        except CircuitError:
            ui.notify("The circuit in the link is damaged; showing a sample instead.")
            return
        self.initial["name"] = "From the composer"

    async def _clone(self, services, job_id: str) -> None:
        try:
            job = await services.jobs.get(self.viewer.user, uuid.UUID(job_id))
        except (ValueError, QdeckError):
            return
        circuit = (job.spec.get("circuits") or [{}])[0]
        observables = circuit.get("observables") or []
        self.initial = {
            "source": circuit.get("source", BELL),
            "backend": job.backend,
            "shots": job.shots,
            "primitive": job.primitive.value,
            "optimization_level": job.optimization_level,
            "name": f"{job.name} (copy)",
            "tags": [t.tag for t in job.tags],
            "observables": "\n".join(
                " + ".join(f"{c:g}*{p}" for p, c in obs) for obs in observables
            ),
        }

    def build(self) -> None:
        page_heading("Submit a circuit", "OpenQASM 2 or 3; checked as you type")
        with ui.grid().classes("w-full gap-5 grid-cols-1 xl:grid-cols-3"):
            with section_card("Circuit").classes("xl:col-span-2"):
                with ui.row().classes("gap-2 flex-wrap").mark("samples"):
                    for item in SAMPLES:
                        ui.button(
                            item.title, on_click=lambda _, k=item.key: self.use_sample(k)
                        ).props("outline no-caps rounded padding='4px 14px'").classes(
                            "qd-sample"
                        ).tooltip(item.description)
                self.editor = QasmEditor(
                    self.initial["source"],
                    dark=self.viewer.theme == "dark",
                    on_checked=self.checked,
                )
            with section_card("How and where to run it"):
                self._settings()
        ui.timer(0.1, self.editor.check, once=True)

    def _settings(self) -> None:
        init = self.initial
        self.primitive = (
            ui.toggle(
                {"sampler": "Sampler (counts)", "estimator": "Estimator"}, value=init["primitive"]
            )
            .props("no-caps unelevated")
            .mark("primitive")
        )
        self.observables = (
            ui.textarea(
                "Observables (one per line)",
                value=init.get("observables", "ZZ"),
                placeholder="ZZ\n0.5*XX + 0.5*YY",
            )
            .props("outlined autogrow")
            .classes("w-full qd-mono")
            .mark("observables")
        )
        self.observables.bind_visibility_from(self.primitive, "value", value="estimator")
        self.backend = (
            BackendPicker(self.backends, init["backend"], on_change=lambda: self.fit_check())
            .classes("w-full")
            .mark("backend")
        )
        self.fit = ui.label().classes("text-sm").mark("fit")
        with ui.row().classes("w-full gap-3 no-wrap"):
            self.shots = (
                ui.number(
                    "Shots",
                    value=init.get("shots") or 1024,
                    min=1,
                    max=100_000,
                    step=100,
                    format="%d",
                )
                .props("outlined")
                .classes("flex-1")
            )
            self.shots.bind_visibility_from(self.primitive, "value", value="sampler")
            self.level = (
                ui.select(
                    {i: f"Level {i}" for i in range(4)},
                    value=init["optimization_level"],
                    label="Optimization",
                )
                .props("outlined")
                .classes("flex-1")
            )
        self.name = (
            ui.input("Name (optional)", value=init.get("name", ""))
            .props("outlined")
            .classes("w-full")
        )
        self.tags = (
            # Not dense: every field on this form is the same height.
            ui.input_chips("Tags", value=init.get("tags", [])).props("outlined").classes("w-full")
        )
        self.project = (
            ui.select({"": "No project", **self.projects}, value="", label="Project")
            .props("outlined")
            .classes("w-full")
        )
        self.session = (
            ui.select({"": "No session", **self.sessions}, value="", label="Quantum session")
            .props("outlined")
            .classes("w-full")
        )
        self.button = (
            ui.button("Submit job", icon="send", on_click=self.submit)
            .props("unelevated size=lg no-caps")
            .classes("w-full")
            .mark("submit-job")
            .bind_visibility_from(self.viewer, "can_write")
        )

    async def use_sample(self, key: str) -> None:
        chosen = sample(key)
        self.editor.set(chosen.source)
        self.primitive.value = chosen.primitive
        if chosen.observables:
            self.observables.value = "\n".join(chosen.observables)
        if not self.name.value or self.name.value.endswith("(sample)"):
            self.name.value = f"{chosen.title} (sample)"

    async def checked(self, result: dict[str, Any]) -> None:
        await self.fit_check()

    async def fit_check(self) -> None:
        result = self.editor.result
        self.backend.for_circuit(result.get("num_qubits") if result.get("ok") else None)
        backend = next((b for b in self.backends if b.name == self.backend.value), None)
        if backend is None or not result.get("ok"):
            self.fit.set_text("")
            return
        async with self.viewer.qdeck.reading() as services:
            try:
                fit = await services.backends.fit(backend.name, self.editor.value, None, None)
            except QdeckError as exc:
                self.fit.set_text(exc.detail)
                return
        text = f"Fits {backend.name}" if fit.fits else f"Does not fit: {fit.reason}"
        self.fit.set_text(("✓ " if fit.fits else "✗ ") + text)
        self.fit.classes(replace="text-sm " + ("text-positive" if fit.fits else "text-negative"))

    async def submit(self) -> None:
        check = await self.editor.check()
        if not check.get("ok"):
            ui.notify("Fix the circuit first: " + self.editor.status.text, type="negative")
            return
        circuit: dict[str, Any] = {"source": self.editor.value}
        if self.primitive.value == "estimator":
            try:
                circuit["observables"] = parse_observables(self.observables.value or "")
            except ValueError as exc:
                self.observables.error = str(exc)
                return
        try:
            body = JobCreate(
                workspace_id=self.viewer.workspace.id,
                project_id=uuid.UUID(self.project.value) if self.project.value else None,
                session_id=uuid.UUID(self.session.value) if self.session.value else None,
                backend=self.backend.value,
                primitive=self.primitive.value,
                circuits=[circuit],  # type: ignore[list-item]
                shots=int(self.shots.value) if self.primitive.value == "sampler" else None,
                optimization_level=int(self.level.value),
                name=(self.name.value or "").strip(),
                tags=list(self.tags.value or []),
            )
        except ValueError as exc:
            ui.notify(str(exc).splitlines()[-1], type="negative", multi_line=True)
            return

        async def send() -> str:
            async with self.viewer.qdeck.writing() as services:
                job = await services.jobs.submit(self.viewer.user, body)
                return str(job.id)

        self.button.props("loading")
        try:
            job_id = await attempt(send())
        finally:
            self.button.props(remove="loading")
        if job_id:
            ui.navigate.to(f"/jobs/{job_id}")
