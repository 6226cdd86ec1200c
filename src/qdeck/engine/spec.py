"""Validate a job spec (plain dict) into a :class:`PreparedJob`, before any heavy work.

Everything a client can get wrong raises :class:`JobSpecError` naming the spec field. The
API calls :func:`validate_spec` at submit time so bad jobs get a 422 before they are stored;
the worker calls :func:`prepare_job` again (the spec may have been stored for a while and
parsing is cheap compared with simulating).

Conventions:

* ``parameter_values`` rows follow ``circuit.parameters`` order (sorted by name, the order
  Qiskit reports; the validation summary echoes the names).
* Pauli strings are little-endian like ``SparsePauliOp``: the rightmost letter is qubit 0.
* A QPY entry holding several circuits becomes several pubs sharing that entry's
  ``parameter_values`` / ``observables``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from qiskit import QuantumCircuit

from .capacity import check_capacity
from .circuits import has_measurements, parse_circuit_entry
from .devices import AER_SIMULATOR, DeviceCatalog, default_catalog
from .errors import JobSpecError
from .limits import Limits
from .methods import METHODS
from .observables import parse_observables

PRIMITIVES = ("sampler", "estimator")
DEFAULT_SAMPLER_SHOTS = 1024
# Noisy estimator default: IBM's default precision 1/64 ⇒ 4096 shots.
DEFAULT_NOISY_ESTIMATOR_SHOTS = 4096
# Qiskit's own default: VF2Layout then picks well-calibrated qubits; level 1 keeps a
# "perfect" trivial layout even on a broken qubit 0 (fake_cusco: readout error 0.5).
DEFAULT_OPTIMIZATION_LEVEL = 2
MAX_SEED = 2**32 - 1


@dataclass
class Pub:
    circuit: QuantumCircuit  # estimator circuits have their final measurements removed
    circuit_index: int
    sub_index: int
    parameter_values: list[list[float]]  # one row per binding; [[]] without parameters
    observables: list[Any] | None  # SparsePauliOp per observable (estimator only)

    @property
    def num_bindings(self) -> int:
        return len(self.parameter_values)


@dataclass
class PreparedJob:
    primitive: str
    backend: str
    pubs: list[Pub]
    shots: int | None  # None only for the exact (ideal, shot-free) estimator
    optimization_level: int
    seed: int | None
    method: str


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _optional_int(spec: Mapping, key: str, low: int, high: int) -> int | None:
    value = spec.get(key)
    if value is None:
        return None
    if not _is_int(value) or not low <= value <= high:
        raise JobSpecError(
            f"{key} must be an integer from {low} to {high}, got {value!r}", field=key
        )
    return value


def _resolve_shots(spec: Mapping, primitive: str, noisy: bool, limits: Limits) -> int | None:
    shots = spec.get("shots")
    precision = spec.get("precision")
    if shots is not None and (not _is_int(shots) or shots < 1):
        raise JobSpecError(f"shots must be a positive integer, got {shots!r}", field="shots")
    if precision is not None:
        if primitive == "sampler":
            raise JobSpecError("precision applies to the estimator; use shots", field="precision")
        if shots is not None:
            raise JobSpecError("give either shots or precision, not both", field="precision")
        if not isinstance(precision, int | float) or not 0 < precision <= 1:
            raise JobSpecError(f"precision must be in (0, 1], got {precision!r}", field="precision")
        shots = math.ceil(1 / precision**2)  # standard error of a ±1 outcome ≤ 1/sqrt(shots)
    if shots is None:
        if primitive == "sampler":
            shots = DEFAULT_SAMPLER_SHOTS
        elif noisy:
            shots = DEFAULT_NOISY_ESTIMATOR_SHOTS
    if shots is not None and shots > limits.max_shots:
        origin = "" if precision is None else f" (precision {precision} needs {shots:,})"
        raise JobSpecError(
            f"shots {shots:,} is above the limit of {limits.max_shots:,}{origin}",
            field="precision" if precision is not None else "shots",
            code="too_many_shots",
        )
    return shots


def _parameter_rows(entry: Mapping, circuit: QuantumCircuit, index: int, limits: Limits):
    field = f"circuits[{index}].parameter_values"
    names = [p.name for p in circuit.parameters]
    rows = entry.get("parameter_values")
    if rows is None or rows == [] or rows == [[]]:
        if names:
            raise JobSpecError(
                f"circuit {index} has {len(names)} parameter(s) ({', '.join(names)}) "
                "but no parameter_values were given",
                field=field,
            )
        return [[]]
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise JobSpecError("parameter_values must be a list of lists of numbers", field=field)
    if len(rows) > limits.max_parameter_sets:
        raise JobSpecError(
            f"{len(rows)} parameter sets; the limit is {limits.max_parameter_sets}", field=field
        )
    for k, row in enumerate(rows):
        if len(row) != len(names):
            raise JobSpecError(
                f"circuit {index} has {len(names)} parameter(s) ({', '.join(names) or 'none'}) "
                f"but parameter set {k} has {len(row)} value(s)",
                field=field,
            )
        if not all(isinstance(v, int | float) and math.isfinite(v) for v in row):
            raise JobSpecError(f"parameter set {k} must contain finite numbers", field=field)
    return [[float(v) for v in row] for row in rows]


def _prepare_circuit(primitive: str, circuit: QuantumCircuit, index: int) -> QuantumCircuit:
    field = f"circuits[{index}].source"
    if primitive == "sampler":
        if not has_measurements(circuit):
            raise JobSpecError(
                f"circuit {index} has no measurements; the sampler returns measured bits, "
                "so measure the qubits you want (e.g. `measure q -> c;`)",
                field=field,
            )
        return circuit
    stripped = circuit.remove_final_measurements(inplace=False)
    if has_measurements(stripped):
        raise JobSpecError(
            f"circuit {index} measures in the middle; estimator circuits must end unmeasured",
            field=field,
        )
    return stripped


def _build_pubs(spec: Mapping, primitive: str, limits: Limits) -> list[Pub]:
    entries = spec.get("circuits")
    if not isinstance(entries, list) or not entries:
        raise JobSpecError("circuits must be a non-empty list", field="circuits")
    pubs: list[Pub] = []
    for index, entry in enumerate(entries):
        circuits = parse_circuit_entry(entry, index, limits)
        if primitive == "sampler" and entry.get("observables") is not None:
            raise JobSpecError(
                "observables only apply to the estimator", field=f"circuits[{index}].observables"
            )
        for sub_index, parsed in enumerate(circuits):
            circuit = _prepare_circuit(primitive, parsed, index)
            rows = _parameter_rows(entry, circuit, index, limits)
            observables = None
            if primitive == "estimator":
                observables = parse_observables(entry.get("observables"), circuit, index, limits)
            pubs.append(Pub(circuit, index, sub_index, rows, observables))
        if len(pubs) > limits.max_circuits:
            raise JobSpecError(
                f"more than {limits.max_circuits} circuits in one job", field="circuits"
            )
    return pubs


def prepare_job(
    spec: Mapping[str, Any], limits: Limits | None = None, catalog: DeviceCatalog | None = None
) -> PreparedJob:
    """Parse and check ``spec`` completely; raise JobSpecError on the first problem."""
    limits = Limits.coerce(limits)
    catalog = catalog or default_catalog()
    if not isinstance(spec, Mapping):
        raise JobSpecError("the job spec must be an object")
    primitive = spec.get("primitive")
    if primitive not in PRIMITIVES:
        raise JobSpecError(
            f"primitive must be sampler or estimator, got {primitive!r}", field="primitive"
        )
    backend = spec.get("backend")
    if not isinstance(backend, str) or not catalog.has(backend):
        raise JobSpecError(
            f"unknown backend {backend!r}; use aer_simulator or one of the fake_* devices",
            field="backend",
        )
    method = spec.get("method") or "automatic"
    if method not in METHODS:
        raise JobSpecError(
            f"method must be one of {', '.join(METHODS)}, got {method!r}", field="method"
        )
    noisy = backend != AER_SIMULATOR
    shots = _resolve_shots(spec, primitive, noisy, limits)
    level = _optional_int(spec, "optimization_level", 0, 3)
    seed = _optional_int(spec, "seed", 0, MAX_SEED)
    pubs = _build_pubs(spec, primitive, limits)
    device = catalog.info(backend, with_errors=False, limits=limits)
    for pub in pubs:
        check_capacity(device, pub.circuit, method, limits, pub.circuit_index)
    return PreparedJob(
        primitive=primitive,
        backend=backend,
        pubs=pubs,
        shots=shots,
        optimization_level=DEFAULT_OPTIMIZATION_LEVEL if level is None else level,
        seed=seed,
        method=method,
    )


def validate_spec(
    spec: Mapping[str, Any], limits: Limits | Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Check ``spec`` without simulating; return a JSON-able summary for the API."""
    job = prepare_job(spec, Limits.coerce(limits))
    circuits = [
        {
            "circuit_index": pub.circuit_index,
            "sub_index": pub.sub_index,
            "num_qubits": pub.circuit.num_qubits,
            "depth": pub.circuit.depth(),
            "size": pub.circuit.size(),
            "parameters": [p.name for p in pub.circuit.parameters],
            "num_parameter_sets": pub.num_bindings,
            "num_observables": len(pub.observables or ()),
        }
        for pub in job.pubs
    ]
    return {
        "primitive": job.primitive,
        "backend": job.backend,
        "num_circuits": len(job.pubs),
        "num_qubits": max(c["num_qubits"] for c in circuits),
        "depths": [c["depth"] for c in circuits],
        "circuits": circuits,
        "shots": job.shots,
        "optimization_level": job.optimization_level,
        "seed": job.seed,
        "method": job.method,
    }
