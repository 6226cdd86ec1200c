"""CPU work the pages hand to worker processes (``run.cpu_bound``): plain data in and out.

This module imports nothing from NiceGUI, so a worker process starts quickly.
"""

from __future__ import annotations

from typing import Any

from qdeck.engine import CircuitParseError, JobSpecError, parse_circuit_entry

# Above this width the ideal distribution is not computed (2^n amplitudes).
IDEAL_MAX_QUBITS = 12
DRAW_MAX_OPERATIONS = 2_000


def check_circuit(source: str) -> dict[str, Any]:
    """Parse a circuit as submit would: its size, or where and why it does not parse."""
    try:
        circuit = parse_circuit_entry({"source": source})[0]
    except CircuitParseError as exc:
        return {"ok": False, "message": exc.message, "line": exc.line, "column": exc.column}
    except JobSpecError as exc:
        return {"ok": False, "message": exc.message, "line": None, "column": None}
    return {
        "ok": True,
        "num_qubits": circuit.num_qubits,
        "num_clbits": circuit.num_clbits,
        "depth": circuit.depth(),
        "size": circuit.size(),
        "has_measurements": any(i.operation.name == "measure" for i in circuit.data),
    }


def draw_circuit(entry: dict[str, Any], fold: int = 100) -> str:
    """The circuit as Qiskit's text drawing."""
    try:
        circuit = parse_circuit_entry(entry)[0]
    except JobSpecError as exc:
        return f"(cannot draw this circuit: {exc.message})"
    if len(circuit.data) > DRAW_MAX_OPERATIONS:
        return f"(the circuit has {len(circuit.data):,} operations; too many to draw)"
    return str(circuit.draw(output="text", fold=fold))


def draw_qasm(qasm: str, fold: int = 100) -> str:
    return draw_circuit({"source": qasm}, fold)


def ideal_distribution(entry: dict[str, Any]) -> dict[str, float] | None:
    """Noise-free outcome probabilities keyed like the sampler's counts, or None when the
    circuit is too wide, has parameters, or does not measure every classical bit once at
    the end."""
    from qiskit import QuantumCircuit
    from qiskit.quantum_info import Statevector

    try:
        circuit = parse_circuit_entry(entry)[0]
    except JobSpecError:
        return None
    if circuit.num_qubits > IDEAL_MAX_QUBITS or circuit.parameters or not circuit.num_clbits:
        return None
    measured: dict[int, int] = {}
    body = QuantumCircuit(circuit.num_qubits)
    for instruction in circuit.data:
        name = instruction.operation.name
        if name == "measure":
            qubit = circuit.find_bit(instruction.qubits[0]).index
            clbit = circuit.find_bit(instruction.clbits[0]).index
            if clbit in measured or qubit in measured.values():
                return None
            measured[clbit] = qubit
        elif name == "barrier":
            continue
        elif measured or instruction.clbits or getattr(instruction.operation, "blocks", ()):
            return None  # mid-circuit measurement or classical control
        else:
            body.append(
                instruction.operation, [circuit.find_bit(q).index for q in instruction.qubits]
            )
    if sorted(measured) != list(range(circuit.num_clbits)):
        return None
    qargs = [measured[c] for c in range(circuit.num_clbits)]
    state = Statevector.from_instruction(body)
    probabilities = state.probabilities_dict(qargs=qargs)
    return {str(key): float(p) for key, p in probabilities.items() if p > 1e-9}
