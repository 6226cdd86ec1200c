"""Grading a Quest level at 5 qubits: p95 against bare ``Statevector`` construction.

Workload: seeded random 5-qubit circuits of 40 gates from the composer's palette (one,
two and three-qubit gates, rotations with angles), each graded as a ``state``, a
``unitary`` and a ``distribution`` level whose reference is the circuit itself, so every
grade passes and does the full work: read the OpenQASM text (parse, vocabulary check,
final measurements), compare with the reference's cached target, count gates and depth,
award stars. The baseline, in the same run and on the same circuits, is
``Statevector(circuit)`` of the already parsed circuit: the least any exact grader does.

Run: ``.venv/bin/python benchmarks/quest_grading.py [--circuits 200]``. Target: grading
p95 <= 50 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from qiskit import QuantumCircuit, qasm2
from qiskit.quantum_info import Statevector

from qdeck.quest.catalog import Level
from qdeck.quest.grading import grade_circuit, read_attempt

QUBITS, GATES = 5, 40
ONE = ["h", "x", "y", "z", "s", "sdg", "t", "tdg", "sx"]
ROTATIONS = ["rx", "ry", "rz", "p"]
TWO = ["cx", "cz", "cy", "swap"]


def random_circuit(rng: random.Random) -> QuantumCircuit:
    circuit = QuantumCircuit(QUBITS)
    for _ in range(GATES):
        kind = rng.random()
        if kind < 0.45:
            getattr(circuit, rng.choice(ONE))(rng.randrange(QUBITS))
        elif kind < 0.7:
            angle = rng.choice([0.5, 1.0, 1.5707963267948966, 0.7853981633974483, 2.2])
            getattr(circuit, rng.choice(ROTATIONS))(angle, rng.randrange(QUBITS))
        elif kind < 0.95:
            a, b = rng.sample(range(QUBITS), 2)
            getattr(circuit, rng.choice(TWO))(a, b)
        else:
            a, b, c = rng.sample(range(QUBITS), 3)
            circuit.ccx(a, b, c)
    return circuit


def level_for(kind: str, index: int, body: str) -> Level:
    return Level(
        key=f"bench-{kind}-{index}",
        title="bench",
        goal_kind=kind,  # type: ignore[arg-type]
        goal="bench",
        num_qubits=QUBITS,
        reference=body,
        hints=("a", "b", "c"),
    )


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--circuits", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(1234)
    circuits = [random_circuit(rng) for _ in range(args.circuits)]
    sources = [qasm2.dumps(c) for c in circuits]
    grades: dict[str, list[float]] = {"state": [], "unitary": [], "distribution": []}
    bare: list[float] = []
    # Warm imports and caches once, as a running server has.
    warm = level_for("state", -1, sources[0])
    grade_circuit(warm, read_attempt(sources[0]))
    for index, (circuit, source) in enumerate(zip(circuits, sources, strict=True)):
        for kind in grades:
            level = level_for(kind, index, source)
            grade_circuit(level, read_attempt(source))  # the reference's target, cached
            start = time.perf_counter()
            result = grade_circuit(level, read_attempt(source))
            grades[kind].append(time.perf_counter() - start)
            assert result.passed and result.stars == 3, result.feedback
        start = time.perf_counter()
        Statevector(circuit)
        bare.append(time.perf_counter() - start)
    base = p95(bare) * 1e3
    print(f"{args.circuits} random circuits, {QUBITS} qubits x {GATES} gates")
    print(
        f"bare Statevector(circuit): p50 {statistics.median(bare) * 1e3:.2f} ms, p95 {base:.2f} ms"
    )
    for kind, times in grades.items():
        figure = p95(times) * 1e3
        verdict = "meets" if figure <= 50 else "MISSES"
        print(
            f"grade {kind:<12}: p50 {statistics.median(times) * 1e3:.2f} ms, p95 {figure:.2f} ms"
            f"  ratio to bare p95 {figure / base:.1f}x  ({verdict} the 50 ms target)"
        )


if __name__ == "__main__":
    main()
