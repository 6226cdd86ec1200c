"""Sampler pubs: one bound circuit per parameter set, counts per bound circuit."""

from __future__ import annotations

from typing import Any

from qiskit import QuantumCircuit
from qiskit.result import Result

from .compile import Compiled, bind
from .spec import Pub


def sampler_circuits(pub: Pub, compiled: Compiled) -> list[QuantumCircuit]:
    parameters = list(pub.circuit.parameters)
    return [bind(compiled.runnable, parameters, row) for row in pub.parameter_values]


def sampler_data(pub: Pub, result: Result, shots: int) -> list[dict[str, Any]]:
    """Counts as ``PrimitiveResult.join_data().get_counts()`` would give them.

    Aer separates classical registers with spaces (last register leftmost); dropping the
    spaces yields the joined little-endian bitstring, one per shot.
    """
    data = []
    for k in range(pub.num_bindings):
        raw = result.get_counts(k)
        counts: dict[str, int] = {}
        for key, value in raw.items():
            joined = key.replace(" ", "")
            counts[joined] = counts.get(joined, 0) + int(value)
        total = sum(counts.values()) or 1
        ordered = dict(sorted(counts.items()))
        data.append(
            {
                "counts": ordered,
                "probabilities": {k2: v / total for k2, v in ordered.items()},
                "shots": shots,
            }
        )
    return data
