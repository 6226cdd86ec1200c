"""Where each qubit of a device is drawn: the same place on every load.

IBM users know their devices by the pictures ``qiskit.visualization.plot_gate_map`` draws
(heavy-hex lattices for Falcon, Hummingbird, Eagle). Those coordinates live as literals
inside that function in the installed Qiskit, so they are read from its source (no
matplotlib needed) and used when the device's coupling map fits them. Devices Qiskit has
no picture for (Heron, Nighthawk, ...) number their qubits row by row, so rows of
consecutive qubits stacked with their bridge qubits between them give the lattice; a
graph that is neither gets a seeded spring layout, which is still the same every time.
"""

from __future__ import annotations

import ast
import math
from functools import lru_cache
from pathlib import Path

Point = tuple[float, float]
# An edge longer than this (in lattice units) means the coordinates do not fit the device.
LONGEST_EDGE = 1.5


@lru_cache(maxsize=1)
def qiskit_coordinates() -> dict[int, list[Point]]:
    """``{num_qubits: [(row, column), ...]}`` as ``plot_gate_map`` has them."""
    try:
        import qiskit.visualization.gate_map as gate_map

        tree = ast.parse(Path(gate_map.__file__).read_text())
    except (ImportError, OSError, SyntaxError):  # pragma: no cover - a broken install
        return {}
    found: dict[int, list[Point]] = {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1):
            continue
        target = node.targets[0]
        if (
            isinstance(target, ast.Subscript)
            and isinstance(target.value, ast.Name)
            and target.value.id == "qubit_coordinates_map"
        ):
            try:
                size = ast.literal_eval(target.slice)
                points = ast.literal_eval(node.value)
            except ValueError:
                continue
            found[int(size)] = [(float(r), float(c)) for r, c in points]
    return found


def _fits(points: list[Point], edges: list[list[int]]) -> bool:
    return all(math.dist(points[a], points[b]) <= LONGEST_EDGE for a, b in edges)


def _rows_and_bridges(num_qubits: int, edges: list[list[int]]) -> list[Point] | None:
    """Rows of consecutively numbered, chained qubits; single qubits between two rows are
    bridges drawn halfway, above the row qubit they join."""
    linked = {(min(a, b), max(a, b)) for a, b in edges}
    runs: list[list[int]] = [[0]]
    for qubit in range(1, num_qubits):
        if (qubit - 1, qubit) in linked:
            runs[-1].append(qubit)
        else:
            runs.append([qubit])
    if len(runs) < 2:
        return None
    width = max(len(run) for run in runs)
    if width < 4:
        return None
    neighbours: dict[int, list[int]] = {q: [] for q in range(num_qubits)}
    for a, b in linked:
        neighbours[a].append(b)
        neighbours[b].append(a)
    points: dict[int, Point] = {}
    row = 0.0
    bridges: list[int] = []
    for run in runs:
        if len(run) * 2 >= width:
            if bridges:
                row += 1
            for column, qubit in enumerate(run):
                points[qubit] = (row, float(column))
            row += 1
            bridges = []
        else:
            bridges.extend(run)
            for qubit in run:
                points[qubit] = (row, -1.0)  # placed once the next row is known
    for qubit, (r, c) in list(points.items()):
        if c >= 0:
            continue
        placed = [points[n] for n in neighbours[qubit] if points.get(n, (0, -1))[1] >= 0]
        if not placed:
            return None
        points[qubit] = (r, sum(p[1] for p in placed) / len(placed))
    result = [points[q] for q in range(num_qubits)]
    return result if _fits(result, list(linked)) else None


def _spring(num_qubits: int, edges: list[list[int]]) -> list[Point]:
    import rustworkx as rx

    graph = rx.PyGraph()
    graph.add_nodes_from(range(num_qubits))
    graph.add_edges_from_no_data([(a, b) for a, b in edges if a != b])
    start = {
        q: (math.cos(2 * math.pi * q / num_qubits), math.sin(2 * math.pi * q / num_qubits))
        for q in range(num_qubits)
    }
    layout = rx.spring_layout(graph, pos=start, seed=7, num_iter=300)
    scale = max(2.0, math.sqrt(num_qubits))
    return [(layout[q][1] * scale, layout[q][0] * scale) for q in range(num_qubits)]


def qubit_positions(name: str, num_qubits: int, edges: list[list[int]]) -> list[Point]:
    """``(row, column)`` for each qubit; rows grow downwards."""
    if num_qubits <= 0:
        return []
    if num_qubits == 1:
        return [(0.0, 0.0)]
    known = qiskit_coordinates().get(num_qubits)
    # plot_gate_map only trusts its pictures for IBM devices (their names say so).
    if known and ("ibm" in name or "fake" in name) and _fits(known, edges):
        return known
    lattice = _rows_and_bridges(num_qubits, edges)
    if lattice is not None:
        return lattice
    if not edges:
        side = math.ceil(math.sqrt(num_qubits))
        return [(float(q // side), float(q % side)) for q in range(num_qubits)]
    return _spring(num_qubits, edges)
