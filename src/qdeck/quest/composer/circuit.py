"""The composer's circuit: plain data, a grid of wires (qubits) by columns.

A cell is one gate at a column on its target wire, with its control wires and, for a
swap, its partner wire. A wire holds at most one thing per column (a gate, a control dot
or a swap end). Gates after a measurement may only use the measured wire as a control:
by the deferred-measurement principle that is the same as controlling on the classical
outcome, so the composer's pure state stays exact for every display.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from qdeck.quest.composer.angles import angle_text, parse_angle

MAX_QUBITS = 16
MIN_COLUMNS = 40
MAX_COLUMNS = 80


@dataclass(frozen=True)
class GateKind:
    name: str  # Qiskit / OpenQASM name of the uncontrolled gate
    label: str  # what the palette and the grid show
    title: str  # what a screen reader says
    max_controls: int = 0
    has_angle: bool = False
    two_wires: bool = False  # swap: a target and a partner


GATES: dict[str, GateKind] = {
    kind.name: kind
    for kind in (
        GateKind("h", "H", "Hadamard", 1),
        GateKind("x", "X", "Pauli X (NOT)", 2),
        GateKind("y", "Y", "Pauli Y", 1),
        GateKind("z", "Z", "Pauli Z", 1),
        GateKind("s", "S", "S (quarter turn about Z)"),
        GateKind("sdg", "S†", "S dagger"),
        GateKind("t", "T", "T (eighth turn about Z)"),
        GateKind("tdg", "T†", "T dagger"),
        GateKind("sx", "√X", "Square root of X", 1),
        GateKind("rx", "RX", "Rotation about X", 1, has_angle=True),
        GateKind("ry", "RY", "Rotation about Y", 1, has_angle=True),
        GateKind("rz", "RZ", "Rotation about Z", 1, has_angle=True),
        GateKind("p", "P", "Phase", 1, has_angle=True),
        GateKind("swap", "\u00d7", "Swap", 1, two_wires=True),
        GateKind("measure", "M", "Measure"),
        GateKind("barrier", "▒", "Barrier"),
    )
}


# What may follow a measurement on the measured wire.
QUIET = ("measure", "barrier")


class CircuitError(ValueError):
    """An edit or a circuit the composer cannot hold; the message says why."""


@dataclass(frozen=True)
class Cell:
    gate: str
    qubit: int
    column: int
    angle: float | None = None
    angle_text: str | None = None
    controls: tuple[int, ...] = ()
    partner: int | None = None

    @property
    def kind(self) -> GateKind:
        return GATES[self.gate]

    @property
    def wires(self) -> tuple[int, ...]:
        """Every wire this cell uses in its column."""
        extra = (self.partner,) if self.partner is not None else ()
        return (self.qubit, *extra, *self.controls)

    @property
    def targets(self) -> tuple[int, ...]:
        return (self.qubit,) if self.partner is None else (self.qubit, self.partner)


@dataclass
class Circuit:
    qubits: int = 2
    columns: int = MIN_COLUMNS
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)  # (column, qubit)

    def __post_init__(self) -> None:
        if not 1 <= self.qubits <= MAX_QUBITS:
            raise CircuitError(f"the composer holds 1 to {MAX_QUBITS} qubits, not {self.qubits}")

    def copy(self) -> Circuit:
        return Circuit(self.qubits, self.columns, dict(self.cells))

    def ordered(self) -> list[Cell]:
        return [self.cells[key] for key in sorted(self.cells)]

    def column(self, column: int) -> list[Cell]:
        found = (self.cells.get((column, q)) for q in range(self.qubits))
        return [cell for cell in found if cell is not None]

    def used_columns(self) -> int:
        """One past the last column holding a gate (0 when empty)."""
        return max((col for col, _ in self.cells), default=-1) + 1

    def at(self, qubit: int, column: int) -> Cell | None:
        """The cell whose gate, control or swap end sits on this wire in this column."""
        for cell in self.column(column):
            if qubit in cell.wires:
                return cell
        return None

    def measured_before(self, qubit: int, column: int) -> int | None:
        """The column of the first measurement of ``qubit`` before ``column``, if any."""
        for (col, _), cell in sorted(self.cells.items()):
            if col >= column:
                break
            if cell.gate == "measure" and cell.qubit == qubit:
                return col
        return None

    # Edits: each returns a new circuit or raises CircuitError, leaving this one as it was.

    def place(self, cell: Cell, *, ignore: Cell | None = None) -> Circuit:
        cell = self._checked(cell, ignore)
        new = self.copy()
        if ignore is not None:
            new.cells.pop((ignore.column, ignore.qubit), None)
        new.cells[(cell.column, cell.qubit)] = cell
        new.columns = min(MAX_COLUMNS, max(new.columns, cell.column + 2))
        new._check_measurements()
        return new

    def remove(self, qubit: int, column: int) -> Circuit:
        cell = self.at(qubit, column)
        if cell is None:
            raise CircuitError(f"nothing to delete on q{qubit} in column {column + 1}")
        new = self.copy()
        if qubit in cell.controls:  # deleting a control dot keeps the gate
            controls = tuple(c for c in cell.controls if c != qubit)
            new.cells[(column, cell.qubit)] = replace(cell, controls=controls)
        else:
            del new.cells[(column, cell.qubit)]
        return new

    def move(self, qubit: int, column: int, to_qubit: int, to_column: int) -> Circuit:
        """Move the gate (with its controls and partner, shifted alike) whose wire is at
        (qubit, column); dragging a control dot moves only that dot within its column."""
        cell = self.at(qubit, column)
        if cell is None:
            raise CircuitError(f"nothing to move on q{qubit} in column {column + 1}")
        if qubit in cell.controls:
            if to_column != column:
                raise CircuitError("a control dot moves up or down in its own column")
            controls = tuple(to_qubit if c == qubit else c for c in cell.controls)
            return self.place(replace(cell, controls=controls), ignore=cell)
        if qubit == cell.partner:
            if to_column != column:
                raise CircuitError("a swap's end moves up or down in its own column")
            return self.place(replace(cell, partner=to_qubit), ignore=cell)
        shift = to_qubit - cell.qubit
        moved = replace(
            cell,
            qubit=to_qubit,
            column=to_column,
            controls=tuple(c + shift for c in cell.controls),
            partner=None if cell.partner is None else cell.partner + shift,
        )
        return self.place(moved, ignore=cell)

    def set_angle(self, qubit: int, column: int, text: str) -> Circuit:
        cell = self.at(qubit, column)
        if cell is None or not cell.kind.has_angle:
            raise CircuitError(f"no rotation on q{qubit} in column {column + 1}")
        value = parse_angle(text)
        return self.place(replace(cell, angle=value, angle_text=text.strip()), ignore=cell)

    def with_qubits(self, qubits: int) -> Circuit:
        if not 1 <= qubits <= MAX_QUBITS:
            raise CircuitError(f"the composer holds 1 to {MAX_QUBITS} qubits")
        if any(w >= qubits for cell in self.cells.values() for w in cell.wires):
            raise CircuitError(f"q{qubits} still has gates: delete them first")
        return Circuit(qubits, self.columns, dict(self.cells))

    def _checked(self, cell: Cell, ignore: Cell | None) -> Cell:
        kind = GATES.get(cell.gate)
        if kind is None:
            raise CircuitError(f"the composer has no gate {cell.gate!r}")
        if not 0 <= cell.column < MAX_COLUMNS:
            raise CircuitError(f"columns run from 1 to {MAX_COLUMNS}")
        wires = cell.wires
        if any(not 0 <= w < self.qubits for w in wires):
            raise CircuitError(f"that needs a wire outside q0 to q{self.qubits - 1}")
        if len(set(wires)) != len(wires):
            raise CircuitError("a gate cannot use the same wire twice")
        if len(cell.controls) > kind.max_controls:
            raise CircuitError(f"{kind.label} takes at most {kind.max_controls} controls")
        if kind.two_wires != (cell.partner is not None):
            raise CircuitError(f"{kind.label} needs {'two wires' if kind.two_wires else 'one'}")
        if kind.has_angle:
            if cell.angle is None:
                cell = replace(cell, angle=parse_angle(cell.angle_text or "pi/2"))
            cell = replace(cell, angle_text=cell.angle_text or angle_text(cell.angle))
        elif cell.angle is not None:
            raise CircuitError(f"{kind.label} takes no angle")
        for w in wires:
            other = self.at(w, cell.column)
            if other is not None and other != ignore:
                raise CircuitError(
                    f"q{w} in column {cell.column + 1} is taken by {other.kind.label}"
                )
        return cell

    def _check_measurements(self) -> None:
        first: dict[int, int] = {}  # wire -> column of its first measurement
        for (col, _), cell in sorted(self.cells.items()):
            for target in cell.targets:
                measured = first.get(target)
                if measured is not None and measured < col and cell.gate not in QUIET:
                    raise CircuitError(
                        f"q{target} is measured in column {measured + 1}; after that it can "
                        "only control other gates"
                    )
            if cell.gate == "measure":
                first.setdefault(cell.qubit, col)


def build(qubits: int, cells: Iterable[Cell], columns: int = MIN_COLUMNS) -> Circuit:
    """A circuit from cells, each checked as if placed by hand."""
    circuit = Circuit(qubits, max(columns, MIN_COLUMNS))
    for cell in cells:
        circuit = circuit.place(cell)
    return circuit
