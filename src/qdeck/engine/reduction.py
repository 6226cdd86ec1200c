"""Shrink a transpiled full-device circuit to the physical qubits it actually uses."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from qiskit import QuantumCircuit
from qiskit.circuit import Qubit
from qiskit.converters import circuit_to_dag, dag_to_circuit
from qiskit.transpiler.passes import RemoveBarriers


@dataclass(frozen=True)
class ReducedCircuit:
    circuit: QuantumCircuit
    active: tuple[int, ...]  # active[i] is the physical qubit behind reduced qubit i

    def compact_index(self, physical: int) -> int:
        return self.active.index(physical)


def active_qubits(circuit: QuantumCircuit) -> tuple[int, ...]:
    """Sorted indices of qubits touched by any operation other than a barrier."""
    used: set[int] = set()
    for inst in circuit.data:
        if inst.operation.name != "barrier":
            used.update(circuit.find_bit(q).index for q in inst.qubits)
    return tuple(sorted(used))


def reduce_circuit(circuit: QuantumCircuit, keep: Iterable[int] = ()) -> ReducedCircuit:
    """Drop idle qubits (and barriers, which never change results) from ``circuit``.

    ``keep`` forces extra physical qubits to stay, e.g. where an observable is measured.
    Going through the DAG keeps classical registers, control flow and variables intact, so
    measured bitstrings are formatted exactly as for the full circuit.
    """
    active = tuple(sorted(set(active_qubits(circuit)) | set(keep)))
    dag = RemoveBarriers().run(circuit_to_dag(circuit))
    wanted = {circuit.qubits[i] for i in active}
    idle = [q for q in dag.qubits if q not in wanted]
    if idle:
        # Only truly idle wires can be removed; after RemoveBarriers the unused ones are.
        busy = set(dag.idle_wires())
        idle = [q for q in idle if q in busy and isinstance(q, Qubit)]
        dag.remove_qubits(*idle)
    reduced = dag_to_circuit(dag)
    reduced.name = circuit.name
    return ReducedCircuit(reduced, active)
