"""Simulation methods: Clifford detection, memory estimates and the automatic choice.

Memory model (complex128 amplitudes): statevector 16·2^n bytes, density matrix 16·4^n bytes.
The stabilizer tableau is O(n²) bits and matrix-product states grow with entanglement rather
than width, so neither is memory-checked up front (MPS is capped by ``Limits.max_mps_qubits``).
"""

from __future__ import annotations

import math

from qiskit import QuantumCircuit
from qiskit.circuit import ParameterExpression
from qiskit.circuit.controlflow import CONTROL_FLOW_OP_NAMES

from .errors import MemoryLimitError

METHODS = ("automatic", "statevector", "density_matrix", "stabilizer", "matrix_product_state")
AMPLITUDE_BYTES = 16

# Gates Aer's stabilizer method runs natively (Aer's stabilizer basis ∩ Qiskit standard gates).
STABILIZER_BASIS = (
    "cx", "cy", "cz", "ecr", "h", "id", "rz", "s", "sdg", "swap", "sx", "sxdg", "x", "y", "z",
)  # fmt: skip
_CLIFFORD_GATES = {*STABILIZER_BASIS, "iswap", "dcx", "pauli"} - {"rz"}
# Single-qubit rotations are Clifford when every angle is a multiple of pi/2; the stabilizer
# transpilation rewrites them into rz/sx/h.
_ROTATIONS = {"rz", "rx", "ry", "p", "u1", "u2", "u3", "u", "r"}
_NON_GATES = {"measure", "reset", "barrier", "delay"}
_NEUTRAL = _NON_GATES | set(CONTROL_FLOW_OP_NAMES)
_MAX_DEFINITION_DEPTH = 8


def format_bytes(count: float) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"):
        if count < 1024 or unit == "EiB":
            return f"{count:.0f} {unit}" if unit == "bytes" else f"{count:.1f} {unit}"
        count /= 1024
    raise AssertionError("unreachable")


def required_bytes(num_qubits: int, method: str) -> int:
    """Dominant memory of a simulation; 0 when it cannot be predicted (MPS) or is negligible."""
    if method in ("statevector", "automatic"):
        return AMPLITUDE_BYTES * 2**num_qubits
    if method == "density_matrix":
        return AMPLITUDE_BYTES * 4**num_qubits
    if method == "stabilizer":
        return (2 * num_qubits) * (2 * num_qubits + 1) // 8
    return 0


def max_qubits_for(method: str, memory_limit_bytes: int) -> int:
    """Largest width whose state fits in the memory limit for a dense method."""
    per_qubit_exponent = 2 if method == "density_matrix" else 1
    return math.floor(math.log2(memory_limit_bytes / AMPLITUDE_BYTES) / per_qubit_exponent)


def check_memory(num_qubits: int, method: str, memory_limit_bytes: int) -> int:
    """Return the bytes ``method`` needs for ``num_qubits``; raise if above the limit."""
    needed = required_bytes(num_qubits, method)
    if needed > memory_limit_bytes:
        shown = "statevector" if method == "automatic" else method
        formula = "16 bytes * 4^n" if method == "density_matrix" else "16 bytes * 2^n"
        raise MemoryLimitError(
            f"{shown} simulation of {num_qubits} qubits needs {format_bytes(needed)} "
            f"({formula}, n={num_qubits}) but the memory limit is "
            f"{format_bytes(memory_limit_bytes)}; Clifford-only circuits run with the "
            "stabilizer method and matrix_product_state handles wide, weakly entangled circuits",
            required_bytes=needed,
            limit_bytes=memory_limit_bytes,
        )
    return needed


def _is_clifford_angle(value: object) -> bool:
    if isinstance(value, ParameterExpression):
        if value.parameters:
            return False
        value = float(value)
    try:
        quarter_turns = float(value) / (math.pi / 2)
    except (TypeError, ValueError):
        return False
    return abs(quarter_turns - round(quarter_turns)) < 1e-9


def non_clifford_reason(circuit: QuantumCircuit, _depth: int = 0) -> str | None:
    """None if the circuit is Clifford-only, else a short reason naming the culprit."""
    for inst in circuit.data:
        op = inst.operation
        name = op.name
        if name in _CLIFFORD_GATES or name in _NON_GATES:
            continue
        if name in _ROTATIONS:
            if all(_is_clifford_angle(p) for p in op.params):
                continue
            return f"gate {name} with a non-Clifford or unbound angle"
        blocks = getattr(op, "blocks", None)
        if blocks:
            for block in blocks:
                reason = non_clifford_reason(block, _depth)
                if reason:
                    return reason
            continue
        definition = getattr(op, "definition", None)
        if definition is not None and _depth < _MAX_DEFINITION_DEPTH and name not in _ROTATIONS:
            if non_clifford_reason(definition, _depth + 1):
                return f"gate {name} is not Clifford"
            continue
        return f"gate {name} is not Clifford"
    return None


def is_clifford(circuit: QuantumCircuit) -> bool:
    return non_clifford_reason(circuit) is None


def transpiled_is_stabilizer_ready(circuit: QuantumCircuit) -> bool:
    """After transpiling to :data:`STABILIZER_BASIS`, Aer accepts only Clifford rz angles."""
    allowed = set(STABILIZER_BASIS) | _NEUTRAL
    for inst in circuit.data:
        name = inst.operation.name
        if name not in allowed:
            return False
        if name == "rz" and not _is_clifford_angle(inst.operation.params[0]):
            return False
        for block in getattr(inst.operation, "blocks", ()):
            if not transpiled_is_stabilizer_ready(block):
                return False
    return True
