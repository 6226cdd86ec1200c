"""The grader's own simulation equals Qiskit's Statevector and Operator on random circuits."""

from __future__ import annotations

import random

import numpy as np
import pytest
from qiskit import QuantumCircuit
from qiskit.quantum_info import Operator, Statevector

from qdeck.quest.simulate import statevector, unitary

ONE = ["h", "x", "y", "z", "s", "sdg", "t", "tdg", "sx", "sxdg"]
ROTATIONS = ["rx", "ry", "rz", "p"]
TWO = ["cx", "cz", "cy", "ch", "swap"]
TWO_ANGLED = ["cp", "crx", "cry", "crz", "rzz", "rxx"]


def _random(seed: int, qubits: int, gates: int) -> QuantumCircuit:
    rng = random.Random(seed)
    circuit = QuantumCircuit(qubits, global_phase=rng.uniform(0, 6.3))
    for _ in range(gates):
        kind = rng.random()
        if kind < 0.35 or qubits < 2:
            getattr(circuit, rng.choice(ONE))(rng.randrange(qubits))
        elif kind < 0.55:
            getattr(circuit, rng.choice(ROTATIONS))(rng.uniform(-7, 7), rng.randrange(qubits))
        elif kind < 0.75:
            getattr(circuit, rng.choice(TWO))(*rng.sample(range(qubits), 2))
        elif kind < 0.9:
            angle = rng.uniform(-7, 7)
            getattr(circuit, rng.choice(TWO_ANGLED))(angle, *rng.sample(range(qubits), 2))
        elif qubits >= 3:
            getattr(circuit, rng.choice(["ccx", "cswap"]))(*rng.sample(range(qubits), 3))
        else:
            circuit.u(rng.uniform(-3, 3), rng.uniform(-3, 3), rng.uniform(-3, 3), 0)
        if rng.random() < 0.05:
            circuit.barrier()
    return circuit


@pytest.mark.parametrize("seed", range(40))
def test_the_state_equals_qiskits(seed: int) -> None:
    circuit = _random(seed, qubits=1 + seed % 8, gates=30)
    assert np.allclose(statevector(circuit), Statevector(circuit).data, atol=1e-12)


@pytest.mark.parametrize("seed", range(20))
def test_the_unitary_equals_qiskits(seed: int) -> None:
    circuit = _random(1000 + seed, qubits=1 + seed % 5, gates=25)
    assert np.allclose(unitary(circuit), Operator(circuit).data, atol=1e-12)
