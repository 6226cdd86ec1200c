"""Which devices can run a circuit, how it transpiles on each, and which one to pick.

Every fake device wide enough is screened (``device_screen``); the ``top`` best by the
screen, the backend the user asked about and ``aer_simulator`` are transpiled for real
with the engine's own cached pass managers (optimization level 1, a fixed seed), and
their figures and success estimates are exact for that transpile. ``exhaustive=True``
transpiles every fitting device instead (slower; the benchmark compares both).

The recommendation is the transpiled device with the highest estimated success
probability (ties: fewer two-qubit gates, then the name); the ideal simulator is listed
but never recommended, since its 1.0 is not a device's.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

from qiskit import QuantumCircuit

from qdeck.assistant.circuit_analysis import Finding, unsupported_gates
from qdeck.assistant.device_screen import screen
from qdeck.assistant.success_estimate import SuccessEstimate, error_table, estimate_success
from qdeck.engine import AER_SIMULATOR, DEFAULT_TRANSPILER_SEED, default_cache, default_catalog
from qdeck.engine.circuits import two_qubit_gate_count
from qdeck.engine.reduction import active_qubits

OPTIMIZATION_LEVEL = 1
DEFAULT_TOP = 3


@dataclass
class Candidate:
    backend: str
    num_qubits: int
    screened_probability: float | None = None
    transpiled: bool = False
    depth: int | None = None
    size: int | None = None
    two_qubit_gates: int | None = None
    active_qubits: int | None = None
    layout: list[int] | None = None
    estimate: SuccessEstimate | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def probability(self) -> float | None:
        return self.estimate.probability if self.estimate else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "backend": self.backend,
            "num_qubits": self.num_qubits,
            "screened_probability": self.screened_probability,
            "transpiled": self.transpiled,
            "depth": self.depth,
            "size": self.size,
            "two_qubit_gates": self.two_qubit_gates,
            "active_qubits": self.active_qubits,
            "layout": self.layout,
            "estimate": self.estimate.to_dict() if self.estimate else None,
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass
class Sweep:
    candidates: list[Candidate]  # transpiled first, best estimate first
    recommended: Candidate | None
    too_small: list[str]  # fake devices with fewer qubits than the circuit
    seed: int


def fitting_devices(width: int) -> tuple[list[str], list[str]]:
    """(fake devices with at least ``width`` qubits, those with fewer)."""
    fit, small = [], []
    catalog = default_catalog()
    for name in catalog.names():
        if name == AER_SIMULATOR:
            continue
        size = int(catalog.backend(name).configuration().n_qubits)
        (fit if size >= width else small).append(name)
    return fit, small


def sweep(
    circuit: QuantumCircuit,
    *,
    backend: str | None = None,
    top: int = DEFAULT_TOP,
    exhaustive: bool = False,
    seed: int = DEFAULT_TRANSPILER_SEED,
    devices: list[str] | None = None,
) -> Sweep:
    """``devices`` narrows the candidates (default: every fake device)."""
    fit, small = fitting_devices(circuit.num_qubits)
    if devices is not None:
        fit = [name for name in fit if name in devices]
        small = [name for name in small if name in devices]
    screened = {} if exhaustive or not fit else screen(circuit, fit, seed)
    candidates = {name: Candidate(name, _size(name)) for name in fit}
    for name, result in screened.items():
        candidates[name].screened_probability = result.probability
    if exhaustive:
        chosen = list(fit)
    else:
        ranked = sorted(screened.values(), key=lambda s: (-s.probability, s.backend))
        chosen = [s.backend for s in ranked[:top]]
    if backend and backend in candidates and backend not in chosen:
        chosen.append(backend)
    for name in chosen:
        _transpile_on_device(candidates[name], circuit, seed)
    ideal = _transpile_ideal(circuit, seed)
    devices = sorted(candidates.values(), key=_rank)
    best = next((c for c in devices if c.transpiled), None)
    return Sweep([ideal, *devices], best, small, seed)


def _rank(candidate: Candidate) -> tuple:
    if candidate.transpiled:
        return (0, -(candidate.probability or 0.0), candidate.two_qubit_gates, candidate.backend)
    return (1, -(candidate.screened_probability or 0.0), 0, candidate.backend)


def _size(name: str) -> int:
    return int(default_catalog().backend(name).configuration().n_qubits)


def _transpile_on_device(candidate: Candidate, circuit: QuantumCircuit, seed: int) -> None:
    runtime = default_cache().runtime(candidate.backend)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        target = runtime.target
        try:
            transpiled = runtime.pass_manager(OPTIMIZATION_LEVEL, seed).run(circuit)
        except Exception as exc:  # Qiskit's own refusal (e.g. a gate direction it cannot fix)
            candidate.findings = [
                *unsupported_gates(circuit, target),
                Finding(
                    "transpile_failed",
                    "error",
                    f"Qiskit could not transpile the circuit for {candidate.backend}: {exc}",
                    "Pick another device, or rewrite the gate the message names.",
                ),
            ]
            return
    candidate.transpiled = True
    candidate.depth = transpiled.depth()
    candidate.size = transpiled.size()
    candidate.two_qubit_gates = two_qubit_gate_count(transpiled)
    candidate.active_qubits = len(active_qubits(transpiled))
    candidate.layout = transpiled.layout.initial_index_layout(filter_ancillas=True)
    candidate.estimate = estimate_success(transpiled, error_table(candidate.backend))
    candidate.findings = unsupported_gates(circuit, target)


def _transpile_ideal(circuit: QuantumCircuit, seed: int) -> Candidate:
    runtime = default_cache().runtime(AER_SIMULATOR)
    transpiled = runtime.pass_manager(OPTIMIZATION_LEVEL, seed).run(circuit)
    ones = SuccessEstimate(1.0, 1.0, 1.0, transpiled.size(), 0, 0)
    return Candidate(
        AER_SIMULATOR,
        circuit.num_qubits,
        transpiled=True,
        depth=transpiled.depth(),
        size=transpiled.size(),
        two_qubit_gates=two_qubit_gate_count(transpiled),
        active_qubits=len(active_qubits(transpiled)),
        estimate=ones,
    )
