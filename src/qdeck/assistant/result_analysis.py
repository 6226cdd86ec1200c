"""Read a finished sampler result: how far it is from the ideal, why, and whether to trust it.

* Ideal distribution: an Aer statevector of the circuit without its final measurements
  (up to ``IDEAL_MAX_QUBITS``), marginalised onto the classical bits the way the counts are
  keyed (clbit 0 is the rightmost character). Not computed for mid-circuit measurements,
  control flow or unbound parameters.
* Hellinger fidelity ``(sum sqrt(p q))^2`` (Qiskit's ``hellinger_fidelity``) and total
  variation distance ``1/2 sum |p - q|``, beside the distance finite shots alone would give
  (``shot_noise_tvd``: the expected TVD of an ideal device, ``sum sqrt(q(1-q)/(2 pi N))``).
* Error budget from the calibration estimate of the transpiled circuit: gate-dominated
  when more than half of ``-log P`` comes from gates, else readout-dominated.
* Shots for a target standard error ``s`` of the most uncertain outcome probability:
  ``ceil(max p(1-p) / s^2)`` (and the worst case ``0.25 / s^2``).
* Suspicious: only the all-zeros outcome while the ideal differs; counts whose normalised
  entropy is above ``UNIFORM_ENTROPY`` while the ideal's is well below it (noise, not
  signal).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from qiskit import QuantumCircuit
from qiskit_aer import AerSimulator

from qdeck.assistant.success_estimate import error_table, estimate_success
from qdeck.engine import AER_SIMULATOR, DEFAULT_TRANSPILER_SEED, default_cache
from qdeck.engine.circuits import detect_format, parse_source

IDEAL_MAX_QUBITS = 20
UNIFORM_ENTROPY = 0.9
DEFAULT_TARGET_STANDARD_ERROR = 0.01


def ideal_distribution(circuit: QuantumCircuit) -> tuple[dict[str, float] | None, str]:
    """(probabilities keyed like the counts, "") or (None, why it was not computed)."""
    if circuit.num_qubits > IDEAL_MAX_QUBITS:
        return None, f"more than {IDEAL_MAX_QUBITS} qubits"
    if circuit.parameters:
        return None, "the circuit has unbound parameters"
    unitary = QuantumCircuit(*circuit.qregs)
    measured: dict[int, int] = {}  # clbit -> qubit
    for inst in circuit.data:
        name = inst.operation.name
        qubits = [circuit.find_bit(q).index for q in inst.qubits]
        if getattr(inst.operation, "blocks", None) or getattr(inst.operation, "condition", None):
            return None, "the circuit uses classical control flow"
        if name == "measure":
            measured[circuit.find_bit(inst.clbits[0]).index] = qubits[0]
        elif name == "barrier":
            continue
        elif set(qubits) & set(measured.values()):
            return None, "a qubit is used after it was measured (mid-circuit measurement)"
        elif name == "reset":
            return None, "the circuit resets a qubit"
        else:
            unitary.append(inst.operation, [unitary.qubits[q] for q in qubits])
    if not measured:
        return None, "the circuit measures nothing"
    runtime = default_cache().runtime(AER_SIMULATOR)
    # No coupling map on the ideal simulator: translating keeps every qubit where it is.
    compiled = runtime.pass_manager(0, DEFAULT_TRANSPILER_SEED).run(unitary)
    compiled.save_statevector()
    state = AerSimulator(method="statevector").run(compiled).result().get_statevector()
    probabilities = np.abs(np.asarray(state)) ** 2
    indices = np.arange(probabilities.size)
    keys = np.zeros(probabilities.size, dtype=np.int64)
    for clbit, qubit in measured.items():
        keys |= ((indices >> qubit) & 1) << clbit
    width = circuit.num_clbits
    totals = np.bincount(keys, weights=probabilities)
    return {format(int(k), f"0{width}b"): float(p) for k, p in enumerate(totals) if p > 1e-12}, ""


def hellinger_fidelity(p: dict[str, float], q: dict[str, float]) -> float:
    overlap = sum(math.sqrt(p[k] * q[k]) for k in p.keys() & q.keys())
    return overlap**2


def total_variation(p: dict[str, float], q: dict[str, float]) -> float:
    return 0.5 * sum(abs(p.get(k, 0.0) - q.get(k, 0.0)) for k in p.keys() | q.keys())


def shot_noise_tvd(ideal: dict[str, float], shots: int) -> float:
    """Expected TVD between ``shots`` samples of ``ideal`` and ``ideal`` itself."""
    return sum(math.sqrt(q * (1 - q) / (2 * math.pi * shots)) for q in ideal.values())


def shots_for_standard_error(probabilities: dict[str, float], target: float) -> dict[str, int]:
    worst = max((p * (1 - p) for p in probabilities.values()), default=0.25)
    return {
        "target_standard_error": target,
        # Rounded first: 0.09 / 0.01**2 is 900.0000000000001 in floating point.
        "shots": max(1, math.ceil(round(worst / target**2, 6))),
        "worst_case_shots": math.ceil(round(0.25 / target**2, 6)),
    }


def normalised_entropy(probabilities: dict[str, float], width: int) -> float:
    if width <= 0:
        return 0.0
    entropy = -sum(p * math.log2(p) for p in probabilities.values() if p > 0)
    return entropy / width


def analyze_counts(
    circuit: QuantumCircuit,
    counts: dict[str, int],
    *,
    backend: str,
    transpiled_qasm: str | None = None,
    target_standard_error: float = DEFAULT_TARGET_STANDARD_ERROR,
) -> dict[str, Any]:
    shots = sum(counts.values())
    measured = {k: v / shots for k, v in counts.items()} if shots else {}
    ideal, why_not = ideal_distribution(circuit)
    report: dict[str, Any] = {
        "shots": shots,
        "outcomes": len(counts),
        "ideal_available": ideal is not None,
        "ideal_unavailable_reason": why_not or None,
        "hellinger_fidelity": None,
        "total_variation_distance": None,
        "shot_noise_tvd": None,
        "error_budget": _error_budget(backend, transpiled_qasm),
        "shots_needed": shots_for_standard_error(measured, target_standard_error),
        "suspicious": [],
    }
    if ideal is not None and shots:
        report["hellinger_fidelity"] = hellinger_fidelity(measured, ideal)
        report["total_variation_distance"] = total_variation(measured, ideal)
        report["shot_noise_tvd"] = shot_noise_tvd(ideal, shots)
    report["suspicious"] = _suspicious(measured, ideal, circuit.num_clbits)
    return report


def _error_budget(backend: str, transpiled_qasm: str | None) -> dict[str, Any] | None:
    if backend == AER_SIMULATOR or not transpiled_qasm or not backend.startswith("fake_"):
        return None
    try:
        fmt = detect_format(transpiled_qasm) or "qasm2"
        physical = parse_source(fmt, transpiled_qasm)[0]
        estimate = estimate_success(physical, error_table(backend))
    except Exception:  # a stored circuit this version cannot read back: no budget, no crash
        return None
    share = estimate.gate_error_share
    return {
        **estimate.to_dict(),
        "dominant": "gates" if share > 0.5 else "readout",
    }


def _suspicious(
    measured: dict[str, float], ideal: dict[str, float] | None, width: int
) -> list[dict[str, str]]:
    found = []
    zeros = "0" * width
    if measured and set(measured) == {zeros} and (ideal is None or ideal.get(zeros, 0) < 0.99):
        found.append(
            {
                "code": "all_zeros",
                "message": "every shot read all zeros; the gates may not reach the measured "
                "qubits, or the measurements go to the wrong bits",
            }
        )
    observed = normalised_entropy(measured, width)
    expected = normalised_entropy(ideal, width) if ideal is not None else None
    if observed >= UNIFORM_ENTROPY and (expected is None or expected < UNIFORM_ENTROPY - 0.2):
        found.append(
            {
                "code": "near_uniform",
                "message": f"the counts are close to uniform (entropy {observed:.2f} of the "
                "maximum): noise has washed out the signal; use fewer two-qubit gates or a "
                "better-calibrated device",
            }
        )
    return found
