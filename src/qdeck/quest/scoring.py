"""Challenge circuits and their scores: what is sent to the device, and how the counts
that come back become a score.

A submitted circuit is read like a level attempt (``grading.read_attempt``), must use the
challenge's qubit count and its two-qubit-gate budget, and is sent with every qubit
measured (``measure_all``), so the counts' bit strings are the qubits in Qiskit's order.
Two-qubit gates are counted after rewriting into CX and single-qubit gates (a Toffoli is
6), so the budget does not depend on how a gate is spelled.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from qiskit import QuantumCircuit, qasm2, transpile

from qdeck.quest.catalog import Challenge
from qdeck.quest.grading import (
    Attempt,
    hellinger_fidelity,
    ideal_distribution,
    read_attempt,
    refuse,
)


@dataclass(frozen=True)
class PreparedChallenge:
    qasm: str  # what the job runs: the circuit with every qubit measured
    two_qubit_gates: int


def two_qubit_gate_count(circuit: QuantumCircuit) -> int:
    lowered = transpile(circuit, basis_gates=["cx", "u"], optimization_level=0)
    return int(lowered.count_ops().get("cx", 0))


def measured(attempt: Attempt) -> str:
    """OpenQASM 2 of the attempt's gates with every qubit measured, and no other bits."""
    source = attempt.circuit
    circuit = QuantumCircuit(source.num_qubits)
    index = {qubit: i for i, qubit in enumerate(source.qubits)}
    for inst in source.data:
        if inst.operation.name != "measure":
            circuit.append(inst.operation, [index[q] for q in inst.qubits])
    circuit.measure_all()
    return qasm2.dumps(circuit)


def prepare(challenge: Challenge, qasm: str) -> PreparedChallenge:
    """Check a submission (422 naming what is wrong) and build the job's circuit."""
    attempt = read_attempt(qasm)
    if attempt.num_qubits != challenge.num_qubits:
        raise refuse(
            f"this challenge needs a circuit on {challenge.num_qubits} qubits; "
            f"yours has {attempt.num_qubits}",
            code="wrong_qubit_count",
        )
    if attempt.gate_count == 0:
        raise refuse("the circuit has no gates", code="empty_circuit")
    count = two_qubit_gate_count(attempt.circuit)
    budget = challenge.max_two_qubit_gates
    if budget is not None and count > budget:
        raise refuse(
            f"the circuit has {count} two-qubit gates (as CNOTs); this challenge allows {budget}",
            code="over_two_qubit_budget",
        )
    return PreparedChallenge(measured(attempt), count)


@functools.cache
def target_distribution(challenge: Challenge) -> dict[str, float]:
    qubits = list(challenge.measured_qubits) if challenge.measured_qubits else None
    return ideal_distribution(read_attempt(challenge.target_qasm).circuit, qubits)


def marginal(counts: dict[str, int], qubits: tuple[int, ...] | None) -> dict[str, float]:
    """Probabilities of ``qubits`` (all when None) from counts over every qubit."""
    total = sum(counts.values()) or 1
    out: dict[str, float] = {}
    for bits, count in counts.items():
        if qubits is not None:
            width = len(bits)
            # Qubit i is character width-1-i; the result keeps Qiskit's order too.
            bits = "".join(bits[width - 1 - q] for q in reversed(qubits))
        out[bits] = out.get(bits, 0.0) + count / total
    return dict(sorted(out.items()))


def score(challenge: Challenge, counts: dict[str, int]) -> tuple[float, str]:
    """The challenge's score for the measured counts, and one line saying what it is."""
    probabilities = marginal(counts, challenge.measured_qubits)
    shots = sum(counts.values())
    if challenge.metric == "hellinger":
        value = hellinger_fidelity(probabilities, target_distribution(challenge))
        return (
            value,
            f"Hellinger fidelity {value:.4f} to the ideal distribution over {shots} shots.",
        )
    value = sum(probabilities.get(outcome, 0.0) for outcome in challenge.marked)
    marked = ", ".join(challenge.marked)
    return value, f"{value:.1%} of {shots} shots read {marked}."
