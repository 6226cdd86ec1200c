"""The composer's circuit to and from OpenQASM 2 and 3, through Qiskit.

Import lays the instructions out column by column, each in the first column where all
its wires are free; gates the palette lacks are rewritten into palette gates by Qiskit's
transpiler first, so any valid circuit of up to 16 qubits comes in.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from qdeck.quest.composer.angles import angle_text
from qdeck.quest.composer.circuit import (
    GATES,
    MAX_COLUMNS,
    MAX_QUBITS,
    MIN_COLUMNS,
    Cell,
    Circuit,
    CircuitError,
)

MAX_SOURCE_CHARS = 200_000
MAX_INSTRUCTIONS = 10_000
# Qiskit name -> (composer gate, number of controls)
IMPORTED: dict[str, tuple[str, int]] = {
    **{name: (name, 0) for name in GATES},
    "cx": ("x", 1),
    "ccx": ("x", 2),
    "cy": ("y", 1),
    "cz": ("z", 1),
    "ch": ("h", 1),
    "csx": ("sx", 1),
    "crx": ("rx", 1),
    "cry": ("ry", 1),
    "crz": ("rz", 1),
    "cp": ("p", 1),
    "cu1": ("p", 1),
    "u1": ("p", 0),
    "cswap": ("swap", 1),
}
BASIS = [
    *(g for g in GATES if g not in ("measure", "barrier")),
    "cx",
    "ccx",
    "cy",
    "cz",
    "ch",
    "crx",
    "cry",
    "crz",
    "cp",
    "cswap",
]


def to_qiskit(circuit: Circuit, *, measurements: bool = True) -> Any:
    """The circuit as a Qiskit ``QuantumCircuit``; measurement ``i`` writes clbit ``i``."""
    from qiskit import QuantumCircuit

    cells = circuit.ordered()
    measured = measurements and any(c.gate == "measure" for c in cells)
    qc = QuantumCircuit(circuit.qubits, circuit.qubits if measured else 0)
    for cell in cells:
        if cell.gate == "measure":
            if measurements:
                qc.measure(cell.qubit, cell.qubit)
            continue
        if cell.gate == "barrier":
            qc.barrier(cell.qubit)
            continue
        _append(qc, cell)
    return qc


def _append(qc: Any, cell: Cell) -> None:
    from qiskit.circuit.library import get_standard_gate_name_mapping

    gates = get_standard_gate_name_mapping()
    base = gates[cell.gate]
    if cell.kind.has_angle:
        base = type(base)(cell.angle)
    gate = base.control(len(cell.controls)) if cell.controls else base
    qc.append(gate, [*cell.controls, *cell.targets])


def to_qasm2(circuit: Circuit) -> str:
    from qiskit import qasm2

    return qasm2.dumps(to_qiskit(circuit))


def to_qasm3(circuit: Circuit) -> str:
    from qiskit import qasm3

    return qasm3.dumps(to_qiskit(circuit))


def from_qasm(source: str) -> Circuit:
    """Parse OpenQASM 2 or 3 (told apart by its header) into a composer circuit, or
    ``CircuitError`` saying what is wrong."""
    if len(source) > MAX_SOURCE_CHARS:
        raise CircuitError(f"the QASM is longer than {MAX_SOURCE_CHARS:,} characters")
    qc = _parse(source)
    if qc.num_qubits > MAX_QUBITS:
        raise CircuitError(f"the composer holds up to {MAX_QUBITS} qubits, not {qc.num_qubits}")
    if qc.num_qubits == 0:
        raise CircuitError("the QASM declares no qubits")
    if len(qc.data) > MAX_INSTRUCTIONS:
        raise CircuitError(f"the QASM has more than {MAX_INSTRUCTIONS:,} instructions")
    if any(i.operation.name not in IMPORTED for i in qc.data):
        qc = _rewritten(qc)
    return _laid_out(qc)


def _parse(source: str) -> Any:
    from qiskit import qasm2, qasm3

    version3 = source.lstrip().upper().startswith("OPENQASM 3")
    try:
        if version3:
            return qasm3.loads(source)
        return qasm2.loads(source, custom_instructions=qasm2.LEGACY_CUSTOM_INSTRUCTIONS)
    except Exception as exc:  # Qiskit's parsers raise several types; all mean bad input
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CircuitError(f"not valid OpenQASM {'3' if version3 else '2'}: {message}") from exc


def _rewritten(qc: Any) -> Any:
    from qiskit import transpile

    try:
        return transpile(qc, basis_gates=BASIS, optimization_level=0)
    except Exception as exc:  # the transpiler's errors name the gate it could not rewrite
        raise CircuitError(f"the composer cannot show this circuit's gates: {exc}") from exc


def _laid_out(qc: Any) -> Circuit:
    circuit = Circuit(qc.num_qubits, MIN_COLUMNS)
    free = [0] * qc.num_qubits  # the first free column of each wire
    for instruction in qc.data:
        name = instruction.operation.name
        wires = [qc.find_bit(q).index for q in instruction.qubits]
        if name == "barrier":
            cells = [Cell("barrier", w, 0) for w in wires]
        elif name in ("id", "delay"):
            continue
        elif name == "measure":
            cells = [Cell("measure", wires[0], 0)]
        else:
            cells = [_cell(name, instruction.operation, wires)]
        for cell in cells:
            column = max(free[w] for w in cell.wires)
            if column >= MAX_COLUMNS:
                raise CircuitError(f"the circuit needs more than {MAX_COLUMNS} columns")
            circuit = circuit.place(_at(cell, column))
            for w in cell.wires:
                free[w] = column + 1
    return circuit


def _cell(name: str, operation: Any, wires: list[int]) -> Cell:
    if name not in IMPORTED:
        raise CircuitError(f"the composer has no gate {name!r}")
    gate, controls = IMPORTED[name]
    angle = None
    if GATES[gate].has_angle:
        try:
            angle = float(operation.params[0])
        except (TypeError, ValueError, IndexError) as exc:
            raise CircuitError(f"{name} needs a numeric angle") from exc
    targets = wires[controls:]
    return Cell(
        gate,
        targets[0],
        0,
        angle=angle,
        angle_text=angle_text(angle) if angle is not None else None,
        controls=tuple(wires[:controls]),
        partner=targets[1] if gate == "swap" else None,
    )


def _at(cell: Cell, column: int) -> Cell:
    return replace(cell, column=column)
