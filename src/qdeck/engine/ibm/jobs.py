"""Job specs for IBM devices: validation, transpiling and primitive unified blocs (pubs).

:func:`qdeck.engine.spec.prepare_job` only knows ``aer_simulator`` and the fake devices of
the local catalog, and its capacity check is about simulator memory, which means nothing
on hardware. So :func:`prepare_ibm_job` reuses the same parsing pieces (circuits,
parameter rows, observables, shots) and checks the one limit hardware has: the width.
A spec that passes here produces the same :class:`~qdeck.engine.spec.PreparedJob` the
simulators use, with the same messages for the same mistakes.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from qiskit import QuantumCircuit
from qiskit.primitives.containers.bindings_array import BindingsArray
from qiskit.transpiler import generate_preset_pass_manager

from qdeck.engine.cache import DEFAULT_TRANSPILER_SEED
from qdeck.engine.errors import JobSpecError
from qdeck.engine.limits import Limits
from qdeck.engine.spec import (
    DEFAULT_OPTIMIZATION_LEVEL,
    MAX_SEED,
    PRIMITIVES,
    PreparedJob,
    Pub,
    _build_pubs,
    _optional_int,
    _resolve_shots,
)

# Simulation methods choose how Aer computes; a device just runs the circuit.
_HARDWARE_METHOD = "automatic"


def prepare_ibm_job(
    spec: Mapping[str, Any], backend: Any, limits: Limits | Mapping[str, Any] | None = None
) -> PreparedJob:
    """Parse and check ``spec`` for ``backend`` (already resolved); raise JobSpecError."""
    limits = Limits.coerce(limits)
    if not isinstance(spec, Mapping):
        raise JobSpecError("the job spec must be an object")
    primitive = spec.get("primitive")
    if primitive not in PRIMITIVES:
        raise JobSpecError(
            f"primitive must be sampler or estimator, got {primitive!r}", field="primitive"
        )
    method = spec.get("method") or _HARDWARE_METHOD
    if method != _HARDWARE_METHOD:
        raise JobSpecError(
            f"method {method!r} picks a simulation algorithm; IBM Quantum devices run the "
            "circuit itself, so leave method out (or automatic)",
            field="method",
        )
    # Hardware always samples, so the estimator defaults to shots like a noisy simulator.
    shots = _resolve_shots(spec, primitive, True, limits)
    level = _optional_int(spec, "optimization_level", 0, 3)
    seed = _optional_int(spec, "seed", 0, MAX_SEED)
    pubs = _build_pubs(spec, primitive, limits)
    for pub in pubs:
        if pub.circuit.num_qubits > backend.num_qubits:
            raise JobSpecError(
                f"circuit {pub.circuit_index} has {pub.circuit.num_qubits} qubits but "
                f"{backend.name} has only {backend.num_qubits}",
                field=f"circuits[{pub.circuit_index}].source",
                code="circuit_too_wide",
            )
    return PreparedJob(
        primitive=primitive,
        backend=str(spec.get("backend")),
        pubs=pubs,
        shots=shots,
        optimization_level=DEFAULT_OPTIMIZATION_LEVEL if level is None else level,
        seed=seed,
        method=_HARDWARE_METHOD,
    )


def choose_seeds(seed: int | None, local: bool) -> dict[str, int | None]:
    """Like ``run_job``: the transpiler seed is always recorded; a simulator seed exists
    only in local testing mode (a real device has nothing to seed)."""
    simulator = None
    if local and seed is None:
        simulator = secrets.randbelow(2**31 - 1) + 1
    elif local and seed:
        # The local service drops a seed of 0 (it tests the seed for truth), so 0 runs
        # unseeded and is recorded as None rather than claimed.
        simulator = seed
    return {
        "transpiler": DEFAULT_TRANSPILER_SEED if seed is None else seed,
        "simulator": simulator,
    }


def transpile_for(backend: Any, job: PreparedJob, seed_transpiler: int) -> list[QuantumCircuit]:
    """ISA circuits for ``backend``. One circuit at a time: a list would make Qiskit fan
    out to worker processes, which a server thread should not do."""
    manager = generate_preset_pass_manager(
        backend=backend,
        optimization_level=job.optimization_level,
        seed_transpiler=seed_transpiler,
    )
    return [manager.run(pub.circuit) for pub in job.pubs]


def runtime_pubs(job: PreparedJob, isa_circuits: Sequence[QuantumCircuit]) -> list[tuple]:
    """The pubs for ``SamplerV2.run`` / ``EstimatorV2.run``.

    Sampler results then have shape ``()`` (no parameters) or ``(bindings,)``; estimator
    results ``(observables,)`` or ``(bindings, observables)``.
    """
    out: list[tuple] = []
    for pub, isa in zip(job.pubs, isa_circuits, strict=True):
        if job.primitive == "sampler":
            bindings = _bindings(pub, isa, estimator=False)
            out.append((isa,) if bindings is None else (isa, bindings))
            continue
        observables = [o.apply_layout(isa.layout) for o in pub.observables or ()]
        bindings = _bindings(pub, isa, estimator=True)
        if bindings is None:
            out.append((isa, observables))
        else:
            out.append((isa, [observables], bindings))
    return out


def _bindings(pub: Pub, isa: QuantumCircuit, *, estimator: bool) -> BindingsArray | None:
    """Parameter rows (in the original circuit's order) for the parameters the transpiler
    kept, keyed by parameter so the ISA circuit's own order does not matter."""
    names = [p.name for p in pub.circuit.parameters]
    if not names and pub.num_bindings == 1:
        return None
    rows = np.asarray(pub.parameter_values, dtype=float).reshape(pub.num_bindings, len(names))
    kept = {p.name: p for p in isa.parameters}
    columns = [i for i, name in enumerate(names) if name in kept]
    # The estimator broadcasts bindings (n, 1) against observables (1, k).
    shape = (pub.num_bindings, 1) if estimator else (pub.num_bindings,)
    if not columns:
        return BindingsArray(shape=shape)
    key = tuple(kept[names[i]] for i in columns)
    values = rows[:, columns].reshape(*shape, len(columns))
    return BindingsArray({key: values}, shape=shape)
