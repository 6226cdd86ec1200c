"""A device's coupling map as a graph: qubits coloured by error, a circuit's layout marked."""

from __future__ import annotations

from typing import Any

from qdeck.ui.components.charts import axis_colors

GOOD, BAD = (22, 163, 74), (220, 38, 38)


def _blend(value: float, low: float, high: float) -> str:
    t = 0.0 if high <= low else min(1.0, max(0.0, (value - low) / (high - low)))
    r, g, b = (round(a + (b_ - a) * t) for a, b_ in zip(GOOD, BAD, strict=True))
    return f"rgb({r},{g},{b})"


def coupling_graph(
    num_qubits: int,
    edges: list[list[int]],
    *,
    errors: dict[int, float] | None = None,
    layout: dict[int, int] | None = None,
    dark: bool = False,
) -> dict[str, Any]:
    """ECharts graph options. ``errors``: physical qubit -> error rate (green good, red
    bad); ``layout``: physical qubit -> the circuit's virtual qubit placed on it."""
    errors = errors or {}
    values = sorted(errors.values())
    low, high = (values[0], values[int(len(values) * 0.9)]) if values else (0.0, 1.0)
    text = axis_colors(dark)["text"]
    large = num_qubits > 40
    nodes = []
    for qubit in range(num_qubits):
        used = layout is not None and qubit in layout
        color = (
            "#6366f1"
            if used
            else _blend(errors[qubit], low, high)
            if qubit in errors
            else "#94a3b8"
        )
        label = f"q{layout[qubit]}→{qubit}" if used and layout else str(qubit)
        tip = f"qubit {qubit}" + (
            f"<br/>readout error {errors[qubit]:.2%}" if qubit in errors else ""
        )
        nodes.append(
            {
                "id": str(qubit),
                "name": label,
                "value": tip,
                "symbolSize": 26 if used else (14 if large else 34),
                "itemStyle": {"color": color, "opacity": 1 if used or layout is None else 0.55},
                "label": {
                    "show": used or not large,
                    "color": text if used else "#ffffff",
                    "fontSize": 10 if large else 12,
                    "fontWeight": 600,
                    "position": "right" if used else "inside",
                },
            }
        )
    seen = set()
    links = []
    for a, b in edges:
        key = (min(a, b), max(a, b))
        if key in seen:
            continue
        seen.add(key)
        active = layout is not None and a in layout and b in layout
        links.append(
            {
                "source": str(a),
                "target": str(b),
                "lineStyle": {
                    "width": 3 if active else 1.2,
                    "color": "#6366f1" if active else "rgba(148,163,184,.6)",
                },
            }
        )
    return {
        "backgroundColor": "transparent",
        "tooltip": {"formatter": "{c}", "confine": True},
        "animation": num_qubits <= 40,
        "series": [
            {
                "type": "graph",
                "layout": "force",
                "roam": True,
                "zoom": 0.85 if large else 1,
                "draggable": True,
                "force": {
                    "repulsion": 60 if large else 500,
                    "edgeLength": 18 if large else 90,
                    "gravity": 0.08 if large else 0.2,
                },
                "data": nodes,
                "links": links,
            }
        ],
    }
