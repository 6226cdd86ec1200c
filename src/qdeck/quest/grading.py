"""Grading a level: exact, server-side, bounded.

An attempt is read once (``read_attempt``): at most 16 qubits and 10,000 operations,
only the gates of qelib1 that the composer knows, no custom gate definitions, no
mid-circuit measurement, reset or classical control. Anything else is refused with an
``InvalidInput`` (422) naming the line and column, before anything is stored. Final
measurements are dropped: the goal is judged on the state before them.

A readable circuit is then checked against the level (qubit count, allowed gates, gate
budget) and its goal, exactly and never by sampling:

* ``state``: ``Statevector.equiv`` with the reference's state (equal up to global phase);
* ``unitary``: ``Operator.equiv`` with the reference's operator (up to global phase);
  measurements are not allowed;
* ``distribution``: the computational-basis probabilities (of ``measured_qubits``, all
  qubits by default) within ``DISTRIBUTION_TOLERANCE`` of the reference's, entry by entry.

Stars compare the gate count (barriers and measurements excluded) and depth with the
reference solution's: 3 when neither is larger, 2 when neither is more than 1.5 times
larger, else 1.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np
from qiskit import QuantumCircuit
from qiskit.quantum_info import Operator, Statevector, process_fidelity, state_fidelity
from qiskit.transpiler.passes import RemoveFinalMeasurements

from qdeck.engine import CircuitParseError
from qdeck.engine.circuits import detect_format, parse_source
from qdeck.engine.limits import Limits
from qdeck.errors import InvalidInput
from qdeck.quest.catalog import Level
from qdeck.quest.simulate import statevector, unitary

MAX_QUBITS = 16
MAX_OPERATIONS = 10_000
DISTRIBUTION_TOLERANCE = 1e-9
# The composer's palette and the rest of qelib1's standard gates.
GATES = frozenset(
    {
        "id", "x", "y", "z", "h", "s", "sdg", "t", "tdg", "sx", "sxdg", "rx", "ry", "rz", "p",
        "u", "u1", "u2", "u3", "cx", "cy", "cz", "ch", "cp", "crx", "cry", "crz", "cu1",
        "cu3", "swap", "ccx", "cswap", "rxx", "rzz",
    }
)  # fmt: skip
NOT_GATES = frozenset({"measure", "barrier"})
_LIMITS = Limits(max_qubits=MAX_QUBITS, max_operations=MAX_OPERATIONS, max_source_chars=200_000)
_QUBIT_DECLARATION = re.compile(r"\bqreg\s+\w+\s*\[\s*(\d+)\s*\]|\bqubit\s*\[\s*(\d+)\s*\]")
_SINGLE_QUBIT_DECLARATION = re.compile(r"^\s*qubit\s+\w+\s*;", re.MULTILINE)


@dataclass(frozen=True)
class Attempt:
    """A readable circuit without its final measurements, and what it is made of."""

    circuit: QuantumCircuit
    gate_count: int
    depth: int
    ops: Counter[str]
    had_measurements: bool

    @property
    def num_qubits(self) -> int:
        return self.circuit.num_qubits


@dataclass(frozen=True)
class Grade:
    passed: bool
    stars: int
    gate_count: int
    depth: int
    reference_gate_count: int
    reference_depth: int
    feedback: str
    fidelity: float | None


def refuse(message: str, *, code: str, line: int | None = None, column: int | None = None):
    error: dict[str, object] = {"field": "qasm", "message": message}
    if line is not None:
        error.update(line=line, column=column)
    where = f"line {line}" + (f", column {column}" if column else "") + ": " if line else ""
    return InvalidInput(f"{where}{message}", code=code, errors=[error])


def read_attempt(qasm: str) -> Attempt:
    """Parse and check a submitted circuit, or raise ``InvalidInput`` saying what is wrong."""
    declared = sum(int(a or b) for a, b in _QUBIT_DECLARATION.findall(qasm))
    declared += len(_SINGLE_QUBIT_DECLARATION.findall(qasm))
    if declared > MAX_QUBITS:
        raise refuse(
            f"the circuit declares {declared} qubits; Quest circuits have at most {MAX_QUBITS}",
            code="too_many_qubits",
        )
    fmt = detect_format(qasm)
    if fmt not in ("qasm2", "qasm3"):
        raise refuse(
            'start the circuit with "OPENQASM 2.0;" (or 3.0) and include "qelib1.inc"',
            code="circuit_parse_error",
        )
    try:
        circuit = parse_source(fmt, qasm, _LIMITS)[0]
    except CircuitParseError as exc:
        if exc.message.startswith("circuit is empty") and declared:
            # Nothing placed yet is a wrong answer, not unreadable input.
            empty = QuantumCircuit(declared)
            return Attempt(empty, 0, 0, Counter(), False)
        code = "too_many_gates" if "operations; the limit" in exc.message else exc.code
        if "qubits; the limit" in exc.message:
            code = "too_many_qubits"
        raise refuse(exc.message, code=code, line=exc.line, column=exc.column) from None
    for inst in circuit.data:
        name = inst.operation.name
        if name in GATES or name in NOT_GATES:
            continue
        line, column = _first_use(qasm, name)
        if name in ("reset", "if_else", "for_loop", "while_loop", "switch_case", "box"):
            message = (
                f"{name!r} is not supported here; graded circuits are gates and final measurements"
            )
        else:
            message = f"unknown gate {name!r}; use the standard gates ({', '.join(sorted(GATES))})"
        raise refuse(message, code="unknown_gate", line=line, column=column)
    had_measurements = any(inst.operation.name == "measure" for inst in circuit.data)
    stripped = RemoveFinalMeasurements()(circuit) if had_measurements else circuit
    if any(inst.operation.name == "measure" for inst in stripped.data):
        raise refuse(
            "a measurement is followed by more gates on its qubit; measure only at the end "
            "(use controlled gates instead of measuring mid-circuit)",
            code="mid_circuit_measurement",
            line=_first_use(qasm, "measure")[0],
        )
    # RemoveFinalMeasurements may drop idle qubits' registers; keep the declared width.
    if stripped.num_qubits != circuit.num_qubits:
        stripped = _without_measurements(circuit)
    ops = Counter(
        inst.operation.name for inst in stripped.data if inst.operation.name not in NOT_GATES
    )
    depth = stripped.depth(filter_function=lambda inst: inst.operation.name != "barrier")
    return Attempt(stripped, sum(ops.values()), depth, ops, had_measurements)


def _without_measurements(circuit: QuantumCircuit) -> QuantumCircuit:
    out = QuantumCircuit(circuit.num_qubits, global_phase=circuit.global_phase)
    index = {qubit: i for i, qubit in enumerate(circuit.qubits)}
    for inst in circuit.data:
        if inst.operation.name != "measure":
            out.append(inst.operation, [index[q] for q in inst.qubits])
    return out


def _first_use(qasm: str, name: str) -> tuple[int | None, int | None]:
    pattern = re.compile(rf"^(\s*){re.escape(name)}\b(?!.*\{{)", re.MULTILINE)
    match = pattern.search(qasm)
    if match is None:
        return None, None
    return qasm.count("\n", 0, match.start()) + 1, len(match.group(1)) + 1


def stars(gates: int, depth: int, reference_gates: int, reference_depth: int) -> int:
    if gates <= reference_gates and depth <= reference_depth:
        return 3
    if gates <= 1.5 * reference_gates and depth <= 1.5 * reference_depth:
        return 2
    return 1


@functools.lru_cache(maxsize=256)
def reference_of(level: Level) -> Attempt:
    return read_attempt(level.reference_qasm)


def grade_circuit(level: Level, attempt: Attempt) -> Grade:
    """Judge a readable attempt against ``level``; a wrong answer is a Grade, not an error."""
    reference = reference_of(level)

    def failed(feedback: str, fidelity: float | None = None) -> Grade:
        return Grade(
            False, 0, attempt.gate_count, attempt.depth, reference.gate_count, reference.depth,
            feedback, fidelity,
        )  # fmt: skip

    if attempt.num_qubits != level.num_qubits:
        return failed(
            f"This level works on {level.num_qubits} qubit{'s' * (level.num_qubits != 1)}; "
            f"your circuit has {attempt.num_qubits}."
        )
    if level.allowed_gates is not None:
        extra = sorted(set(attempt.ops) - set(level.allowed_gates))
        if extra:
            return failed(
                f"This level allows only {', '.join(level.allowed_gates)}; "
                f"your circuit uses {', '.join(extra)}."
            )
    if level.max_gates is not None and attempt.gate_count > level.max_gates:
        return failed(
            f"Your circuit has {attempt.gate_count} gates; this level allows {level.max_gates}."
        )
    if level.goal_kind == "unitary" and attempt.had_measurements:
        return failed("This level asks for a unitary: remove the measurements.")
    passed, fidelity, miss = _check_goal(level, attempt, reference)
    if not passed:
        return failed(miss, fidelity)
    earned = stars(attempt.gate_count, attempt.depth, reference.gate_count, reference.depth)
    if earned == 3:
        feedback = "Solved with the fewest gates and the smallest depth we know of."
    else:
        feedback = (
            f"Solved! {attempt.gate_count} gates at depth {attempt.depth}; it can be done with "
            f"{reference.gate_count} at depth {reference.depth} for three stars."
        )
    return Grade(
        True, earned, attempt.gate_count, attempt.depth, reference.gate_count, reference.depth,
        feedback, fidelity,
    )  # fmt: skip


def _check_goal(level: Level, attempt: Attempt, reference: Attempt) -> tuple[bool, float, str]:
    if level.goal_kind == "unitary":
        mine, target = Operator(unitary(attempt.circuit)), _operator_of(level)
        fidelity = float(process_fidelity(mine, target))
        ok = mine.equiv(target)
        return (
            ok,
            fidelity,
            (
                f"Close, but not the same operation: process fidelity {fidelity:.3f} with the "
                "target (1 means equal up to a global phase)."
            ),
        )
    state, target_state = Statevector(statevector(attempt.circuit)), _state_of(level)
    if level.goal_kind == "state":
        fidelity = float(state_fidelity(state, target_state))
        ok = state.equiv(target_state)
        return (
            ok,
            fidelity,
            (
                f"Not yet: your state's fidelity with the target is {fidelity:.3f} (1 means the "
                "same state up to a global phase)."
            ),
        )
    qubits = list(level.measured_qubits) if level.measured_qubits else None
    mine_p = state.probabilities(qubits)
    target_p = target_state.probabilities(qubits)
    fidelity = float(np.sum(np.sqrt(mine_p * target_p)) ** 2)
    worst = int(np.argmax(np.abs(mine_p - target_p)))
    ok = bool(np.max(np.abs(mine_p - target_p)) <= DISTRIBUTION_TOLERANCE)
    width = len(qubits) if qubits else attempt.num_qubits
    outcome = format(worst, f"0{width}b")
    return (
        ok,
        fidelity,
        (f"Not yet: P({outcome}) is {mine_p[worst]:.3f}, the goal needs {target_p[worst]:.3f}."),
    )


@functools.lru_cache(maxsize=256)
def _state_of(level: Level) -> Statevector:
    return Statevector(statevector(reference_of(level).circuit))


@functools.lru_cache(maxsize=256)
def _operator_of(level: Level) -> Operator:
    return Operator(unitary(reference_of(level).circuit))


def hellinger_fidelity(p: dict[str, float], q: dict[str, float]) -> float:
    """(sum sqrt(p q))^2 over outcomes, as qiskit.quantum_info.hellinger_fidelity."""
    overlap = sum(math.sqrt(p.get(k, 0.0) * q.get(k, 0.0)) for k in set(p) | set(q))
    return min(1.0, overlap**2)


def ideal_distribution(
    circuit: QuantumCircuit, qubits: list[int] | None = None
) -> dict[str, float]:
    """Exact computational-basis probabilities, Qiskit's bit order, tiny entries dropped."""
    probabilities = Statevector(statevector(circuit)).probabilities_dict(qubits)
    return {str(k): float(v) for k, v in sorted(probabilities.items()) if v > 1e-12}
