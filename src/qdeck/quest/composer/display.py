"""What the composer's displays draw, as small plain data: the browser gets the Bloch
vectors, the most likely outcomes and one page of amplitudes, never 2^16 numbers."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from qdeck.quest.composer.state import ComposerState

HISTOGRAM_BARS = 32
AMPLITUDE_PAGE = 16


def basis_label(index: int, n: int) -> str:
    """|q(n-1) ... q0>: qubit 0 is the rightmost digit, as Qiskit writes counts."""
    return format(index, f"0{n}b")


def histogram(state: ComposerState, bars: int = HISTOGRAM_BARS) -> dict[str, Any]:
    """Every outcome when there are at most ``bars``; otherwise the most likely ones in
    basis order and the probability of the rest."""
    p = state.probabilities
    n = state.qubits
    if p.size <= bars:
        chosen = np.arange(p.size)
    else:
        chosen = np.sort(np.argpartition(p, -bars)[-bars:])
        chosen = chosen[p[chosen] > 1e-12]
    rest = max(0.0, 1.0 - float(p[chosen].sum())) if p.size > bars else 0.0
    return {
        "bars": [[basis_label(int(i), n), round(float(p[i]), 6)] for i in chosen],
        "rest": round(rest, 6),
        "all": p.size <= bars,
    }


def most_likely(p: np.ndarray, top: int) -> np.ndarray:
    """The indices of the ``top`` largest probabilities, largest first; equal ones (to
    12 places) in basis order, so pages do not shuffle. Sorts only what is shown: a full
    sort of 2^16 would cost more than the rest of the payload."""
    rounded = np.round(p, 12)
    if top >= rounded.size:
        return np.argsort(-rounded, kind="stable")
    cutoff = np.partition(rounded, rounded.size - top)[rounded.size - top]
    above = np.flatnonzero(rounded > cutoff)
    tied = np.flatnonzero(rounded == cutoff)[: top - above.size]
    chosen = np.concatenate([above, tied])
    # lexsort's last key is the primary one: probability down, then basis index up.
    return chosen[np.lexsort((chosen, -rounded[chosen]))]


def amplitude_page(
    state: ComposerState, page: int = 0, size: int = AMPLITUDE_PAGE, *, likely_first: bool
) -> dict[str, Any]:
    """One page of the amplitude table: basis state, magnitude, phase (degrees), p."""
    amplitudes = state.amplitudes
    p = state.probabilities
    total = amplitudes.size
    pages = max(1, math.ceil(total / size))
    page = max(0, min(page, pages - 1))
    if likely_first:
        top = min(total, (page + 1) * size)
        indices = most_likely(p, top)[page * size : top]
    else:
        indices = np.arange(page * size, min(total, (page + 1) * size))
    rows = []
    for i in indices:
        amplitude = complex(amplitudes[i])
        magnitude = abs(amplitude)
        phase = math.degrees(math.atan2(amplitude.imag, amplitude.real)) if magnitude > 1e-12 else 0
        rows.append(
            {
                "label": basis_label(int(i), state.qubits),
                "re": round(amplitude.real, 6),
                "im": round(amplitude.imag, 6),
                "magnitude": round(magnitude, 6),
                "phase": round(phase, 1),
                "p": round(float(p[i]), 6),
            }
        )
    return {"rows": rows, "page": page, "pages": pages, "likely_first": likely_first}


def payload(
    state: ComposerState, *, page: int = 0, likely_first: bool | None = None
) -> dict[str, Any]:
    """Everything the displays draw after one edit or step."""
    if likely_first is None:
        likely_first = state.qubits > 4
    vectors = state.bloch
    return {
        "column": state.column,
        "qubits": state.qubits,
        "bloch": [[round(float(v), 6) for v in vector] for vector in vectors],
        "purity": [round(float(np.linalg.norm(v)), 6) for v in vectors],
        "measured": sorted(state.measured),
        "histogram": histogram(state),
        "amplitudes": amplitude_page(state, page, likely_first=likely_first),
    }
