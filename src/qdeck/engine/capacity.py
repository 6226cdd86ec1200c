"""Can this circuit run on this backend with this method? Checked before any transpiling.

Widths here are the circuit's own (virtual) width. On fake devices routing may add ancilla
qubits, so the simulation step re-checks memory with the transpiled active-qubit count.
"""

from __future__ import annotations

from qiskit import QuantumCircuit

from .devices import DeviceInfo
from .errors import JobSpecError, MemoryLimitError
from .limits import Limits
from .methods import check_memory, non_clifford_reason


def check_capacity(
    device: DeviceInfo, circuit: QuantumCircuit, method: str, limits: Limits, index: int
) -> None:
    width = circuit.num_qubits
    if device.kind == "fake_device":
        if width > device.num_qubits:
            raise JobSpecError(
                f"circuit {index} has {width} qubits but {device.name} has only "
                f"{device.num_qubits}",
                field=f"circuits[{index}].source",
                code="circuit_too_wide",
            )
        _check_noisy_method(width, method, limits)
        return
    _check_ideal_method(circuit, method, limits, index)


def _check_noisy_method(width: int, method: str, limits: Limits) -> None:
    if method == "stabilizer":
        raise JobSpecError(
            "the stabilizer method cannot simulate device noise (thermal relaxation is not "
            "Clifford); use automatic, statevector, density_matrix or matrix_product_state",
            field="method",
        )
    if method == "matrix_product_state":
        _check_mps(width, limits)
        return
    check_memory(width, method, limits.memory_limit_bytes)


def _check_mps(width: int, limits: Limits) -> None:
    if width > limits.max_mps_qubits:
        raise JobSpecError(
            f"matrix_product_state is limited to {limits.max_mps_qubits} qubits; "
            f"the circuit has {width}",
            field="method",
        )


def _check_ideal_method(circuit: QuantumCircuit, method: str, limits: Limits, index: int) -> None:
    width = circuit.num_qubits
    if method == "matrix_product_state":
        _check_mps(width, limits)
        return
    if method in ("automatic", "stabilizer"):
        reason = non_clifford_reason(circuit)
        if reason is None:
            return  # the stabilizer tableau is tiny at any allowed width
        if method == "stabilizer":
            raise JobSpecError(
                f"circuit {index} is not Clifford-only ({reason}); the stabilizer method "
                "cannot run it",
                field="method",
            )
    try:
        check_memory(width, method, limits.memory_limit_bytes)
    except MemoryLimitError as exc:
        exc.message = f"circuit {index}: {exc.message}"
        exc.args = (exc.message,)
        raise
