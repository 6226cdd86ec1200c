"""The circuit composer's model: a grid of gates, its state after any column, and
OpenQASM 2/3 in and out. Plain data and numpy; the web UI draws it (ui/components)."""

from qdeck.quest.composer.angles import AngleError, angle_text, parse_angle
from qdeck.quest.composer.circuit import (
    GATES,
    MAX_COLUMNS,
    MAX_QUBITS,
    MIN_COLUMNS,
    Cell,
    Circuit,
    CircuitError,
    build,
)
from qdeck.quest.composer.qasm import from_qasm, to_qasm2, to_qasm3, to_qiskit
from qdeck.quest.composer.state import ComposerState, Evolution, state_after

__all__ = [
    "GATES",
    "MAX_COLUMNS",
    "MAX_QUBITS",
    "MIN_COLUMNS",
    "AngleError",
    "Cell",
    "Circuit",
    "CircuitError",
    "ComposerState",
    "Evolution",
    "angle_text",
    "build",
    "from_qasm",
    "parse_angle",
    "state_after",
    "to_qasm2",
    "to_qasm3",
    "to_qiskit",
]
