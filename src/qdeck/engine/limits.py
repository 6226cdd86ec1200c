"""Server-side limits a job spec is validated against.

Limits are passed in by the caller (the API/worker reads them from settings) as a
:class:`Limits` or a plain mapping, so they can cross process boundaries as JSON.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

GIB = 2**30


@dataclass(frozen=True)
class Limits:
    """Upper bounds for one job. Defaults suit a small shared server."""

    max_shots: int = 100_000
    max_circuits: int = 32
    max_parameter_sets: int = 256
    max_observables: int = 64
    max_pauli_terms: int = 4096
    max_qubits: int = 1024  # absurd-size guard applied while parsing, before any simulation
    max_operations: int = 200_000
    max_source_chars: int = 2_000_000
    memory_limit_bytes: int = 4 * GIB
    max_mps_qubits: int = 256
    # Threads one simulation may use (0 = all cores). Small simulations always use one: see
    # qdeck.engine.simulate.SMALL_SIMULATION_QUBITS.
    max_simulator_threads: int = 0

    @classmethod
    def coerce(cls, value: Limits | Mapping[str, Any] | None) -> Limits:
        """Accept ``None`` (defaults), a :class:`Limits`, or a mapping of field overrides."""
        if value is None:
            return cls()
        if isinstance(value, Limits):
            return value
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = set(value) - known
        if unknown:
            raise ValueError(f"unknown limit(s): {', '.join(sorted(unknown))}")
        return cls(**{k: int(v) for k, v in value.items()})

    def to_dict(self) -> dict[str, int]:
        return dataclasses.asdict(self)
