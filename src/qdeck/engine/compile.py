"""Transpile a pub for its backend and decide what exactly gets simulated.

* Ideal ``aer_simulator``: translate to Aer's gate set (no coupling map, so no layout).
  ``automatic`` picks the stabilizer method for Clifford-only circuits of any width, otherwise
  statevector (memory-checked); other methods are used only when asked for.
* Fake devices: transpile with the device's target, then drop idle qubits and simulate the
  reduced circuit against a noise model restricted to the same physical qubits (see
  :mod:`qdeck.engine.noise`). Aer's ``automatic`` method then picks density matrix or
  statevector for the few active qubits.
"""

from __future__ import annotations

from dataclasses import dataclass

from qiskit import QuantumCircuit
from qiskit_aer import AerSimulator

from .cache import FakeDeviceRuntime, IdealRuntime, Runtime
from .circuits import circuit_to_qasm, gate_count_summary, two_qubit_gate_count
from .errors import JobSpecError
from .limits import Limits
from .methods import check_memory, non_clifford_reason, transpiled_is_stabilizer_ready
from .reduction import active_qubits, reduce_circuit


@dataclass
class Compiled:
    transpiled: QuantumCircuit  # full-width transpiled circuit, stored for the user
    runnable: QuantumCircuit  # what Aer simulates (reduced to active qubits on devices)
    active: tuple[int, ...]  # physical qubit behind each runnable qubit
    virtual_to_runnable: list[int]  # where each virtual qubit ends up (after routing)
    method: str  # Aer method option for the run
    simulator: AerSimulator
    initial_layout: list[int] | None
    final_layout: list[int] | None


def compile_circuit(
    runtime: Runtime,
    circuit: QuantumCircuit,
    *,
    level: int,
    seed: int,
    method: str,
    limits: Limits,
    keep_all_virtual: bool,
) -> Compiled:
    """``keep_all_virtual`` keeps idle virtual qubits too (estimator observables need them)."""
    if isinstance(runtime, IdealRuntime):
        return _compile_ideal(runtime, circuit, level, seed, method)
    return _compile_device(runtime, circuit, level, seed, method, limits, keep_all_virtual)


def _compile_ideal(
    runtime: IdealRuntime, circuit: QuantumCircuit, level: int, seed: int, method: str
) -> Compiled:
    chosen = method
    transpiled = None
    if method in ("automatic", "stabilizer") and non_clifford_reason(circuit) is None:
        candidate = runtime.pass_manager(level, seed, "stabilizer").run(circuit)
        if transpiled_is_stabilizer_ready(candidate):
            transpiled, chosen = candidate, "stabilizer"
    if transpiled is None:
        if method == "stabilizer":
            raise JobSpecError("circuit cannot be expressed in stabilizer gates", field="method")
        chosen = "statevector" if method == "automatic" else method
        transpiled = runtime.pass_manager(level, seed, chosen).run(circuit)
    positions = _final_positions(transpiled)
    return Compiled(
        transpiled=transpiled,
        runnable=transpiled,
        active=tuple(range(transpiled.num_qubits)),
        virtual_to_runnable=positions,
        method=chosen,
        simulator=runtime.simulator(chosen),
        initial_layout=None,
        final_layout=None,
    )


def _final_positions(transpiled: QuantumCircuit) -> list[int]:
    if transpiled.layout is None:
        return list(range(transpiled.num_qubits))
    return transpiled.layout.final_index_layout(filter_ancillas=True)


def _compile_device(
    runtime: FakeDeviceRuntime,
    circuit: QuantumCircuit,
    level: int,
    seed: int,
    method: str,
    limits: Limits,
    keep_all_virtual: bool,
) -> Compiled:
    transpiled = runtime.pass_manager(level, seed).run(circuit)
    layout = transpiled.layout
    initial = layout.initial_index_layout(filter_ancillas=True)
    final = layout.final_index_layout(filter_ancillas=True)
    reduced = reduce_circuit(transpiled, keep=final if keep_all_virtual else ())
    if method != "matrix_product_state":
        # Routing can pull in ancilla qubits, so re-check with the real simulated width.
        check_memory(len(reduced.active), method, limits.memory_limit_bytes)
    index = {physical: i for i, physical in enumerate(reduced.active)}
    return Compiled(
        transpiled=transpiled,
        runnable=reduced.circuit,
        active=reduced.active,
        virtual_to_runnable=[index.get(p, -1) for p in final],
        method=method,
        simulator=runtime.simulator_for(reduced.active),
        initial_layout=initial,
        final_layout=final,
    )


def describe_transpiled(compiled: Compiled) -> dict:
    """The ``transpiled`` block of a pub result."""
    circuit = compiled.transpiled
    return {
        "qasm": circuit_to_qasm(circuit),
        "depth": circuit.depth(),
        "size": circuit.size(),
        "two_qubit_gates": two_qubit_gate_count(circuit),
        "num_qubits": len(active_qubits(circuit)),
        "layout": compiled.initial_layout,
        "final_layout": compiled.final_layout,
        "ops": gate_count_summary(circuit),
    }


def bind(circuit: QuantumCircuit, parameters, row: list[float]) -> QuantumCircuit:
    """Assign one parameter row (ordered like the *original* circuit's parameters).

    The transpiler may optimise a parameter away, so only the ones still present are bound.
    """
    if not row:
        return circuit
    present = set(circuit.parameters)
    values = {p: v for p, v in zip(parameters, row, strict=True) if p in present}
    return circuit.assign_parameters(values, inplace=False) if values else circuit
