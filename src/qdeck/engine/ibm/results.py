"""Convert a runtime ``PrimitiveResult`` into the result dict the rest of qdeck reads.

The shape is :func:`qdeck.engine.simulate.run_job`'s: ``pubs[i]`` holds ``data`` (one entry
per parameter binding: ``counts``/``probabilities``/``shots`` for the sampler with all
classical registers joined like ``join_data().get_counts()``, ``evs``/``stds``/``shots`` for
the estimator), ``transpiled``, ``method``, ``circuit_index`` and ``sub_index``; the top level
has ``timing``, ``seeds``, ``method``, ``backend``, ``primitive``, ``shots`` and
``optimization_level``. IBM results add ``remote_job_id``.

``method`` is ``"hardware"`` for a real device and ``"local_testing"`` for
qiskit-ibm-runtime's local testing mode, where a fake device is simulated.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from qiskit import QuantumCircuit

from qdeck.engine.circuits import circuit_to_qasm, gate_count_summary, two_qubit_gate_count
from qdeck.engine.reduction import active_qubits
from qdeck.engine.spec import PreparedJob

HARDWARE_METHOD = "hardware"
LOCAL_TESTING_METHOD = "local_testing"
_TRANSPILED_KEYS = (
    "qasm", "depth", "size", "two_qubit_gates", "num_qubits", "layout", "final_layout", "ops",
)  # fmt: skip


def build_result(
    job: PreparedJob,
    isa_circuits: Sequence[QuantumCircuit | None],
    primitive_result: Any,
    *,
    backend_name: str,
    remote_job_id: str,
    local: bool,
    seeds: dict[str, int | None],
    timing: dict[str, float | None],
) -> dict[str, Any]:
    method = LOCAL_TESTING_METHOD if local else HARDWARE_METHOD
    pubs = []
    for index, (pub, isa) in enumerate(zip(job.pubs, isa_circuits, strict=True)):
        pub_result = primitive_result[index]
        if job.primitive == "sampler":
            data = sampler_entries(pub_result, pub.num_bindings)
        else:
            data = estimator_entries(pub_result, pub.num_bindings, job.shots)
        pubs.append(
            {
                "data": data,
                "transpiled": describe_isa(isa),
                "method": method,
                "circuit_index": pub.circuit_index,
                "sub_index": pub.sub_index,
            }
        )
    return {
        "pubs": pubs,
        "timing": timing,
        "seeds": seeds,
        "method": method,
        "backend": backend_name,
        "primitive": job.primitive,
        "shots": job.shots,
        "optimization_level": job.optimization_level,
        "remote_job_id": remote_job_id,
    }


def sampler_entries(pub_result: Any, num_bindings: int) -> list[dict[str, Any]]:
    joined = pub_result.join_data()
    entries = []
    for k in range(num_bindings):
        raw = joined.get_counts() if joined.shape == () else joined.get_counts(loc=k)
        counts = {key: int(value) for key, value in sorted(raw.items())}
        total = sum(counts.values()) or 1
        entries.append(
            {
                "counts": counts,
                "probabilities": {key: value / total for key, value in counts.items()},
                "shots": int(joined.num_shots),
            }
        )
    return entries


def estimator_entries(
    pub_result: Any, num_bindings: int, shots: int | None
) -> list[dict[str, Any]]:
    # (observables,) without parameters, (bindings, observables) with them.
    evs = np.atleast_2d(np.asarray(pub_result.data.evs, dtype=float))
    stds = np.atleast_2d(np.asarray(pub_result.data.stds, dtype=float))
    reported = pub_result.metadata.get("shots") if pub_result.metadata else None
    used = int(reported) if reported is not None else shots
    return [
        {"evs": evs[k].tolist(), "stds": stds[k].tolist(), "shots": used}
        for k in range(num_bindings)
    ]


def describe_isa(circuit: QuantumCircuit | None) -> dict[str, Any]:
    """The ``transpiled`` block; all ``None`` when the circuit is unknown (an attached job
    whose inputs IBM no longer returns)."""
    if circuit is None:
        return dict.fromkeys(_TRANSPILED_KEYS)
    layout = circuit.layout
    return {
        "qasm": circuit_to_qasm(circuit),
        "depth": circuit.depth(),
        "size": circuit.size(),
        "two_qubit_gates": two_qubit_gate_count(circuit),
        "num_qubits": len(active_qubits(circuit)),
        "layout": None if layout is None else layout.initial_index_layout(filter_ancillas=True),
        "final_layout": None if layout is None else layout.final_index_layout(filter_ancillas=True),
        "ops": gate_count_summary(circuit),
    }


def circuits_from_inputs(job: Any, count: int) -> list[QuantumCircuit | None]:
    """The ISA circuits a submitted job ran, from its stored inputs (best effort)."""
    try:
        pubs = list((job.inputs or {}).get("pubs") or [])
    except Exception:  # the inputs endpoint failed or the job type has none
        pubs = []
    circuits: list[QuantumCircuit | None] = []
    for pub in pubs[:count]:
        circuit = getattr(pub, "circuit", None)
        if circuit is None and isinstance(pub, list | tuple) and pub:
            circuit = pub[0]
        circuits.append(circuit if isinstance(circuit, QuantumCircuit) else None)
    return circuits + [None] * (count - len(circuits))
