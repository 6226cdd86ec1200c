"""Every level in the catalog, checked from its own data: a new level is covered by adding
its files. The reference passes with three stars; dropping or replacing any one of its
gates fails; a global phase changes nothing; a correct but longer circuit earns fewer."""

from __future__ import annotations

import math

import pytest
from qiskit import QuantumCircuit, qasm2
from qiskit.circuit.library import get_standard_gate_name_mapping
from qiskit.quantum_info import Operator

from qdeck.quest.catalog import Level, load_catalog
from qdeck.quest.grading import grade_circuit, read_attempt, reference_of, stars

LEVELS = load_catalog().levels
GATES = get_standard_gate_name_mapping()


def _attempt(circuit: QuantumCircuit):
    # Through QASM text, as a learner's circuit arrives.
    return read_attempt(qasm2.dumps(circuit))


def _reference_circuit(level: Level) -> QuantumCircuit:
    return reference_of(level).circuit


def _replacement(operation) -> str:
    """A different gate on the same wires: the first of a few candidates whose matrix is
    not the original's (CP(pi) is a CZ, so a CZ would be no change)."""
    candidates = {1: ("x", "h", "z"), 2: ("cz", "cx", "swap"), 3: ("cswap", "ccx")}
    original = Operator(operation)
    return next(
        name
        for name in candidates[operation.num_qubits]
        if not Operator(GATES[name]).equiv(original)
    )


def _edited(circuit: QuantumCircuit, index: int, replace: bool) -> QuantumCircuit:
    out = QuantumCircuit(circuit.num_qubits)
    for i, inst in enumerate(circuit.data):
        if i != index:
            out.append(inst.operation, inst.qubits)
        elif replace:
            out.append(GATES[_replacement(inst.operation)], inst.qubits)
    return out


def test_there_are_enough_levels_and_lessons() -> None:
    catalog = load_catalog()
    assert len(catalog.lessons) >= 12
    assert len(LEVELS) >= 40
    assert len(catalog.challenges) >= 6
    assert {level.goal_kind for level in LEVELS} == {"state", "unitary", "distribution"}


@pytest.mark.parametrize("level", LEVELS, ids=lambda level: level.key)
def test_the_reference_earns_three_stars(level: Level) -> None:
    grade = grade_circuit(level, read_attempt(level.reference_qasm))
    assert grade.passed, grade.feedback
    assert grade.stars == 3
    assert grade.fidelity is not None and math.isclose(grade.fidelity, 1.0, abs_tol=1e-9)


@pytest.mark.parametrize("level", LEVELS, ids=lambda level: level.key)
def test_every_gate_of_the_reference_matters(level: Level) -> None:
    reference = _reference_circuit(level)
    for index, inst in enumerate(reference.data):
        if inst.operation.name == "barrier":
            continue
        removed = grade_circuit(level, _attempt(_edited(reference, index, replace=False)))
        assert not removed.passed, f"still passes without gate {index} ({inst.operation.name})"
        assert removed.stars == 0
        replaced = grade_circuit(level, _attempt(_edited(reference, index, replace=True)))
        assert not replaced.passed, f"still passes with gate {index} replaced"


@pytest.mark.parametrize("level", LEVELS, ids=lambda level: level.key)
def test_a_global_phase_does_not_matter(level: Level) -> None:
    phased = _reference_circuit(level).copy()
    phased.global_phase += 1.234
    attempt = read_attempt(level.reference_qasm)
    attempt = type(attempt)(phased, attempt.gate_count, attempt.depth, attempt.ops, False)
    grade = grade_circuit(level, attempt)
    assert grade.passed and grade.stars == 3


@pytest.mark.parametrize("level", LEVELS, ids=lambda level: level.key)
def test_a_longer_correct_solution_earns_fewer_stars(level: Level) -> None:
    longer = _reference_circuit(level).copy()
    # Gates that multiply to the identity, from those this level allows.
    allowed = set(level.allowed_gates or GATES)
    padding = next(
        (p for p in (("x", "x"), ("h", "h"), ("z", "z"), ("y", "y"), ("cx", "cx"), ("t",) * 8)
         if set(p) <= allowed),
        None,
    )  # fmt: skip
    if padding is None:  # only rotations: one and its inverse
        rotation = GATES[sorted(allowed & {"rx", "ry", "rz", "p"})[0]].base_class
        longer.append(rotation(0.5), [0])
        longer.append(rotation(-0.5), [0])
    else:
        wires = [0] if GATES[padding[0]].num_qubits == 1 else [0, 1]
        for name in padding:
            longer.append(GATES[name], wires)
    grade = grade_circuit(level, _attempt(longer))
    if level.max_gates is not None and grade.gate_count > level.max_gates:
        assert not grade.passed and "allows" in grade.feedback
        return
    assert grade.passed, grade.feedback
    assert 1 <= grade.stars < 3


def test_the_star_rule() -> None:
    assert stars(4, 3, 4, 3) == 3
    assert stars(3, 2, 4, 3) == 3  # better than the reference
    assert stars(6, 4, 4, 3) == 2  # within 1.5 times
    assert stars(7, 3, 4, 3) == 1
    assert stars(4, 5, 4, 3) == 1  # depth counts too
