"""A cheap first estimate for every device, so that only a few need a full transpile.

Transpiling a 20-qubit, 500-gate circuit takes 40-130 ms per device at optimization
level 1; the 40-odd fake devices that fit would take seconds. Most of that time is
layout and routing, and many devices share a coupling map (ten 27-qubit Falcons, the
127-qubit Eagles differ only in their gates' directions). So:

1. Unroll gates on 3+ qubits, then lay out and route the circuit once per undirected
   coupling map (``SabreLayout``, a fixed seed).
2. Per device, move that routed circuit onto the device's best-calibrated qubits of the
   same shape (``VF2PostLayout``, as level 1 does, scored by the device's own errors).
3. Count errors without translating to the device's gates: each two-qubit gate costs its
   number of native two-qubit gates (a swap is three) at the pair's native error, each
   one-qubit gate its number of ``sx``-like pulses at the qubit's ``sx`` error (``rz``,
   ``s``, ``t``... are virtual: free), each measurement the qubit's readout error.

The screen ranks; the figures users see come from a real transpile of the best few
(``device_sweep``). ``benchmarks/assistant_analysis.py`` measures how often the screen's
top picks contain the device a full sweep finds best.
"""

from __future__ import annotations

import functools
import math
import warnings
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from qiskit import QuantumCircuit
from qiskit.converters import circuit_to_dag
from qiskit.dagcircuit import DAGCircuit
from qiskit.transpiler import CouplingMap, Layout, PassManager
from qiskit.transpiler.passes import RemoveBarriers, SabreLayout, Unroll3qOrMore, VF2PostLayout

from qdeck.assistant.success_estimate import ErrorTable, error_table
from qdeck.engine import default_catalog

# Native two-qubit gates a logical two-qubit gate needs on a cx/ecr/cz device.
TWO_QUBIT_COST = {"cx": 1, "cz": 1, "cy": 1, "ecr": 1, "ch": 2, "swap": 3, "iswap": 2, "dcx": 2}
DEFAULT_TWO_QUBIT_COST = 2
# sx-like pulses a one-qubit gate needs; rz-like gates are frame changes and cost nothing.
VIRTUAL = frozenset({"rz", "p", "u1", "s", "sdg", "t", "tdg", "z", "id"})
ONE_PULSE = frozenset({"x", "y", "sx", "sxdg", "h"})


@dataclass(frozen=True)
class Screened:
    backend: str
    probability: float
    two_qubit_gates: int  # native two-qubit gates, estimated
    swaps: int


def screen(circuit: QuantumCircuit, backends: Iterable[str], seed: int) -> dict[str, Screened]:
    skeleton = circuit_to_dag(PassManager([RemoveBarriers(), Unroll3qOrMore()]).run(circuit))
    groups: dict[tuple, list[str]] = {}
    for name in backends:
        groups.setdefault(_shape(name), []).append(name)
    screened: dict[str, Screened] = {}
    for shape, names in groups.items():
        routed, layout = _route(skeleton, shape, seed)
        ops = _physical_ops(routed)
        swaps = sum(count for (_, _, cost), count in ops.items() if cost == 3)
        for backend in names:
            table = error_table(backend)
            moved = _best_placement(routed, layout, backend, seed)
            probability, two_qubit = _score(ops, moved, table)
            screened[backend] = Screened(backend, probability, two_qubit, swaps)
    return screened


def _target(name: str):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return default_catalog().backend(name).target


@functools.cache
def _shape(name: str) -> tuple:
    """The device's undirected coupling map: static, so computed once per process."""
    target = _target(name)
    edges = {tuple(sorted(edge)) for edge in target.build_coupling_map().get_edges()}
    return (target.num_qubits, tuple(sorted(edges)))


def _route(skeleton: DAGCircuit, shape: tuple, seed: int) -> tuple[DAGCircuit, Layout]:
    """Lay out and route on the DAG directly: no circuit round trip per coupling map."""
    _, edges = shape
    coupling = CouplingMap([list(e) for e in edges] + [[b, a] for a, b in edges])
    layout_pass = SabreLayout(coupling, seed=seed, max_iterations=2, swap_trials=2, layout_trials=2)
    routed = layout_pass.run(skeleton)
    return routed, layout_pass.property_set["layout"]


def _physical_ops(routed: DAGCircuit) -> Counter[tuple[str, tuple[int, ...], int]]:
    """The routed circuit's error sites, counted: ("2q", pair, native gates),
    ("x"/"sx", (qubit,), pulses) and ("measure", (qubit,), 1). Scoring a device then walks
    these few hundred keys instead of every instruction."""
    index = {bit: i for i, bit in enumerate(routed.qubits)}
    sites: Counter[tuple[str, tuple[int, ...], int]] = Counter()
    for node in routed.op_nodes():
        name = node.op.name
        qubits = tuple(index[q] for q in node.qargs)
        if name == "measure":
            sites[("measure", qubits, 1)] += 1
        elif len(qubits) == 2:
            sites[("2q", qubits, TWO_QUBIT_COST.get(name, DEFAULT_TWO_QUBIT_COST))] += 1
        elif len(qubits) == 1 and name not in VIRTUAL and name != "reset":
            pulses = 1 if name in ONE_PULSE else 2
            sites[("x" if name in ("x", "y") else "sx", qubits, pulses)] += 1
    return sites


def _best_placement(routed: DAGCircuit, layout: Layout, backend: str, seed: int) -> dict[int, int]:
    """Physical qubit of the routed circuit -> the device's qubit it is best placed on."""
    search = VF2PostLayout(target=_target(backend), seed=seed, strict_direction=False)
    search.property_set["layout"] = layout
    try:
        search.run(routed)
    except Exception:  # no better placement found in its call limit: keep Sabre's
        return {}
    post = search.property_set.get("post_layout")
    if post is None:
        return {}
    index = {bit: i for i, bit in enumerate(routed.qubits)}
    return {index[bit]: physical for bit, physical in post.get_virtual_bits().items()}


def _score(
    sites: Counter[tuple[str, tuple[int, ...], int]], moved: dict[int, int], table: ErrorTable
) -> tuple[float, int]:
    log_ok = 0.0
    two_qubit = 0
    for (kind, qubits, cost), count in sites.items():
        where = tuple(moved.get(q, q) for q in qubits)
        times = cost * count
        if kind == "measure":
            log_ok += _log_ok(table.readout_errors.get(where[0]), times)
        elif kind == "2q":
            two_qubit += times
            log_ok += _log_ok(table.two_qubit_error(*where), times)
        else:
            log_ok += _log_ok(table.gate_error(kind, where), times)
    return math.exp(log_ok), two_qubit


def _log_ok(error: float | None, times: int) -> float:
    if error is None or error <= 0:
        return 0.0
    if error >= 1:
        return -math.inf
    return times * math.log1p(-error)
