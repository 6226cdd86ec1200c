"""Estimated success probability of a transpiled circuit from a device's calibration.

The estimate is the probability that no error happens, assuming independent errors:

    P = prod over gates g of (1 - error(g.name, g.physical_qubits))
      * prod over measurements m of (1 - readout_error(m.qubit))

``error`` is the gate error the device's ``Target`` holds for that exact gate on those
exact physical qubits (built by qiskit-ibm-runtime from ``backend.properties()``:
``gate_error``); ``readout_error`` is the ``Target``'s error of ``measure`` on that qubit
(``properties().readout_error``). Virtual ``rz`` has error 0 in the snapshot; barriers and
delays are not gates and are skipped; a gate with no recorded error (``reset`` on most
devices) counts as error-free and is reported in ``unknown_error_gates``. A qubit measured
twice pays its readout error twice. Decoherence while idle (T1/T2) is not included, so the
figure is an optimistic upper bound; it ranks devices and layouts, it does not predict the
measured fidelity exactly.
"""

from __future__ import annotations

import functools
import math
import warnings
from dataclasses import dataclass

from qiskit import QuantumCircuit

from qdeck.engine import default_catalog

SKIPPED = frozenset({"barrier", "delay"})


@dataclass(frozen=True)
class ErrorTable:
    """Gate and readout errors of one device, keyed the way a transpiled circuit reads."""

    backend: str
    gate_errors: dict[tuple[str, tuple[int, ...]], float | None]
    readout_errors: dict[int, float | None]
    # The best native two-qubit gate's error on each pair, whichever direction exists.
    pair_errors: dict[frozenset[int], float]

    def gate_error(self, name: str, qubits: tuple[int, ...]) -> float | None:
        return self.gate_errors.get((name, qubits))

    def two_qubit_error(self, a: int, b: int) -> float | None:
        return self.pair_errors.get(frozenset((a, b)))


@functools.cache
def error_table(backend: str) -> ErrorTable:
    """Built once per process from the device's ``Target`` (its calibration snapshot)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        target = default_catalog().backend(backend).target
    gates: dict[tuple[str, tuple[int, ...]], float | None] = {}
    readout: dict[int, float | None] = {}
    for name in target.operation_names:
        for qargs, props in target[name].items():
            if qargs is None:
                continue  # control flow: allowed everywhere, no error of its own
            error = None if props is None else props.error
            if name == "measure":
                readout[qargs[0]] = error
            else:
                gates[(name, tuple(qargs))] = error
    pairs: dict[frozenset[int], float] = {}
    for (_, qubits), error in gates.items():
        if len(qubits) == 2 and error is not None:
            key = frozenset(qubits)
            pairs[key] = min(error, pairs.get(key, error))
    return ErrorTable(backend, gates, readout, pairs)


@dataclass(frozen=True)
class SuccessEstimate:
    probability: float
    gate_success: float  # the product over gates alone
    readout_success: float  # the product over measurements alone
    gates_counted: int
    measurements: int
    unknown_error_gates: int

    @property
    def gate_error_share(self) -> float:
        """Which part of the expected failure comes from gates (0..1), by -log of each part."""
        gate = -math.log(max(self.gate_success, 1e-300))
        readout = -math.log(max(self.readout_success, 1e-300))
        total = gate + readout
        return gate / total if total > 0 else 0.0

    def to_dict(self) -> dict[str, float | int]:
        return {
            "probability": self.probability,
            "gate_success": self.gate_success,
            "readout_success": self.readout_success,
            "gates_counted": self.gates_counted,
            "measurements": self.measurements,
            "unknown_error_gates": self.unknown_error_gates,
            "gate_error_share": self.gate_error_share,
        }


def estimate_success(transpiled: QuantumCircuit, table: ErrorTable) -> SuccessEstimate:
    """``transpiled`` must be on the device's physical qubits (as the transpiler leaves it)."""
    log_gates = log_readout = 0.0
    counted = measured = unknown = 0
    for inst in transpiled.data:
        name = inst.operation.name
        if name in SKIPPED:
            continue
        qubits = tuple(transpiled.find_bit(q).index for q in inst.qubits)
        if name == "measure":
            measured += 1
            log_readout += _log_ok(table.readout_errors.get(qubits[0]))
            continue
        error = table.gate_error(name, qubits)
        if error is None:
            unknown += 1
        counted += 1
        log_gates += _log_ok(error)
    gate, readout = math.exp(log_gates), math.exp(log_readout)
    return SuccessEstimate(gate * readout, gate, readout, counted, measured, unknown)


def _log_ok(error: float | None) -> float:
    if error is None or error <= 0:
        return 0.0
    if error >= 1:
        return -math.inf
    return math.log1p(-error)
