"""Turn what people hold (QASM text, a Qiskit circuit, a dict) into the API's ``CircuitIn``."""

from __future__ import annotations

import base64
import io
import sys
from collections.abc import Sequence
from typing import Any

from qdeck.jobs.schemas import CircuitIn

CircuitLike = Any  # str (OpenQASM 2/3) | qiskit.QuantumCircuit | CircuitIn | dict


def qpy_base64(circuit: Any) -> str:
    """A circuit as base64 QPY: registers, parameters and metadata survive exactly."""
    from qiskit import qpy

    buffer = io.BytesIO()
    qpy.dump(circuit, buffer)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _is_quantum_circuit(value: Any) -> bool:
    # Checked without importing qiskit: if it was never imported, this cannot be a circuit,
    # and scripts that only send QASM text stay fast to start.
    qiskit = sys.modules.get("qiskit")
    return qiskit is not None and isinstance(value, qiskit.QuantumCircuit)


def circuit_in(value: CircuitLike, **extra: Any) -> CircuitIn:
    if isinstance(value, CircuitIn):
        return value.model_copy(update=extra) if extra else value
    if isinstance(value, dict):
        return CircuitIn.model_validate({**value, **extra})
    if isinstance(value, str):
        return CircuitIn(source=value, **extra)
    if _is_quantum_circuit(value):
        return CircuitIn(format="qpy", source=qpy_base64(value), **extra)
    raise TypeError(
        f"cannot send a {type(value).__name__} as a circuit: give OpenQASM text, a Qiskit "
        "QuantumCircuit, or a dict like {'source': ..., 'format': ...}"
    )


def circuits_in(circuits: CircuitLike | Sequence[CircuitLike]) -> list[CircuitIn]:
    """One circuit or a sequence of them (a string is one circuit, not a sequence)."""
    single = isinstance(circuits, str | dict | CircuitIn) or _is_quantum_circuit(circuits)
    items = [circuits] if single else list(circuits)
    return [circuit_in(item) for item in items]
