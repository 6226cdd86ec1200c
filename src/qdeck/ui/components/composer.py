"""The composer's grid and palette as one browser element (composer_grid.js), and the
palette it offers: what each entry places and which key types it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from nicegui import ui

from qdeck.quest.composer import GATES, Circuit

CSS = Path(__file__).with_name("composer.css")


@dataclass(frozen=True)
class PaletteItem:
    key: str
    label: str
    title: str
    gate: str
    controls: int
    family: str  # colour group: pauli, phase, rotation, hadamard, multi, measure
    keys: str = ""


PALETTE = [
    PaletteItem("h", "H", "Hadamard", "h", 0, "hadamard", "H"),
    PaletteItem("x", "X", "Pauli X (NOT)", "x", 0, "pauli", "X"),
    PaletteItem("y", "Y", "Pauli Y", "y", 0, "pauli", "Y"),
    PaletteItem("z", "Z", "Pauli Z", "z", 0, "pauli", "Z"),
    PaletteItem("s", "S", "S gate", "s", 0, "phase", "S"),
    PaletteItem("sdg", "S\u2020", "S dagger", "sdg", 0, "phase", "Shift+S"),
    PaletteItem("t", "T", "T gate", "t", 0, "phase", "T"),
    PaletteItem("tdg", "T\u2020", "T dagger", "tdg", 0, "phase", "Shift+T"),
    PaletteItem("sx", "\u221aX", "Square root of X", "sx", 0, "pauli", "V"),
    PaletteItem("rx", "RX", "Rotation about X", "rx", 0, "rotation", "1"),
    PaletteItem("ry", "RY", "Rotation about Y", "ry", 0, "rotation", "2"),
    PaletteItem("rz", "RZ", "Rotation about Z", "rz", 0, "rotation", "3"),
    PaletteItem("p", "P", "Phase", "p", 0, "rotation", "P"),
    PaletteItem("cx", "CX", "Controlled X (CNOT)", "x", 1, "multi", "C"),
    PaletteItem("cz", "CZ", "Controlled Z", "z", 1, "multi"),
    PaletteItem("cy", "CY", "Controlled Y", "y", 1, "multi"),
    PaletteItem("swap", "SWAP", "Swap", "swap", 0, "multi", "W"),
    PaletteItem("ccx", "CCX", "Toffoli (two controls)", "x", 2, "multi"),
    PaletteItem("cswap", "CSWAP", "Fredkin (controlled swap)", "swap", 1, "multi"),
    PaletteItem("measure", "M", "Measure", "measure", 0, "measure", "M"),
    PaletteItem("barrier", "\u2592", "Barrier", "barrier", 0, "measure", "B"),
]
BY_KEY = {item.key: item for item in PALETTE}


def circuit_data(circuit: Circuit) -> dict[str, Any]:
    """The circuit as the grid draws it."""
    return {
        "qubits": circuit.qubits,
        "columns": circuit.columns,
        "cells": [
            {
                "gate": cell.gate,
                "qubit": cell.qubit,
                "column": cell.column,
                "controls": list(cell.controls),
                "partner": cell.partner,
                "label": _label(cell.gate, len(cell.controls)),
                "title": GATES[cell.gate].title,
                "angle_text": cell.angle_text,
            }
            for cell in circuit.ordered()
        ],
    }


def _label(gate: str, controls: int) -> str:
    if gate == "x" and controls:
        return "\u2295"  # the target of a CNOT / Toffoli
    return GATES[gate].label


class ComposerGrid(ui.element, component="composer_grid.js"):
    def __init__(self, circuit: Circuit) -> None:
        super().__init__()
        self._props["circuit"] = circuit_data(circuit)
        self._props["palette"] = [asdict(item) for item in PALETTE]
        self._props["step"] = circuit.columns

    def show(self, circuit: Circuit, step: int) -> None:
        self._props["circuit"] = circuit_data(circuit)
        self._props["step"] = step
        self.update()
