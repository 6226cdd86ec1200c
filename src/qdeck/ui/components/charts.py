"""ECharts options for qdeck's charts: pure functions of the data."""

from __future__ import annotations

from typing import Any

from qdeck.analytics.schemas import BackendSuccess, Charts, RunTimeBucket
from qdeck.jobs.status import JobStatus
from qdeck.ui.theme import STATUS_HEX

PALETTE = ["#6366f1", "#0ea5e9", "#14b8a6", "#f59e0b", "#ef4444", "#8b5cf6"]


def axis_colors(dark: bool) -> dict[str, str]:
    """Text and grid colours with enough contrast on the theme's cards (text at least
    4.5:1 on #131a2e and on white; a switched-off legend entry stays readable)."""
    if dark:
        return {"text": "#e2e8f0", "grid": "rgba(148,163,184,.22)", "inactive": "#7c89a1"}
    return {"text": "#334155", "grid": "rgba(100,116,139,.22)", "inactive": "#94a3b8"}


def legend(dark: bool) -> dict[str, Any]:
    colors = axis_colors(dark)
    return {
        "top": 0,
        "textStyle": {"color": colors["text"], "fontSize": 12},
        "inactiveColor": colors["inactive"],
    }


def value_label(dark: bool, **extra: Any) -> dict[str, Any]:
    """A number on a bar in plain text: ECharts strokes label text with an outline by
    default, which on a dark card reads as a blurred halo around "100%"."""
    return {
        "show": True,
        "color": axis_colors(dark)["text"],
        "textBorderWidth": 0,
        "textShadowBlur": 0,
        **extra,
    }


def base(dark: bool, **extra: Any) -> dict[str, Any]:
    colors = axis_colors(dark)
    axis = {
        "axisLabel": {"color": colors["text"], "fontSize": 12},
        "axisLine": {"lineStyle": {"color": colors["grid"]}},
        "splitLine": {"lineStyle": {"color": colors["grid"]}},
    }
    return {
        "backgroundColor": "transparent",
        "animationDuration": 250,
        "textStyle": {"color": colors["text"], "fontFamily": "Inter, system-ui, sans-serif"},
        "color": PALETTE,
        "grid": {"left": 44, "right": 16, "top": 36, "bottom": 36, "containLabel": False},
        "tooltip": {"trigger": "axis", "confine": True},
        "xAxis": {"type": "category", **axis},
        "yAxis": {"type": "value", "minInterval": 1, **axis},
        **extra,
    }


def empty_note(options: dict[str, Any], dark: bool, text: str) -> dict[str, Any]:
    """A message in the middle of a chart that has nothing to show yet."""
    options["graphic"] = [
        {
            "type": "text",
            "left": "center",
            "top": "middle",
            "style": {"text": text, "fill": axis_colors(dark)["text"], "fontSize": 13},
        }
    ]
    return options


def jobs_per_day(charts: Charts, dark: bool) -> dict[str, Any]:
    labels = [d.strftime("%b %d") for d in charts.days]
    index = {d: i for i, d in enumerate(charts.days)}
    statuses = [
        JobStatus.COMPLETED,
        JobStatus.FAILED,
        JobStatus.CANCELLED,
        JobStatus.RUNNING,
        JobStatus.QUEUED,
    ]
    series = []
    for status in statuses:
        values = [0] * len(labels)
        for row in charts.per_day:
            if row.status == status and row.day in index:
                values[index[row.day]] += row.count
        series.append(
            {
                "name": status,
                "type": "bar",
                "stack": "jobs",
                "data": values,
                "itemStyle": {"color": STATUS_HEX[status]},
                "barMaxWidth": 28,
            }
        )
    options = base(dark, series=series)
    options["xAxis"]["data"] = labels
    options["legend"] = legend(dark)
    if not charts.per_day:
        empty_note(options, dark, "No jobs in the last 14 days")
    return options


def run_times(buckets: list[RunTimeBucket], dark: bool) -> dict[str, Any]:
    options = base(
        dark,
        series=[
            {
                "name": "jobs",
                "type": "bar",
                "data": [b.count for b in buckets],
                "itemStyle": {"color": "#6366f1", "borderRadius": [6, 6, 0, 0]},
            }
        ],
    )
    options["xAxis"]["data"] = [b.label for b in buckets]
    options["grid"]["top"] = 16
    if not any(b.count for b in buckets):
        empty_note(options, dark, "No finished jobs in the last 7 days")
    return options


def success_by_backend(rows: list[BackendSuccess], dark: bool) -> dict[str, Any]:
    rows = rows[:8]
    options = base(
        dark,
        series=[
            {
                "name": "success rate",
                "type": "bar",
                "data": [round(100 * (r.rate or 0), 1) for r in rows],
                "itemStyle": {"color": "#16a34a", "borderRadius": [0, 6, 6, 0]},
                "label": value_label(dark, position="right", formatter="{c}%"),
            }
        ],
    )
    options["xAxis"], options["yAxis"] = options["yAxis"], options["xAxis"]
    options["xAxis"].update({"max": 100, "minInterval": None})
    options["yAxis"]["data"] = [r.backend for r in rows]
    options["grid"].update({"left": 120, "top": 8, "right": 48})
    if not rows:
        empty_note(options, dark, "No finished jobs in the last 30 days")
    return options


def histogram(
    labels: list[str], counts: list[int], ideal: list[float] | None, dark: bool, *, shots: int
) -> dict[str, Any]:
    """Measured counts as bars, the ideal distribution (scaled to shots) as a line."""
    series: list[dict[str, Any]] = [
        {
            "name": "measured",
            "type": "bar",
            "data": counts,
            "itemStyle": {"color": "#6366f1", "borderRadius": [6, 6, 0, 0]},
            "barMaxWidth": 48,
        }
    ]
    if ideal is not None:
        series.append(
            {
                "name": "ideal",
                "type": "line",
                "data": [round(p * shots, 2) for p in ideal],
                "symbol": "diamond",
                "symbolSize": 9,
                "lineStyle": {"type": "dashed"},
                "itemStyle": {"color": "#f59e0b"},
            }
        )
    options = base(dark, series=series)
    options["xAxis"].update(
        {
            "data": labels,
            "axisLabel": {
                "color": axis_colors(dark)["text"],
                "fontFamily": "monospace",
                "rotate": 45 if len(labels) > 12 else 0,
            },
        }
    )
    options["legend"] = legend(dark)
    return options


def expectation_values(
    labels: list[str], values: list[float], errors: list[float], dark: bool
) -> dict[str, Any]:
    """Expectation values as points, with ±1 standard error drawn as a thin box."""
    ranges = [[v - e, v - e, v, v + e, v + e] for v, e in zip(values, errors, strict=True)]
    options = base(
        dark,
        series=[
            {
                "name": "± std error",
                "type": "boxplot",
                "data": ranges,
                "boxWidth": [6, 6],
                "itemStyle": {"color": "transparent", "borderColor": "#94a3b8"},
            },
            {
                "name": "expectation value",
                "type": "scatter",
                "data": values,
                "symbolSize": 11,
                "itemStyle": {"color": "#6366f1"},
            },
        ],
    )
    options["xAxis"]["data"] = labels
    options["yAxis"].update({"minInterval": None, "scale": True})
    options["tooltip"] = {"trigger": "item", "confine": True}
    return options
