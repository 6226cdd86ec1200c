"""Estimator observables: parsing from JSON and Pauli-basis measurement grouping."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from qiskit import QuantumCircuit
from qiskit.quantum_info import PauliList, SparsePauliOp

from .errors import JobSpecError
from .limits import Limits

_PAULI_LETTERS = set("IXYZ")


def parse_observables(
    raw: Any, circuit: QuantumCircuit, index: int, limits: Limits
) -> list[SparsePauliOp]:
    """``[[["ZZ", 1.0], ["XI", 0.5]], ...]`` → one SparsePauliOp per observable."""
    field = f"circuits[{index}].observables"
    if not isinstance(raw, list) or not raw:
        raise JobSpecError(
            'the estimator needs observables, e.g. [[["ZZ", 1.0]]] (a list of observables, '
            "each a list of [pauli, coefficient] terms)",
            field=field,
        )
    if len(raw) > limits.max_observables:
        raise JobSpecError(
            f"{len(raw)} observables; the limit is {limits.max_observables}", field=field
        )
    total_terms = sum(len(obs) if isinstance(obs, list) else 0 for obs in raw)
    if total_terms > limits.max_pauli_terms:
        raise JobSpecError(
            f"{total_terms} Pauli terms; the limit is {limits.max_pauli_terms}", field=field
        )
    return [_parse_one(obs, circuit.num_qubits, index, k) for k, obs in enumerate(raw)]


def _parse_one(obs: Any, width: int, index: int, k: int) -> SparsePauliOp:
    field = f"circuits[{index}].observables[{k}]"
    if not isinstance(obs, list) or not obs:
        raise JobSpecError(
            f"observable {k} must be a non-empty list of [pauli, coefficient]", field=field
        )
    terms = []
    for term in obs:
        if not (isinstance(term, list | tuple) and len(term) == 2 and isinstance(term[0], str)):
            raise JobSpecError(
                f"observable {k}: each term must be [pauli, coefficient]", field=field
            )
        pauli, coeff = term[0].upper(), term[1]
        if not pauli or set(pauli) - _PAULI_LETTERS:
            raise JobSpecError(
                f"observable {k}: {term[0]!r} is not a Pauli string of I/X/Y/Z", field=field
            )
        if len(pauli) != width:
            raise JobSpecError(
                f"observable {k} term {term[0]!r} acts on {len(pauli)} qubits but circuit "
                f"{index} has {width} qubits",
                field=field,
                code="observable_width_mismatch",
            )
        if (
            not isinstance(coeff, int | float)
            or isinstance(coeff, bool)
            or not math.isfinite(coeff)
        ):
            raise JobSpecError(
                f"observable {k}: coefficient {coeff!r} must be a real number", field=field
            )
        terms.append((pauli, float(coeff)))
    return SparsePauliOp.from_list(terms)


@dataclass(frozen=True)
class MeasurementGroup:
    """Qubit-wise commuting Paulis measured together in one circuit."""

    bases: dict[int, str]  # virtual qubit -> "X" | "Y" | "Z"
    paulis: PauliList

    @property
    def qubits(self) -> list[int]:
        return sorted(self.bases)


def measurement_groups(observables: Sequence[SparsePauliOp]) -> list[MeasurementGroup]:
    """Group every non-identity Pauli of all observables into measurement settings."""
    labels = {
        label for obs in observables for label in obs.paulis.to_labels() if set(label) != {"I"}
    }
    if not labels:
        return []
    groups = []
    for paulis in PauliList(sorted(labels)).group_qubit_wise_commuting():
        bases: dict[int, str] = {}
        for label in paulis.to_labels():
            for qubit, letter in enumerate(reversed(label)):
                if letter != "I":
                    bases[qubit] = letter
        groups.append(MeasurementGroup(bases, paulis))
    return groups
