"""Qiskit pubs to qdeck circuits, and qdeck results back to Qiskit's result containers.

Conventions of the server (``qdeck.engine.spec`` / ``simulate``): ``parameter_values`` rows
follow ``circuit.parameters`` order; each pub's ``data`` has one entry per row; sampler
counts are keyed by the bitstring of *all* classical bits, clbit 0 rightmost (registers
joined, the last register in ``circuit.cregs`` leftmost); estimator entries hold ``evs``
and ``stds`` per observable.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from qiskit.primitives.containers import BitArray, DataBin, PubResult, SamplerPubResult
from qiskit.primitives.containers.bindings_array import BindingsArray
from qiskit.primitives.containers.estimator_pub import EstimatorPub
from qiskit.primitives.containers.sampler_pub import SamplerPub
from qiskit.quantum_info import SparseObservable, SparsePauliOp

from qdeck.client.circuits import circuit_in
from qdeck.jobs.schemas import CircuitIn

HERMITIAN_TOLERANCE = 1e-10


def _rows(bindings: BindingsArray, circuit) -> list[list[float]] | None:
    """One row of parameter values per element of the bindings array, in C order."""
    size = math.prod(bindings.shape)
    if circuit.num_parameters == 0:
        return None if size == 1 else [[] for _ in range(size)]
    values = bindings.as_array(circuit.parameters)
    return values.reshape(size, circuit.num_parameters).tolist()


def sampler_circuit(pub: SamplerPub) -> CircuitIn:
    return circuit_in(pub.circuit, parameter_values=_rows(pub.parameter_values, pub.circuit))


def _terms(observable: SparseObservable, width: int) -> list[tuple[str, float]]:
    # Projector terms ("0", "+", ...) become Paulis; the server measures Pauli strings.
    op = SparsePauliOp.from_sparse_observable(observable.as_paulis()).simplify()
    terms = []
    for label, coeff in op.to_list():
        if abs(coeff.imag) > HERMITIAN_TOLERANCE:
            raise ValueError(f"observable term {label} has a complex coefficient {coeff}")
        terms.append((label, float(coeff.real)))
    return terms or [("I" * width, 0.0)]


def estimator_circuit(pub: EstimatorPub) -> CircuitIn:
    width = pub.circuit.num_qubits
    observables = [_terms(obs, width) for obs in pub.observables.ravel().sparse_observables_array()]
    return circuit_in(
        pub.circuit,
        parameter_values=_rows(pub.parameter_values, pub.circuit),
        observables=observables,
    )


def _shots_of(counts: dict[str, int], num_bits: int, rng: np.random.Generator) -> BitArray:
    """The counts as individual shots, in random order like a device's memory."""
    if any(len(key) != num_bits for key in counts):
        raise ValueError(f"qdeck returned bitstrings that are not {num_bits} bits long")
    outcomes = BitArray.from_samples(list(counts), num_bits)
    repeats = np.fromiter(counts.values(), dtype=np.int64, count=len(counts))
    shots = np.repeat(outcomes.array, repeats, axis=0)
    return BitArray(shots[rng.permutation(len(shots))], num_bits)


def _register(joined: BitArray, indices: list[int]) -> np.ndarray:
    if not indices:
        return np.zeros((joined.num_shots, 0), dtype=np.uint8)
    return joined.slice_bits(indices).array


def sampler_result(pub: SamplerPub, entry: dict[str, Any], seed: int) -> SamplerPubResult:
    """Per-register ``BitArray``s (``data.meas``, ``data.c``...) shaped like the pub."""
    circuit = pub.circuit
    shape = pub.parameter_values.shape
    registers = {creg.name: [circuit.find_bit(bit).index for bit in creg] for creg in circuit.cregs}
    arrays: dict[str, list[np.ndarray]] = {name: [] for name in registers}
    rng = np.random.default_rng(seed)
    for binding in entry["data"]:
        joined = _shots_of(binding["counts"], circuit.num_clbits, rng)
        for name, indices in registers.items():
            arrays[name].append(_register(joined, indices))
    fields = {}
    for name, indices in registers.items():
        stacked = np.stack(arrays[name])
        fields[name] = BitArray(stacked.reshape(shape + stacked.shape[1:]), len(indices))
    return SamplerPubResult(
        DataBin(**fields, shape=shape),
        metadata={"shots": pub.shots, "circuit_metadata": circuit.metadata},
    )


def _broadcast(table: np.ndarray, pub: EstimatorPub) -> np.ndarray:
    """The server computes every (binding, observable) pair; pick the pub's broadcast."""
    bindings = np.arange(table.shape[0]).reshape(pub.parameter_values.shape)
    observables = np.arange(table.shape[1]).reshape(pub.observables.shape)
    rows = np.broadcast_to(bindings, pub.shape)
    columns = np.broadcast_to(observables, pub.shape)
    return table[rows, columns]


def estimator_result(pub: EstimatorPub, entry: dict[str, Any]) -> PubResult:
    evs = np.array([binding["evs"] for binding in entry["data"]], dtype=float)
    stds = np.array([binding["stds"] for binding in entry["data"]], dtype=float)
    shots = entry["data"][0].get("shots")
    return PubResult(
        DataBin(evs=_broadcast(evs, pub), stds=_broadcast(stds, pub), shape=pub.shape),
        metadata={
            "target_precision": pub.precision or 0.0,
            "shots": shots,
            "circuit_metadata": pub.circuit.metadata,
        },
    )
