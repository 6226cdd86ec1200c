"""Estimator pubs: expectation values with standard errors.

Two modes, chosen in :func:`qdeck.engine.spec.prepare_job`:

* **Exact** (ideal ``aer_simulator`` with neither ``shots`` nor ``precision``): Aer's
  ``SaveExpectationValue`` on the final state. ``stds`` are 0 because nothing is sampled.
* **Shot-based** (every fake device, or the ideal simulator when ``shots``/``precision`` is
  given; ``precision`` p means ``ceil(1/p²)`` shots): the Pauli terms of all observables are
  grouped into qubit-wise commuting sets; each set is measured in one circuit after rotating
  X/Y into Z with the device's native gates. On fake devices this runs through the same noisy
  simulation as the sampler, so gate, relaxation and readout errors all shape both the values
  and their standard errors (as on hardware without error mitigation, and like qiskit-ibm-
  runtime's local testing mode, which uses ``BackendEstimatorV2``).

  For each group g the per-shot value of an observable is ``X = Σ c_t·(±1)_t`` over its terms
  in g; ``E = c_I + Σ_g mean(X_g)`` and ``std = sqrt(Σ_g var(X_g)/N)`` (groups are independent
  runs; correlations between terms inside a group are included exactly).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from qiskit import ClassicalRegister, QuantumCircuit
from qiskit.quantum_info import SparsePauliOp
from qiskit.result import Result
from qiskit_aer.library import SaveExpectationValue

from .cache import Runtime
from .compile import Compiled, bind
from .observables import MeasurementGroup, measurement_groups
from .spec import Pub


@dataclass
class EstimatorPlan:
    circuits: list[QuantumCircuit]
    groups: list[MeasurementGroup]  # empty in exact mode
    exact: bool


def estimator_plan(pub: Pub, compiled: Compiled, runtime: Runtime, shots: int | None):
    parameters = list(pub.circuit.parameters)
    bound = [bind(compiled.runnable, parameters, row) for row in pub.parameter_values]
    if shots is None:
        circuits = [_with_expectations(c, pub.observables, compiled) for c in bound]
        return EstimatorPlan(circuits, [], exact=True)
    groups = measurement_groups(pub.observables)
    circuits = [_measured(c, group, compiled, runtime) for c in bound for group in groups]
    return EstimatorPlan(circuits, groups, exact=False)


def _with_expectations(circuit: QuantumCircuit, observables, compiled: Compiled):
    out = circuit.copy()
    width = out.num_qubits
    for k, observable in enumerate(observables):
        mapped = observable.apply_layout(compiled.virtual_to_runnable, num_qubits=width)
        out.append(SaveExpectationValue(mapped, label=f"ev{k}"), list(range(width)))
    return out


def _measured(circuit, group: MeasurementGroup, compiled: Compiled, runtime: Runtime):
    out = circuit.copy()
    register = ClassicalRegister(len(group.qubits), "obs")
    out.add_register(register)
    for bit, virtual in enumerate(group.qubits):
        qubit = compiled.virtual_to_runnable[virtual]
        for gate in runtime.basis_change(group.bases[virtual]):
            out.append(gate, [qubit])
        out.measure(qubit, register[bit])
    return out


def estimator_data(pub: Pub, plan: EstimatorPlan, result: Result, shots: int | None):
    if plan.exact:
        return [_exact_entry(pub, result.data(k)) for k in range(pub.num_bindings)]
    per_binding = len(plan.groups)
    entries = []
    for k in range(pub.num_bindings):
        counts = [result.get_counts(k * per_binding + g) for g in range(per_binding)]
        entries.append(_sampled_entry(pub.observables, plan.groups, counts, shots))
    return entries


def _exact_entry(pub: Pub, data: dict[str, Any]) -> dict[str, Any]:
    evs = [float(np.real(data[f"ev{k}"])) for k in range(len(pub.observables))]
    return {"evs": evs, "stds": [0.0] * len(evs), "shots": None}


def _sampled_entry(
    observables: Sequence[SparsePauliOp],
    groups: Sequence[MeasurementGroup],
    counts: Sequence[dict[str, int]],
    shots: int,
) -> dict[str, Any]:
    outcomes = [_outcome_table(c) for c in counts]
    evs, stds = [], []
    for observable in observables:
        mean, variance = 0.0, 0.0
        for label, coeff in zip(observable.paulis.to_labels(), observable.coeffs, strict=True):
            if set(label) == {"I"}:
                mean += float(np.real(coeff))
        for group, (bits, weights) in zip(groups, outcomes, strict=True):
            values = _group_values(observable, group, bits)
            if values is None:
                continue
            total = weights.sum()
            group_mean = float(values @ weights / total)
            spread = float(((values - group_mean) ** 2) @ weights)
            mean += group_mean
            variance += spread / (total * max(total - 1, 1))
        evs.append(mean)
        stds.append(math.sqrt(variance))
    return {"evs": evs, "stds": stds, "shots": shots}


def _outcome_table(counts: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """Bits (outcomes x measured qubits, column j = clbit j) and their counts.

    The ``obs`` register is added last, so Aer prints it leftmost; other (unused) registers
    of the user's circuit follow after a space and are ignored.
    """
    keys = list(counts)
    bits = np.array([[int(ch) for ch in reversed(key.split(" ")[0])] for key in keys])
    return bits, np.array([counts[key] for key in keys], dtype=float)


def _group_values(observable: SparsePauliOp, group: MeasurementGroup, bits: np.ndarray):
    """Per-outcome value of the observable's terms measured in ``group`` (None if none)."""
    members = set(group.paulis.to_labels())
    column = {virtual: j for j, virtual in enumerate(group.qubits)}
    values = None
    for label, coeff in zip(observable.paulis.to_labels(), observable.coeffs, strict=True):
        if label not in members:
            continue
        support = [column[q] for q, letter in enumerate(reversed(label)) if letter != "I"]
        parity = bits[:, support].sum(axis=1) % 2
        term = float(np.real(coeff)) * (1 - 2 * parity)
        values = term if values is None else values + term
    return values
