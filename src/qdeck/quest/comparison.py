"""Ideal against noisy: the Hellinger fidelity and one sentence, from the backend's
calibration, on why they differ.

The sentence weighs three rough chances that a shot is spoiled, each from the
calibration of the physical qubits the transpiled circuit used:

* readout: ``1 - prod(1 - readout_error)`` over the measured qubits;
* gates: ``1 - (1 - e)^n`` for the n two-qubit (and single-qubit) gates, e their mean error;
* depth: ``1 - exp(-qubits * duration / T2)``, the duration taking the two-qubit gates
  as the critical path and every other layer as one single-qubit gate.

These are first-order estimates, good for telling which source dominates, not for
predicting the fidelity itself.
"""

from __future__ import annotations

import math
import statistics
from typing import Any

from qdeck.quest.schemas import ErrorBudget

_PHYSICAL_1Q = {"sx", "x"}


def _mean(values: list[float]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.fmean(present) if present else None


def error_budget(calibration: dict[str, Any], transpiled: dict[str, Any]) -> ErrorBudget:
    used = set(transpiled.get("layout") or [])
    qubits = [row for row in calibration.get("qubits", []) if row["qubit"] in used]
    gates = calibration.get("gates", [])
    two = [g for g in gates if len(g["qubits"]) == 2 and set(g["qubits"]) <= used]
    two = two or [g for g in gates if len(g["qubits"]) == 2]
    one = [g for g in gates if g["gate"] in _PHYSICAL_1Q and set(g["qubits"]) <= used]
    ops = transpiled.get("ops") or {}
    readout = 1 - math.prod(1 - (row.get("readout_error") or 0.0) for row in qubits)
    e2 = _mean([g["error"] for g in two]) or 0.0
    e1 = _mean([g["error"] for g in one]) or 0.0
    n2 = int(transpiled.get("two_qubit_gates") or 0)
    n1 = sum(int(ops.get(name, 0)) for name in _PHYSICAL_1Q)
    length2 = _mean([g["length_ns"] for g in two]) or 0.0
    length1 = _mean([g["length_ns"] for g in one]) or 0.0
    t2_us = _mean([row.get("t2_us") for row in qubits]) or 0.0
    # Assume the two-qubit gates lie on the critical path and the other layers are
    # single-qubit gates.
    layers = int(transpiled.get("depth") or 0)
    wait_ns = min(n2, layers) * length2 + max(layers - n2, 0) * length1
    depth = 1 - math.exp(-len(qubits) * wait_ns / (t2_us * 1000)) if t2_us else 0.0
    return ErrorBudget(
        readout=readout,
        two_qubit_gates=1 - (1 - min(e2, 1.0)) ** n2,
        single_qubit_gates=1 - (1 - min(e1, 1.0)) ** n1,
        depth=depth,
    )


def _gates(count: int) -> str:
    return "1 two-qubit gate spoils" if count == 1 else f"{count} two-qubit gates spoil"


def explain(
    backend: str,
    fidelity: float,
    shots: int,
    transpiled: dict[str, Any] | None,
    budget: ErrorBudget | None,
) -> str:
    if budget is None or transpiled is None:
        return (
            f"{backend} adds no noise: the difference (Hellinger fidelity {fidelity:.3f}) is "
            f"sampling noise from {shots:,} shots."
        )
    used = ", ".join(str(q) for q in sorted(transpiled.get("layout") or []))
    causes = {
        "readout error": (
            budget.readout,
            f"reading qubits {used} flips about {budget.readout:.1%} of shots",
        ),
        "two-qubit gate error": (
            budget.two_qubit_gates,
            f"{_gates(int(transpiled.get('two_qubit_gates') or 0))} about "
            f"{budget.two_qubit_gates:.1%}",
        ),
        "decoherence over the circuit's depth": (
            budget.depth,
            f"waiting through depth {transpiled.get('depth', 0)} costs about {budget.depth:.1%}",
        ),
    }
    ranked = sorted(causes.items(), key=lambda item: item[1][0], reverse=True)
    (main, (_, main_text)), others = ranked[0], ranked[1:]
    rest = " and ".join(text for _, (_, text) in others)
    return (
        f"On {backend} the main cause is {main}: {main_text}, against {rest} "
        f"(Hellinger fidelity {fidelity:.3f} over {shots:,} shots)."
    )
