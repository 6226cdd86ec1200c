"""The whole composer on a page: toolbar, palette and grid, the selected gate, the step
slider and the live displays.

Every edit is checked by the circuit model (``qdeck.quest.composer``) and, when it
holds, becomes the new circuit and one step of undo history. The state is then computed
here on the server, in a thread (numpy releases the GIL for its array work, and the
states kept after each column live with this page), and only what the displays draw is
sent: Bloch vectors, the top of the histogram, one page of amplitudes. Edits that arrive
while a state is being computed are folded into the next computation.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from nicegui import ui

from qdeck.quest.composer import (
    AngleError,
    Cell,
    Circuit,
    CircuitError,
    Evolution,
    from_qasm,
    to_qasm2,
)
from qdeck.quest.composer.display import payload
from qdeck.ui.components.composer import BY_KEY, CSS, ComposerGrid
from qdeck.ui.components.composer_io import ComposerFiles
from qdeck.ui.components.composer_state import StateView

HISTORY = 200


def starting_circuit(qasm: str | None, qubits: int = 2) -> Circuit:
    """The circuit a page opens with; an empty one when the QASM does not parse."""
    if qasm and qasm.strip():
        try:
            return from_qasm(qasm)
        except CircuitError:
            pass
    return Circuit(qubits)


class ComposerPanel:
    def __init__(
        self, circuit: Circuit, *, on_change: Callable[[Circuit], Any] | None = None
    ) -> None:
        self.history = [circuit]
        self.position = 0
        self.on_change = on_change
        self.evolution = Evolution()
        self.step: int | None = None  # None: after the last column
        self.page = 0
        self.likely_first: bool | None = None
        self.selected: tuple[int, int] | None = None
        self._lock = asyncio.Lock()
        self._wanted = 0
        ui.add_css(CSS)
        self._build()

    @property
    def circuit(self) -> Circuit:
        return self.history[self.position]

    @property
    def qasm(self) -> str:
        return to_qasm2(self.circuit)

    def _build(self) -> None:
        with ui.column().classes("w-full gap-3 min-w-0").mark("composer"):
            self._toolbar()
            self.grid = ComposerGrid(self.circuit).classes("w-full")
            self.grid.on("edit", lambda e: self.edit(e.args))
            self.grid.on("select", lambda e: self._select(e.args))
            self._inspector()
            with ui.row().classes("w-full items-center gap-3 no-wrap"):
                ui.label("Step").classes("text-sm font-medium")
                self.slider = (
                    ui.slider(min=0, max=self.circuit.columns, value=self.circuit.columns)
                    .props('label aria-label="Show the state after this many columns"')
                    .classes("flex-1")
                    .mark("step-slider")
                    .on("update:model-value", self._stepped, throttle=0.05)
                )
                self.step_label = ui.label().classes("text-sm qd-muted w-40 text-right")
            first = payload(self.evolution.state(self.circuit, self.circuit.columns))
            self.view = StateView(first).classes("w-full").mark("composer-state")
            self.view.on("page", lambda e: self._paged(int(e.args)))
            self.view.on("order", lambda e: self._ordered(bool(e.args)))
        self._show_step()

    def _toolbar(self) -> None:
        with ui.row().classes("w-full items-center gap-1 flex-wrap"):
            self.undo_button = (
                ui.button(icon="undo", on_click=lambda: self.edit({"op": "undo"}))
                .props('flat round aria-label="Undo"')
                .tooltip("Undo (Ctrl+Z)")
            )
            self.redo_button = (
                ui.button(icon="redo", on_click=lambda: self.edit({"op": "redo"}))
                .props('flat round aria-label="Redo"')
                .tooltip("Redo (Ctrl+Y)")
            )
            ui.button(icon="delete_sweep", on_click=lambda: self.edit({"op": "clear"})).props(
                'flat round aria-label="Clear the circuit"'
            ).tooltip("Clear")
            ui.separator().props("vertical")
            ui.button(
                icon="remove", on_click=lambda: self.edit({"op": "qubits", "delta": -1})
            ).props('flat round aria-label="Remove the last qubit"')
            self.qubit_label = ui.label().classes("text-sm w-16 text-center").mark("qubit-count")
            ui.button(icon="add", on_click=lambda: self.edit({"op": "qubits", "delta": 1})).props(
                'flat round aria-label="Add a qubit"'
            )
            ui.space()
            self.files = ComposerFiles(self)
        self._update_toolbar()

    def _inspector(self) -> None:
        with ui.row().classes("w-full items-center gap-3 min-h-12 flex-wrap").mark("inspector"):
            self.selected_label = ui.label("Select a gate to change its angle or delete it.")
            self.selected_label.classes("text-sm qd-muted")
            self.angle = (
                ui.input("Angle", placeholder="pi/4")
                .props('dense outlined aria-label="Angle" hide-bottom-space')
                .classes("w-40")
                .mark("angle")
                .on("keydown.enter", self._angle_entered)
                .on("blur", self._angle_entered)
            )
            self.delete_button = ui.button("Delete", icon="delete", on_click=self._delete_selected)
            self.delete_button.props("flat dense no-caps").mark("delete-gate")
            ui.label(
                "Keys: arrows move, H X Y Z S T V, Shift+S/T daggers, 1 2 3 rotations, P, "
                "C (CX), W (swap), M, B, Delete, Alt+arrows move a gate, Ctrl+Z / Ctrl+Y"
            ).classes("text-xs qd-muted w-full")
        self._show_selected()

    # Edits

    async def edit(self, args: dict[str, Any]) -> bool:
        """Apply one edit from the grid or the toolbar; False (with a notice) if refused."""
        op = args.get("op")
        try:
            if op == "undo":
                if self.position == 0:
                    return False
                self.position -= 1
            elif op == "redo":
                if self.position + 1 >= len(self.history):
                    return False
                self.position += 1
            else:
                self._push(self._changed(op, args))
        except (CircuitError, AngleError, KeyError, TypeError, ValueError) as exc:
            message = str(exc) if isinstance(exc, CircuitError | AngleError) else "not an edit"
            ui.notify(message, type="warning", position="top")
            if op == "angle":
                self.angle.props(f'error error-message="{_attr(message)}"')
            return False
        await self._changed_circuit()
        return True

    def _changed(self, op: str, args: dict[str, Any]) -> Circuit:
        circuit = self.circuit
        if op == "place":
            return self._placed(args["gate"], int(args["qubit"]), int(args["column"]))
        if op == "delete":
            return circuit.remove(int(args["qubit"]), int(args["column"]))
        if op == "move":
            return circuit.move(
                int(args["qubit"]),
                int(args["column"]),
                int(args["to_qubit"]),
                int(args["to_column"]),
            )
        if op == "angle":
            return circuit.set_angle(int(args["qubit"]), int(args["column"]), str(args["text"]))
        if op == "qubits":
            return circuit.with_qubits(circuit.qubits + int(args["delta"]))
        if op == "clear":
            return Circuit(circuit.qubits)
        if op == "load":
            return args["circuit"]
        raise ValueError(op)

    def _placed(self, key: str, qubit: int, column: int) -> Circuit:
        item = BY_KEY[key]
        circuit = self.circuit
        occupant = circuit.at(qubit, column)
        if occupant is not None:  # typing or dropping on a gate replaces it
            circuit = circuit.remove(qubit, column) if occupant.qubit == qubit else circuit
        free = [w for w in range(circuit.qubits) if w != qubit and circuit.at(w, column) is None]
        partner = None
        if item.gate == "swap":
            if not free:
                raise CircuitError(f"{item.label} needs two wires: add a qubit")
            partner = min(free, key=lambda w: (abs(w - qubit), w < qubit))  # below first
            free.remove(partner)
        if len(free) < item.controls:
            raise CircuitError(f"{item.label} needs {item.controls + 1} free wires in this column")
        controls = sorted(free, key=lambda w: (abs(w - qubit), w > qubit))[: item.controls]
        cell = Cell(item.gate, qubit, column, controls=tuple(sorted(controls)), partner=partner)
        return circuit.place(cell)

    def _push(self, circuit: Circuit) -> None:
        del self.history[self.position + 1 :]
        self.history.append(circuit)
        if len(self.history) > HISTORY:
            del self.history[0]
        self.position = len(self.history) - 1

    async def load(self, circuit: Circuit) -> None:
        """Replace the circuit (an import); undo brings the old one back."""
        await self.edit({"op": "load", "circuit": circuit})

    async def _changed_circuit(self) -> None:
        circuit = self.circuit
        self.grid.show(circuit, self._step())
        self.slider.props(f"max={circuit.columns}")
        if self.step is None:
            self.slider.value = circuit.columns
        self._update_toolbar()
        self._show_selected()
        if self.on_change is not None:
            result = self.on_change(circuit)
            if asyncio.iscoroutine(result):
                await result
        await self.refresh()

    # Displays

    def _step(self) -> int:
        return self.circuit.columns if self.step is None else min(self.step, self.circuit.columns)

    async def refresh(self) -> None:
        self._wanted += 1
        ticket = self._wanted
        async with self._lock:
            if ticket != self._wanted:
                return  # a later edit will compute the state it needs
            display = await asyncio.to_thread(
                self._compute, self.circuit, self._step(), self.page, self.likely_first
            )
        self.view.show(display)

    def _compute(
        self, circuit: Circuit, step: int, page: int, likely_first: bool | None
    ) -> dict[str, Any]:
        return payload(self.evolution.state(circuit, step), page=page, likely_first=likely_first)

    async def _stepped(self, event) -> None:
        value = int(event.args if not isinstance(event.args, dict) else event.args["value"])
        self.step = None if value >= self.circuit.columns else value
        self._show_step()
        self.grid.show(self.circuit, self._step())
        await self.refresh()

    def _show_step(self) -> None:
        step = self._step()
        used = self.circuit.used_columns()
        text = "the start" if step == 0 else f"column {min(step, max(used, 1))}"
        self.step_label.set_text("End of the circuit" if self.step is None else f"After {text}")

    async def _paged(self, page: int) -> None:
        self.page = max(0, page)
        await self.refresh()

    async def _ordered(self, likely_first: bool) -> None:
        self.likely_first, self.page = likely_first, 0
        await self.refresh()

    # The selected gate

    def _select(self, args: dict[str, Any]) -> None:
        self.selected = (int(args["qubit"]), int(args["column"]))
        self._show_selected()

    def _selected_cell(self) -> Cell | None:
        return self.circuit.at(*self.selected) if self.selected else None

    def _show_selected(self) -> None:
        cell = self._selected_cell()
        self.angle.props(remove="error error-message")
        if cell is None:
            self.selected_label.set_text("Select a gate to change its angle or delete it.")
            self.angle.set_visibility(False)
            self.delete_button.set_visibility(False)
            return
        wires = ", ".join(f"q{c}" for c in cell.controls)
        controls = f" controlled by {wires}" if wires else ""
        partner = f" with q{cell.partner}" if cell.partner is not None else ""
        self.selected_label.set_text(
            f"{cell.kind.title} on q{cell.qubit}{partner}{controls}, column {cell.column + 1}"
        )
        self.angle.set_visibility(cell.kind.has_angle)
        if cell.kind.has_angle:
            self.angle.value = cell.angle_text or ""
        self.delete_button.set_visibility(True)

    async def _angle_entered(self) -> None:
        cell = self._selected_cell()
        if cell is None or not cell.kind.has_angle or (self.angle.value or "") == cell.angle_text:
            return
        text = self.angle.value or ""
        await self.edit({"op": "angle", "qubit": cell.qubit, "column": cell.column, "text": text})

    async def _delete_selected(self) -> None:
        if self.selected is not None:
            await self.edit({"op": "delete", "qubit": self.selected[0], "column": self.selected[1]})

    def _update_toolbar(self) -> None:
        n = self.circuit.qubits
        self.qubit_label.set_text(f"{n} qubit" if n == 1 else f"{n} qubits")
        self.undo_button.set_enabled(self.position > 0)
        self.redo_button.set_enabled(self.position + 1 < len(self.history))


def _attr(text: str) -> str:
    return text.replace('"', "'")
