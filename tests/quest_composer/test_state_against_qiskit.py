"""The composer's displayed state equals Qiskit's, for random circuits up to 16 qubits."""

from __future__ import annotations

import numpy as np
import pytest
from qiskit import QuantumCircuit
from qiskit.quantum_info import DensityMatrix, Statevector, partial_trace

from qdeck.quest.composer import Cell, Circuit, Evolution, state_after, to_qiskit
from qdeck.quest.composer.display import payload
from tests.quest_composer.circuits import random_circuit

TOLERANCE = 1e-9


def reference_bloch(state: Statevector | DensityMatrix, n: int, k: int) -> np.ndarray:
    rho = partial_trace(state, [i for i in range(n) if i != k]).data
    return np.array([2 * rho[0, 1].real, 2 * rho[1, 0].imag, (rho[0, 0] - rho[1, 1]).real])


@pytest.mark.parametrize(
    ("qubits", "columns", "seed"),
    [(1, 8, 1), (2, 12, 2), (3, 20, 3), (5, 30, 4), (8, 40, 5), (11, 40, 6), (16, 40, 7)],
)
def test_amplitudes_probabilities_and_bloch_vectors_equal_qiskits(qubits, columns, seed):
    circuit = random_circuit(qubits, columns, seed)
    ours = state_after(circuit)
    reference = Statevector(to_qiskit(circuit))
    assert np.max(np.abs(ours.amplitudes - reference.data)) < TOLERANCE
    assert np.max(np.abs(ours.probabilities - reference.probabilities())) < TOLERANCE
    assert np.max(np.abs(ours.magnitudes - np.abs(reference.data))) < TOLERANCE
    # Bloch vectors by partial trace: all qubits below 12, a sample at 16 (tracing out 15
    # qubits of a 2^16 state each time is slow in Qiskit).
    checked = range(qubits) if qubits < 12 else (0, 7, 15)
    for k in checked:
        assert np.max(np.abs(ours.bloch[k] - reference_bloch(reference, qubits, k))) < TOLERANCE


def test_the_state_after_every_column_matches_while_editing():
    """The checkpoints an edit keeps give the same states as evolving from scratch."""
    evolution = Evolution(budget=8 * 2**10)  # tiny: forces checkpoints every few columns
    circuit = random_circuit(6, 24, seed=11)
    edited = circuit
    for step, (qubit, column) in enumerate([(0, 3), (5, 20), (2, 0), (4, 11)]):
        if edited.at(qubit, column) is not None:
            edited = edited.remove(qubit, column)
        edited = edited.place(Cell("ry", qubit, column, angle=0.3 * (step + 1)))
        for col in (0, 1, 7, 12, 24, 5):
            prefix = Circuit(
                6, edited.columns, {k: v for k, v in edited.cells.items() if k[0] < col}
            )
            expected = Statevector(to_qiskit(prefix)).data
            assert np.max(np.abs(evolution.state(edited, col).amplitudes - expected)) < TOLERANCE


def test_a_measured_qubit_is_dephased_and_may_still_control():
    """Deferred measurement: measuring q0 and then using it as a control is the same as
    a CNOT onto a fresh ancilla; the reduced states equal the traced-out density matrix."""
    circuit = Circuit(2)
    for cell in (
        Cell("h", 0, 0),
        Cell("measure", 0, 1),
        Cell("x", 1, 2, controls=(0,)),
        Cell("ry", 1, 3, angle=0.4),
    ):
        circuit = circuit.place(cell)
    ours = state_after(circuit)
    deferred = QuantumCircuit(3)
    deferred.h(0)
    deferred.cx(0, 2)  # the "measurement" record
    deferred.cx(0, 1)
    deferred.ry(0.4, 1)
    rho = partial_trace(DensityMatrix(deferred), [2])
    for k in (0, 1):
        assert np.max(np.abs(ours.bloch[k] - reference_bloch(rho, 2, k))) < TOLERANCE
    assert np.allclose(ours.bloch[0], [0, 0, 0])  # a measured |+> is a fair coin
    assert np.max(np.abs(ours.probabilities - np.real(np.diag(rho.data)))) < TOLERANCE


def test_a_bell_pair_shows_two_centred_spheres_and_a_50_50_histogram():
    circuit = Circuit(2).place(Cell("h", 0, 0)).place(Cell("x", 1, 1, controls=(0,)))
    shown = payload(state_after(circuit))
    assert shown["bloch"] == [[0, 0, 0], [0, 0, 0]]
    assert shown["histogram"]["bars"] == [["00", 0.5], ["01", 0], ["10", 0], ["11", 0.5]]
    assert {r["label"]: r["p"] for r in shown["amplitudes"]["rows"]}["11"] == 0.5


def test_sixteen_qubits_send_a_top_list_and_a_page_not_the_whole_state():
    shown = payload(state_after(random_circuit(16, 40, seed=3)))
    assert len(shown["histogram"]["bars"]) <= 32
    assert len(shown["amplitudes"]["rows"]) == 16
    assert shown["amplitudes"]["pages"] == 2**16 // 16
    probabilities = [r["p"] for r in shown["amplitudes"]["rows"]]
    assert probabilities == sorted(probabilities, reverse=True)


@pytest.mark.parametrize("page", [0, 3])
def test_the_likely_first_pages_equal_a_full_stable_sort_ties_in_basis_order(page):
    """The page is picked without sorting 2^n numbers; it must be the page a full sort
    gives, including among equal probabilities (a GHZ-like state has many)."""
    for circuit in (random_circuit(10, 12, seed=8), Circuit(10).place(Cell("h", 3, 0))):
        state = state_after(circuit)
        p = np.round(state.probabilities, 12)
        expected = np.argsort(-p, kind="stable")[page * 16 : (page + 1) * 16]
        rows = payload(state, page=page, likely_first=True)["amplitudes"]["rows"]
        assert [int(r["label"], 2) for r in rows] == expected.tolist()
