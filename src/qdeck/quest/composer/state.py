"""The state after any column: amplitudes, probabilities and each qubit's Bloch vector.

``Evolution`` keeps the states after some columns (checkpoints) for one open composer,
so an edit re-evolves only from the column it changed, and moving the step slider back
costs at most a few columns. At 16 qubits a state is 1 MiB; the checkpoints stay within
a byte budget by keeping every k-th column only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from qdeck.quest.composer.circuit import Cell, Circuit
from qdeck.quest.composer.gates import apply, apply_layer, apply_swap, matrix

CHECKPOINT_BUDGET = 24 * 2**20


@dataclass(frozen=True)
class ComposerState:
    qubits: int
    column: int  # columns applied: 0 is the initial |0...0>
    amplitudes: np.ndarray  # 2^n complex, qubit k is bit k of the index
    measured: frozenset[int]  # wires measured in the columns applied

    @property
    def probabilities(self) -> np.ndarray:
        return self.amplitudes.real**2 + self.amplitudes.imag**2

    @property
    def magnitudes(self) -> np.ndarray:
        return np.abs(self.amplitudes)

    @property
    def phases(self) -> np.ndarray:
        """Radians in (-pi, pi]; 0 where the amplitude is 0."""
        phases = np.angle(self.amplitudes)
        phases[self.magnitudes < 1e-12] = 0.0
        return phases

    @property
    def bloch(self) -> np.ndarray:
        """(n, 3): each qubit's (x, y, z) from its reduced density matrix. A measured qubit
        has lost its coherences (x = y = 0): the measurement's outcome is not selected."""
        return bloch_vectors(self.amplitudes, self.qubits, self.measured)


def bloch_vectors(psi: np.ndarray, n: int, measured: frozenset[int] = frozenset()) -> np.ndarray:
    vectors = np.zeros((n, 3))
    probabilities = psi.real**2 + psi.imag**2
    # z for every qubit in one product: +1 where qubit k reads 0, -1 where it reads 1.
    vectors[:, 2] = probabilities @ _z_signs(n)
    for k in range(n):
        if k in measured:
            continue
        # rho_01 = sum over the other qubits of psi(k=0) * conj(psi(k=1)); vdot of the
        # (blocks x 2^k) halves, which numpy reads in place for the low and high qubits.
        pairs = psi.reshape(-1, 2, 1 << k)
        rho01 = _pair_dot(pairs[:, 1, :], pairs[:, 0, :])
        vectors[k, 0] = 2 * rho01.real
        vectors[k, 1] = -2 * rho01.imag
    return vectors


@lru_cache(maxsize=8)
def _z_signs(n: int) -> np.ndarray:
    bits = (np.arange(1 << n)[:, None] >> np.arange(n)) & 1
    return (1 - 2 * bits).astype(np.float64)


def _pair_dot(conjugated: np.ndarray, other: np.ndarray) -> complex:
    """sum(conj(a) * b) over two (blocks x width) views, without copying either."""
    if conjugated.shape[0] == 1 or conjugated.shape[1] == 1:
        return complex(np.vdot(conjugated.reshape(-1), other.reshape(-1)))
    if conjugated.shape[1] >= conjugated.shape[0]:
        return complex(sum(np.vdot(a, b) for a, b in zip(conjugated, other, strict=True)))
    return complex(sum(np.vdot(a, b) for a, b in zip(conjugated.T, other.T, strict=True)))


def apply_cell(psi: np.ndarray, n: int, cell: Cell) -> None:
    if cell.gate in ("measure", "barrier"):
        return  # measurement is deferred (see circuit.py); a barrier does nothing
    if cell.gate == "swap":
        assert cell.partner is not None
        apply_swap(psi, n, cell.qubit, cell.partner, cell.controls)
        return
    apply(psi, n, matrix(cell.gate, cell.angle), cell.qubit, cell.controls)


def apply_column(psi: np.ndarray, n: int, cells: tuple[Cell, ...]) -> None:
    """A column's cells act on different wires, so they commute: its plain one-qubit
    gates go first, together, then the controlled gates and swaps one by one."""
    layer = {}
    for cell in cells:
        if cell.gate not in ("measure", "barrier", "swap") and not cell.controls:
            layer[cell.qubit] = matrix(cell.gate, cell.angle)
        else:
            apply_cell(psi, n, cell)
    if layer:
        apply_layer(psi, n, layer)


def initial(n: int) -> np.ndarray:
    psi = np.zeros(1 << n, dtype=complex)
    psi[0] = 1.0
    return psi


class Evolution:
    """States of one circuit as it is edited; not shared between threads."""

    def __init__(self, budget: int = CHECKPOINT_BUDGET) -> None:
        self.budget = budget
        self.qubits = 0
        self.columns: list[tuple[Cell, ...]] = []  # what each checkpoint was built from
        self.states: dict[int, np.ndarray] = {}

    def state(self, circuit: Circuit, column: int) -> ComposerState:
        column = max(0, min(column, circuit.columns))
        n = circuit.qubits
        content = [tuple(circuit.column(c)) for c in range(circuit.columns)]
        self._forget_changed(n, content)
        start = max(s for s in self.states if s <= column)
        psi = self.states[start].copy()
        stride = self._stride(n, circuit.columns)
        for c in range(start, column):
            apply_column(psi, n, content[c])
            if (c + 1) % stride == 0 and c + 1 not in self.states:
                self.states[c + 1] = psi.copy()
        measured = frozenset(
            cell.qubit for cells in content[:column] for cell in cells if cell.gate == "measure"
        )
        return ComposerState(n, column, psi, measured)

    def _forget_changed(self, n: int, content: list[tuple[Cell, ...]]) -> None:
        if n != self.qubits:
            self.qubits, self.columns, self.states = n, [], {0: initial(n)}
        same = 0
        for old, new in zip(self.columns, content, strict=False):
            if old != new:
                break
            same += 1
        # The state after s columns depends on columns 0..s-1 only.
        self.states = {s: v for s, v in self.states.items() if s <= same}
        self.columns = content

    def _stride(self, n: int, columns: int) -> int:
        size = (1 << n) * 16
        return max(1, math.ceil((columns + 1) * size / self.budget))


def state_after(circuit: Circuit, column: int | None = None) -> ComposerState:
    """The state after the first ``column`` columns (all of them when None)."""
    return Evolution().state(circuit, circuit.columns if column is None else column)
