"""Quest challenges: the list (/quest/challenges) and one challenge with the composer,
a submission that runs as a real job on the challenge's noisy device, the caller's
attempts and the leaderboard."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import ui

from qdeck.errors import NotFound
from qdeck.quest.schemas import ChallengeRead, LeaderboardRead
from qdeck.ui.components.badges import section_card
from qdeck.ui.components.composer_panel import ComposerPanel, starting_circuit
from qdeck.ui.components.formulas import Formulas
from qdeck.ui.errors import attempt, error_content
from qdeck.ui.layout import PAGE_WAIT, frame, page_heading
from qdeck.ui.pages.quest import quest_tabs
from qdeck.ui.session import Viewer, current_viewer, to_log_in

REFRESH_SECONDS = 2.0


def register() -> None:
    @ui.page("/quest/challenges", title="Quest challenges · qdeck", response_timeout=PAGE_WAIT)
    async def challenges_page(request: Request) -> RedirectResponse | None:
        viewer = await current_viewer(request)
        if viewer is None:
            return to_log_in(request)
        async with viewer.qdeck.reading() as services:
            challenges = await services.quest.challenges(viewer.user)
        with frame(viewer, "Quest challenges", active="quest"):
            quest_tabs("challenges")
            page_heading(
                "Challenges", "Open-ended, scored on a noisy fake device by a real qdeck job"
            )
            with ui.column().classes("w-full gap-3").mark("challenges"):
                for challenge in challenges:
                    with ui.card().classes("qd-card w-full p-4 gap-1"):
                        with ui.row().classes("w-full items-center gap-3 flex-wrap"):
                            ui.link(challenge.title, f"/quest/challenges/{challenge.key}").classes(
                                "qd-link text-base font-semibold flex-1"
                            )
                            ui.label(challenge.backend).classes("qd-mono text-sm qd-muted")
                        best = (
                            f"your best {challenge.best_score:.3f}"
                            if challenge.best_score is not None
                            else "not tried yet"
                        )
                        status = "ended" if challenge.ended else "open"
                        ui.label(f"{challenge.metric} · {best} · {status}").classes(
                            "text-sm qd-muted"
                        )
        return None

    @ui.page("/quest/challenges/{key}", title="Challenge · qdeck", response_timeout=PAGE_WAIT)
    async def challenge_page(request: Request, key: str) -> RedirectResponse | None:
        viewer = await current_viewer(request)
        if viewer is None:
            return to_log_in(request)
        try:
            async with viewer.qdeck.reading() as services:
                challenge = await services.quest.challenge(viewer.user, key)
                board = await services.quest.leaderboard(viewer.user, key)
        except NotFound:
            challenge = board = None
        with frame(viewer, challenge.title if challenge else "Challenge not found", active="quest"):
            quest_tabs("challenges")
            if challenge is None or board is None:
                ui.context.client.status_code = 404
                error_content(404, "There is no such challenge; the challenges page lists them.")
                return None
            ChallengePage(viewer, challenge, board).build()
        return None


class ChallengePage:
    def __init__(self, viewer: Viewer, challenge: ChallengeRead, board: LeaderboardRead) -> None:
        self.viewer = viewer
        self.challenge = challenge
        self.board = board

    def build(self) -> None:
        challenge = self.challenge
        page_heading(challenge.title, f"{challenge.metric} on {challenge.backend}")
        with ui.grid().classes("w-full gap-5 grid-cols-1 xl:grid-cols-3"):
            with section_card("The challenge").classes("xl:col-span-2"):
                Formulas(challenge.markdown).classes("w-full")
                limit = (
                    f", at most {challenge.max_two_qubit_gates} two-qubit gates"
                    if challenge.max_two_qubit_gates is not None
                    else ""
                )
                ui.label(
                    f"{challenge.num_qubits} qubits, {challenge.shots:,} shots{limit}"
                ).classes("text-sm qd-muted")
            with section_card("Leaderboard"):
                self.leaderboard = ui.column().classes("w-full gap-1").mark("leaderboard")
        with ui.card().classes("qd-card w-full p-4 md:p-5 gap-3"):
            self.panel = ComposerPanel(
                starting_circuit(challenge.starting_qasm, challenge.num_qubits)
            )
            with ui.row().classes("items-center gap-3"):
                ui.button("Submit to the challenge", icon="send", on_click=self.submit).props(
                    "unelevated no-caps"
                ).mark("submit-challenge").bind_visibility_from(self.viewer, "can_write")
        with section_card("Your attempts"):
            self.attempts = ui.column().classes("w-full gap-1").mark("attempts")
        self._show()
        ui.timer(REFRESH_SECONDS, self.reload)

    async def submit(self) -> None:
        async def send():
            async with self.viewer.qdeck.writing() as services:
                return await services.quest.submit_challenge(
                    self.viewer.user,
                    self.challenge.key,
                    self.panel.qasm,
                    workspace_id=self.viewer.workspace.id,
                )

        if await attempt(send(), success="Submitted: it is scored when its job finishes"):
            await self.reload()

    async def reload(self) -> None:
        pending = any(a.status == "pending" for a in self.challenge.attempts)
        if not pending and self.attempts.default_slot.children:
            return
        async with self.viewer.qdeck.reading() as services:
            self.challenge = await services.quest.challenge(self.viewer.user, self.challenge.key)
            self.board = await services.quest.leaderboard(self.viewer.user, self.challenge.key)
        self._show()

    def _show(self) -> None:
        self.leaderboard.clear()
        with self.leaderboard:
            if not self.board.entries:
                ui.label("No scores yet: be the first.").classes("text-sm qd-muted")
            for entry in self.board.entries:
                with ui.row().classes("w-full items-center gap-2 no-wrap"):
                    ui.label(f"#{entry.rank}").classes("w-8 font-semibold")
                    name = entry.display_name + (" (you)" if entry.is_you else "")
                    ui.label(name).classes("flex-1 min-w-0 truncate")
                    ui.label(f"{entry.score:.3f}").classes("qd-mono")
                if entry.qasm:
                    with ui.expansion("Circuit").classes("w-full text-sm"):
                        ui.label(entry.qasm).classes("qd-pre qd-mono w-full")
        self.attempts.clear()
        with self.attempts:
            if not self.challenge.attempts:
                ui.label("None yet.").classes("text-sm qd-muted")
            for item in self.challenge.attempts:
                score = f"{item.score:.3f}" if item.score is not None else item.status
                with ui.row().classes("w-full items-center gap-2 text-sm flex-wrap"):
                    ui.label(item.created_at.strftime("%Y-%m-%d %H:%M")).classes("qd-muted")
                    ui.label(score).classes("qd-mono font-semibold")
                    ui.label(item.feedback).classes("flex-1 min-w-0")
                    if item.job_id:
                        ui.link("job", f"/jobs/{item.job_id}").classes("qd-link")
