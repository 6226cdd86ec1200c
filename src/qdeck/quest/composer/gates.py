"""Gate matrices and their application to a state vector, in numpy.

Qubit k is bit k of the basis index (Qiskit's order). A gate is applied in place on two
views of the state, the amplitudes with the target at 0 and at 1 (controls at 1), so no
2^n x 2^n matrix is ever built. The views are turned so their longest axis is the inner
loop: numpy's cost is in its loop overhead when the inner axis has 2 or 4 elements.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

_S2 = 1 / math.sqrt(2)
FIXED: dict[str, np.ndarray] = {
    "h": np.array([[_S2, _S2], [_S2, -_S2]], dtype=complex),
    "x": np.array([[0, 1], [1, 0]], dtype=complex),
    "y": np.array([[0, -1j], [1j, 0]], dtype=complex),
    "z": np.diag([1, -1]).astype(complex),
    "s": np.diag([1, 1j]),
    "sdg": np.diag([1, -1j]),
    "t": np.diag([1, np.exp(1j * math.pi / 4)]),
    "tdg": np.diag([1, np.exp(-1j * math.pi / 4)]),
    "sx": np.array([[1 + 1j, 1 - 1j], [1 - 1j, 1 + 1j]]) / 2,
}


def matrix(gate: str, angle: float | None = None) -> np.ndarray:
    """The 2x2 unitary of a one-qubit gate, equal to Qiskit's own (global phase too)."""
    if gate in FIXED:
        return FIXED[gate]
    theta = float(angle or 0.0)
    c, s = math.cos(theta / 2), math.sin(theta / 2)
    if gate == "rx":
        return np.array([[c, -1j * s], [-1j * s, c]])
    if gate == "ry":
        return np.array([[c, -s], [s, c]], dtype=complex)
    if gate == "rz":
        return np.diag([np.exp(-1j * theta / 2), np.exp(1j * theta / 2)])
    if gate == "p":
        return np.diag([1, np.exp(1j * theta)])
    raise KeyError(gate)


@lru_cache(maxsize=4096)
def _layout(n: int, wires: tuple[int, ...]) -> tuple[tuple[int, ...], dict[int, int]]:
    """The state's shape with one axis of 2 per wire used (and merged axes between them),
    and each used wire's axis."""
    shape: list[int] = []
    axis: dict[int, int] = {}
    above = n
    for wire in sorted(wires, reverse=True):
        shape.append(1 << (above - wire - 1))
        axis[wire] = len(shape)
        shape.append(2)
        above = wire
    shape.append(1 << above)
    return tuple(shape), axis


def _inner_last(view: np.ndarray) -> np.ndarray:
    """The same elements with the longest axis last (and single axes dropped)."""
    view = np.squeeze(view)  # always a view, never a copy
    if view.ndim == 0:
        return view.reshape(1)
    order = sorted(range(view.ndim), key=lambda i: view.shape[i])
    return view.transpose(order)


def _halves(
    psi: np.ndarray, n: int, target: int, controls: tuple[int, ...], fixed: dict[int, int]
) -> tuple[np.ndarray, np.ndarray]:
    shape, axis = _layout(n, (target, *controls, *fixed))
    index: list[object] = [slice(None)] * len(shape)
    for c in controls:
        index[axis[c]] = 1
    for wire, bit in fixed.items():
        index[axis[wire]] = bit
    view = psi.reshape(shape)
    index[axis[target]] = 0
    low = view[tuple(index)]
    index[axis[target]] = 1
    high = view[tuple(index)]
    return _inner_last(low), _inner_last(high)


def apply(
    psi: np.ndarray,
    n: int,
    u: np.ndarray,
    target: int,
    controls: tuple[int, ...] = (),
    fixed: dict[int, int] | None = None,
) -> None:
    """psi <- (controlled) u on ``target``, in place. ``fixed`` pins other wires to a bit
    (a swap is applied as an X on the subspace where the two wires differ)."""
    a, b = _halves(psi, n, target, controls, fixed or {})
    # numpy loops in memory order unless told otherwise; with a short innermost axis
    # (a low target or control) looping along the long axis is several times faster.
    order = "C" if a.strides[-1] > 16 * 8 else "K"
    u00, u01, u10, u11 = u[0, 0], u[0, 1], u[1, 0], u[1, 1]
    if u01 == 0 and u10 == 0:  # diagonal: Z, S, T, P, RZ
        if u00 != 1:
            np.multiply(a, u00, out=a, order=order)
        if u11 != 1:
            np.multiply(b, u11, out=b, order=order)
        return
    if u00 == 0 and u11 == 0:  # X, Y
        held = np.multiply(a, u10, order=order)
        np.multiply(b, u01, out=a, order=order)
        b[...] = held
        return
    if u00 == u01 == u10 == -u11 and u00.imag == 0:  # Hadamard
        difference = np.subtract(a, b, order=order)
        np.add(a, b, out=a, order=order)
        np.multiply(a, u00, out=a, order=order)
        np.multiply(difference, u00, out=b, order=order)
        return
    new_a = np.multiply(a, u00, order=order)
    new_a += np.multiply(b, u01, order=order)
    np.multiply(b, u11, out=b, order=order)
    b += np.multiply(a, u10, order=order)
    a[...] = new_a


def apply_swap(
    psi: np.ndarray, n: int, first: int, second: int, controls: tuple[int, ...] = ()
) -> None:
    """Exchange the amplitudes where the two wires read 01 and 10 (controls at 1)."""
    shape, axis = _layout(n, (first, second, *controls))
    index: list[object] = [slice(None)] * len(shape)
    for c in controls:
        index[axis[c]] = 1
    view = psi.reshape(shape)
    index[axis[first]], index[axis[second]] = 0, 1
    one = _inner_last(view[tuple(index)])
    index[axis[first]], index[axis[second]] = 1, 0
    other = _inner_last(view[tuple(index)])
    held = one.copy(order="C")
    one[...] = other
    other[...] = held


# A column's one-qubit gates act on different wires, so they commute and their kinds can
# be applied together: every X-like gate as one flip of the state's axes, every diagonal
# as one multiplication by a phase vector, and the remaining (dense) gates each as one
# BLAS product. Gate by gate, each would be several numpy passes over the whole state.
LOW_WIRES = 4  # dense gates on wires below this share one 16 x 16 product


def apply_layer(psi: np.ndarray, n: int, gates: dict[int, np.ndarray]) -> None:
    """psi <- (tensor product of ``gates``, identity elsewhere) psi, in place."""
    flips: list[int] = []
    phases: dict[int, np.ndarray] = {}
    dense: dict[int, np.ndarray] = {}
    for wire, u in gates.items():
        if u[0, 1] == 0 and u[1, 0] == 0:
            phases[wire] = np.array([u[0, 0], u[1, 1]])
        elif u[0, 0] == 0 and u[1, 1] == 0:
            # u = diag(u01, u10) X: flip the wire, then a phase.
            flips.append(wire)
            if u[0, 1] != 1 or u[1, 0] != 1:
                phases[wire] = np.array([u[0, 1], u[1, 0]])
        else:
            dense[wire] = u
    tensor = psi.reshape((2,) * n)  # a view; axis 0 is the highest wire
    if flips:
        tensor[...] = np.flip(tensor, axis=tuple(n - 1 - w for w in flips))
    if phases:
        tensor *= _phase_vector(n, phases)
    low = {w: u for w, u in dense.items() if w < LOW_WIRES}
    if len(low) > 1:
        width = min(LOW_WIRES, n)
        block = np.ones((1, 1), dtype=complex)
        for wire in reversed(range(width)):  # the highest wire is the most significant
            block = np.kron(block, low.get(wire, _IDENTITY))
        view = psi.reshape(-1, 1 << width)
        view[...] = view @ block.T
        dense = {w: u for w, u in dense.items() if w >= LOW_WIRES}
    for wire, u in dense.items():
        _apply_dense(psi, n, u, wire)


_IDENTITY = np.eye(2, dtype=complex)


def _phase_vector(n: int, phases: dict[int, np.ndarray]) -> np.ndarray:
    """The diagonal of the tensor product of the ``phases`` (1 on other wires), shaped to
    broadcast over the state as a (2,) * n tensor: only the phased wires have length 2."""
    vector = np.ones((1,) * n, dtype=complex)
    for wire, factor in phases.items():
        shape = [1] * n
        shape[n - 1 - wire] = 2
        vector = vector * factor.reshape(shape)
    return vector


def _apply_dense(psi: np.ndarray, n: int, u: np.ndarray, wire: int) -> None:
    below = 1 << wire
    if below < 16:  # a short inner axis: the pairwise update reads it better
        apply(psi, n, u, wire)
        return
    view = psi.reshape(-1, 2, below)
    view[...] = np.matmul(u, view)
