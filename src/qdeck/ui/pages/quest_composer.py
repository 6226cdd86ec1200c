"""The free composer at /quest/composer: any circuit up to 16 qubits, live displays, a
share link (``?c=``) that reproduces it, and "run it for real"."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse
from nicegui import ui

from qdeck.quest.composer import CircuitError, from_qasm, share
from qdeck.ui.components.badges import section_card
from qdeck.ui.components.composer_panel import ComposerPanel, starting_circuit
from qdeck.ui.components.composer_run import RunPanel
from qdeck.ui.layout import CATALOG_WAIT, frame, page_heading
from qdeck.ui.pages.quest import quest_tabs
from qdeck.ui.session import current_viewer, to_log_in


def register() -> None:
    @ui.page("/quest/composer", title="Composer · qdeck", response_timeout=CATALOG_WAIT)
    async def composer_page(request: Request) -> RedirectResponse | None:
        viewer = await current_viewer(request)
        if viewer is None:
            return to_log_in(request)
        circuit, problem = starting_circuit(None), ""
        token = request.query_params.get("c", "")
        if token:
            try:
                circuit = from_qasm(share.decode(token))
            except CircuitError as exc:
                problem = f"The shared circuit could not be opened: {exc}"
        async with viewer.qdeck.reading() as services:
            backends = await services.backends.list(viewer.user.id)
        with frame(viewer, "Composer", active="quest"):
            quest_tabs("composer")
            page_heading(
                "Circuit composer",
                "Drag gates onto the wires, or pick a cell and type a gate's letter",
            )
            if problem:
                ui.label(problem).classes("text-negative").mark("share-problem")
            with ui.card().classes("qd-card w-full p-4 md:p-5 gap-3"):
                panel = ComposerPanel(circuit)
            with section_card("Run it for real", "On the ideal simulator or a noisy fake device"):
                RunPanel(viewer, backends, lambda: panel.qasm)
        return None
