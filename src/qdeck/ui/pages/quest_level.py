"""A Quest level: the goal, its constraints, the composer preloaded, Grade, progressive
hints, stars, the celebration on solving, and "run it for real"."""

from __future__ import annotations

import time

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import ui

from qdeck.backends.schemas import BackendRead
from qdeck.errors import NotFound
from qdeck.quest.schemas import GradeResult, LevelRead
from qdeck.ui.components.badges import section_card
from qdeck.ui.components.celebration import Celebration
from qdeck.ui.components.composer_panel import ComposerPanel, starting_circuit
from qdeck.ui.components.composer_run import RunPanel
from qdeck.ui.components.formulas import Formulas
from qdeck.ui.errors import attempt, error_content
from qdeck.ui.layout import CATALOG_WAIT, frame, page_heading
from qdeck.ui.pages.quest import quest_tabs, stars
from qdeck.ui.session import Viewer, current_viewer, to_log_in

GOALS = {
    "state": "Prepare this state",
    "unitary": "Build this operation",
    "distribution": "Produce this measurement distribution",
}


def register() -> None:
    @ui.page("/quest/levels/{key}", title="Level · qdeck", response_timeout=CATALOG_WAIT)
    async def level_page(request: Request, key: str) -> RedirectResponse | None:
        viewer = await current_viewer(request)
        if viewer is None:
            return to_log_in(request)
        try:
            async with viewer.qdeck.reading() as services:
                level = await services.quest.level(viewer.user, key)
                backends = await services.backends.list(viewer.user.id)
        except NotFound:
            level, backends = None, []
        with frame(viewer, level.title if level else "Level not found", active="quest"):
            quest_tabs("path")
            if level is None:
                ui.context.client.status_code = 404
                error_content(404, "There is no such level; each lesson lists its levels.")
                return None
            LevelPage(viewer, level, backends).build()
        return None


class LevelPage:
    def __init__(self, viewer: Viewer, level: LevelRead, backends: list[BackendRead]) -> None:
        self.viewer = viewer
        self.level = level
        self.backends = backends
        self.started = time.monotonic()

    def build(self) -> None:
        level = self.level
        heading = page_heading(level.title, GOALS.get(level.goal_kind, "Goal"))
        with heading:
            ui.link("Back to the lesson", f"/quest/lessons/{level.lesson_key}").classes(
                "qd-link text-sm"
            )
        with ui.grid().classes("w-full gap-5 grid-cols-1 xl:grid-cols-3"):
            with section_card("Goal").classes("xl:col-span-2"):
                Formulas(level.goal).classes("w-full").mark("level-goal")
                ui.label(self._constraints()).classes("text-sm qd-muted").mark("constraints")
            with section_card("Your best"):
                self.best = ui.label(stars(level.best_stars)).classes("qd-stars")
                self.best.props(f'aria-label="{level.best_stars} of 3 stars"').mark("best-stars")
                ui.label(
                    f"Reference: {level.reference_gate_count} gates, depth {level.reference_depth}"
                ).classes("text-sm qd-muted")
                self.hints = ui.column().classes("w-full gap-1").mark("hints")
                for number, text in enumerate(level.hints, start=1):
                    self._hint(number, text)
                self.hint_button = ui.button(
                    "Show a hint", icon="lightbulb", on_click=self.next_hint
                ).props("outline no-caps")
                self.hint_button.mark("hint")
                self._hint_count(len(level.hints))
        with ui.card().classes("qd-card w-full p-4 md:p-5 gap-3"):
            self.panel = ComposerPanel(starting_circuit(level.starting_qasm, self._qubits()))
            with ui.row().classes("w-full items-center gap-3 flex-wrap"):
                self.grade_button = (
                    ui.button("Grade", icon="grading", on_click=self.grade)
                    .props("unelevated no-caps size=lg")
                    .mark("grade")
                )
                self.verdict = (
                    ui.column().classes("gap-1 flex-1 min-w-0").props('aria-live="polite"')
                )
        self.celebration = Celebration()
        with section_card("Run it for real", "See what a noisy device makes of your circuit"):
            RunPanel(self.viewer, self.backends, lambda: self.panel.qasm, level_key=level.key)

    def _qubits(self) -> int:
        return max(1, min(16, self.level.constraints.num_qubits))

    def _constraints(self) -> str:
        rules = self.level.constraints
        parts = [f"{rules.num_qubits} qubit" + ("s" if rules.num_qubits != 1 else "")]
        if rules.allowed_gates:
            parts.append("gates: " + ", ".join(g.upper() for g in rules.allowed_gates))
        if rules.max_gates:
            parts.append(f"at most {rules.max_gates} gates")
        return " · ".join(parts)

    def _hint(self, number: int, text: str) -> None:
        with self.hints, ui.row().classes("w-full gap-2 no-wrap items-start"):
            ui.icon("lightbulb", size="18px", color="warning")
            Formulas(f"**Hint {number}.** {text}").classes("text-sm flex-1")

    def _hint_count(self, shown: int) -> None:
        total = self.level.hints_total
        self.hint_button.set_visibility(shown < total)
        self.hint_button.set_text(f"Show hint {shown + 1} of {total}")

    async def next_hint(self) -> None:
        async def ask():
            async with self.viewer.qdeck.writing() as services:
                return await services.quest.hint(self.viewer.user, self.level.key)

        hint = await attempt(ask())
        if hint is None:
            return
        self._hint(hint.number, hint.text)
        self._hint_count(hint.number)

    async def grade(self) -> None:
        spent = time.monotonic() - self.started
        qasm = self.panel.qasm

        async def send() -> GradeResult:
            async with self.viewer.qdeck.writing() as services:
                return await services.quest.grade(self.viewer.user, self.level.key, qasm, spent)

        self.grade_button.props("loading")
        try:
            result = await attempt(send())
        finally:
            self.grade_button.props(remove="loading")
        if result is None:
            return
        self.started = time.monotonic()
        self.show(result)

    def show(self, result: GradeResult) -> None:
        self.verdict.clear()
        with self.verdict:
            if result.passed:
                with ui.row().classes("items-center gap-3 qd-solved-banner").mark("solved"):
                    ui.label("Solved!").classes("text-xl font-bold text-positive")
                    ui.label(stars(result.stars)).classes("qd-stars").props(
                        f'aria-label="{result.stars} of 3 stars"'
                    ).mark("stars")
                self.best.set_text(stars(max(result.stars, self.level.best_stars)))
                self.celebration.fire(result.stars)
            else:
                ui.label("Not yet").classes("text-lg font-semibold text-negative").mark("not-yet")
            ui.label(result.feedback).classes("text-sm").mark("feedback")
            ui.label(
                f"Your circuit: {result.gate_count} gates, depth {result.depth} · "
                f"reference: {result.reference_gate_count} gates, depth {result.reference_depth}"
            ).classes("text-xs qd-muted")
            if result.next_level_key:
                ui.button(
                    "Next level",
                    icon="arrow_forward",
                    on_click=lambda: ui.navigate.to(f"/quest/levels/{result.next_level_key}"),
                ).props("outline no-caps").mark("next-level")
