"""A device's coupling map: its real lattice, qubits coloured by error, a job's qubits marked.

Positions come from ``device_layout`` (Qiskit's own device pictures, or a deterministic
layout), so the map is the same on every load. ECharts fits the lattice into the chart
with a margin, keeping its aspect ratio, so no qubit is clipped; the chart's box takes
the lattice's aspect ratio too, so a 5-qubit line is not drawn in a tall empty box.
"""

from __future__ import annotations

from typing import Any

from nicegui import ui

from qdeck.ui.components.charts import axis_colors
from qdeck.ui.components.device_layout import qubit_positions

# Green (good) -> amber -> red (bad): readable on light and dark cards.
SCALE = ((22, 163, 74), (234, 179, 8), (220, 38, 38))
USED = "#6366f1"


def error_rgb(value: float, low: float, high: float) -> tuple[int, int, int]:
    t = 0.0 if high <= low else min(1.0, max(0.0, (value - low) / (high - low)))
    half = 0 if t < 0.5 else 1
    local = t * 2 - half
    start, end = SCALE[half], SCALE[half + 1]
    r, g, b = (round(a + (z - a) * local) for a, z in zip(start, end, strict=True))
    return r, g, b


def error_color(value: float, low: float, high: float) -> str:
    return "rgb({},{},{})".format(*error_rgb(value, low, high))


def label_color(rgb: tuple[int, int, int]) -> str:
    """Black or white, whichever reads better on the node (WCAG relative luminance)."""

    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2])
    return "#0f172a" if luminance > 0.2 else "#ffffff"


def error_range(errors: dict[int, float]) -> tuple[float, float]:
    """The colour scale's ends: the best qubit and the 90th percentile, so one broken
    qubit does not turn every other one green."""
    values = sorted(errors.values())
    if not values:
        return 0.0, 1.0
    return values[0], values[min(len(values) - 1, int(len(values) * 0.9))]


def coupling_graph(
    name: str,
    num_qubits: int,
    edges: list[list[int]],
    *,
    errors: dict[int, float] | None = None,
    layout: dict[int, int] | None = None,
    dark: bool = False,
) -> dict[str, Any]:
    """ECharts options. ``errors``: physical qubit -> error rate; ``layout``: physical
    qubit -> the circuit's virtual qubit placed on it."""
    errors = errors or {}
    layout = layout or {}
    low, high = error_range(errors)
    positions = qubit_positions(name, num_qubits, edges)
    large = num_qubits > 40
    size = 20 if large else 30
    text = axis_colors(dark)["text"]
    nodes = []
    for qubit, (row, column) in enumerate(positions):
        used = qubit in layout
        rgb = (
            (99, 102, 241)
            if used
            else error_rgb(errors[qubit], low, high)
            if qubit in errors
            else (148, 163, 184)
        )
        color = "rgb({},{},{})".format(*rgb)
        tip = f"physical qubit {qubit}"
        if used:
            tip += f"<br/>holds the circuit's q{layout[qubit]}"
        if qubit in errors:
            tip += f"<br/>error {errors[qubit]:.2%}"
        nodes.append(
            {
                "id": str(qubit),
                "name": f"q{layout[qubit]}" if used else str(qubit),
                "x": column,
                "y": row,
                "symbolSize": size + (8 if used else 0),
                "itemStyle": {
                    "color": color,
                    "borderColor": "#ffffff" if used else "transparent",
                    "borderWidth": 2 if used else 0,
                    "opacity": 1 if used or not layout else 0.45,
                },
                "label": {
                    "show": True,
                    "position": "inside",
                    # Whichever of black and white reads on the node; no halo.
                    "color": label_color(rgb),
                    "fontSize": (11 if used else 8) if large else 12,
                    "fontWeight": 700 if used else 500,
                    "textBorderWidth": 0,
                },
                "z": 3 if used else 2,
                "tooltip": {"formatter": tip},
            }
        )
    seen: set[tuple[int, int]] = set()
    links = []
    for a, b in edges:
        key = (min(a, b), max(a, b))
        if key in seen or a == b:
            continue
        seen.add(key)
        active = a in layout and b in layout
        links.append(
            {
                "source": str(a),
                "target": str(b),
                "lineStyle": {
                    "width": 4 if active else 1.5,
                    "color": USED if active else "rgba(148,163,184,.7)",
                    "opacity": 1,
                },
            }
        )
    # ECharts scales the lattice to the box between these margins; with the chart's
    # aspect ratio taken from the same box, the scale is equal on both axes: the lattice
    # keeps its shape and the outer qubits keep half a unit of room.
    width, height = lattice_box(positions)
    rows = [p[0] for p in positions] or [0.0]
    columns = [p[1] for p in positions] or [0.0]
    if max(rows) == min(rows) or max(columns) == min(columns):
        # A flat drawing has no extent to scale by: two invisible corners half a unit
        # out on its flat side give it one.
        pad_x = 0.5 if max(columns) == min(columns) else 0.0
        pad_y = 0.5 if max(rows) == min(rows) else 0.0
        nodes.append(_corner(min(columns) - pad_x, min(rows) - pad_y))
        nodes.append(_corner(max(columns) + pad_x, max(rows) + pad_y))
    horizontal = f"{50 / width:.3f}%"
    vertical = f"{50 / height:.3f}%"
    return {
        "backgroundColor": "transparent",
        "tooltip": {"confine": True, "textStyle": {"fontSize": 12}},
        "animation": False,
        "textStyle": {"color": text},
        "series": [
            {
                "type": "graph",
                "layout": "none",
                "aspectScale": 1,
                "roam": False,
                "draggable": False,
                "left": horizontal,
                "right": horizontal,
                "top": vertical,
                "bottom": vertical,
                "data": nodes,
                "links": links,
                "emphasis": {"disabled": True},
            }
        ],
    }


def _corner(x: float, y: float) -> dict[str, Any]:
    return {
        "id": f"corner {x} {y}",
        "name": "",
        "x": x,
        "y": y,
        "symbolSize": 0,
        "label": {"show": False},
        "tooltip": {"show": False},
        "silent": True,
    }


def lattice_box(positions: list[tuple[float, float]]) -> tuple[float, float]:
    """The drawing's (width, height) in lattice units, with half a unit of margin on each
    side so no qubit at the edge is cut; a single row or column gets a unit more."""
    positions = positions or [(0.0, 0.0)]
    rows = [p[0] for p in positions]
    columns = [p[1] for p in positions]
    width, height = max(columns) - min(columns) + 1, max(rows) - min(rows) + 1
    return (width + 1, height + 1) if width <= 1 or height <= 1 else (width, height)


def coupling_map(
    name: str,
    num_qubits: int,
    edges: list[list[int]],
    *,
    errors: dict[int, float] | None = None,
    layout: dict[int, int] | None = None,
    dark: bool = False,
    error_label: str = "readout error",
) -> ui.echart:
    """The map and, under it, the legend that says what the colours mean."""
    width, height = lattice_box(qubit_positions(name, num_qubits, edges))
    ratio = width / height
    chart = (
        ui.echart(coupling_graph(name, num_qubits, edges, errors=errors, layout=layout, dark=dark))
        .classes("mx-auto")
        # The box has the lattice's shape, at most 32rem tall.
        .style(f"height: auto; aspect-ratio: {ratio:.4f}; width: min(100%, {32 * ratio:.2f}rem)")
        .props(f'role="img" aria-label="Coupling map of {name}, {num_qubits} qubits"')
    )
    legend(errors or {}, layout or {}, error_label)
    return chart


def legend(errors: dict[int, float], layout: dict[int, int], error_label: str) -> None:
    with (
        ui.row()
        .classes("w-full items-center gap-x-6 gap-y-2 text-xs qd-muted")
        .mark("coupling-legend")
    ):
        if errors:
            low, high = error_range(errors)
            gradient = ", ".join(
                error_color(low + (high - low) * t, low, high) for t in (0, 0.5, 1)
            )
            with ui.row().classes("items-center gap-2 no-wrap"):
                ui.label(f"{error_label}: {low:.2%}")
                ui.element("div").classes("w-24 h-2.5 rounded-full").style(
                    f"background: linear-gradient(90deg, {gradient})"
                )
                ui.label(f"≥ {high:.2%}")
        if layout:
            with ui.row().classes("items-center gap-2 no-wrap"):
                ui.element("div").classes("w-3 h-3 rounded-full").style(f"background: {USED}")
                ui.label("used by this job (q = the circuit's qubit)")
            mapping = ", ".join(
                f"q{v} → {p}" for p, v in sorted(layout.items(), key=lambda i: i[1])
            )
            ui.label(f"Placement: {mapping}").classes("qd-mono").mark("layout-placement")
        if not errors and not layout:
            ui.label("No calibration data for this device.")
