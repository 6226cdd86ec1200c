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
