"""Random composer circuits, seeded, built through the composer's own edits."""

from __future__ import annotations

import random

from qdeck.quest.composer import GATES, Cell, Circuit

UNITARY = [g for g in GATES if g not in ("measure", "barrier")]


def random_circuit(qubits: int, columns: int, seed: int, density: float = 0.7) -> Circuit:
    rng = random.Random(seed)
    circuit = Circuit(qubits)
    for column in range(columns):
        for qubit in range(qubits):
            if rng.random() > density or circuit.at(qubit, column) is not None:
                continue
            gate = rng.choice(UNITARY)
            kind = GATES[gate]
            free = [w for w in range(qubits) if w != qubit and circuit.at(w, column) is None]
            partner = None
            if kind.two_wires:
                if not free:
                    continue
                partner = rng.choice(free)
                free.remove(partner)
            controls = tuple(rng.sample(free, rng.randint(0, min(kind.max_controls, len(free)))))
            angle = rng.uniform(-7, 7) if kind.has_angle else None
            cell = Cell(gate, qubit, column, angle=angle, controls=controls, partner=partner)
            circuit = circuit.place(cell)
    return circuit
