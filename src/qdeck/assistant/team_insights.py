"""A workspace's week in numbers, compared with the weeks before it.

Weeks are ISO weeks (Monday 00:00 UTC to the next Monday), and a job belongs to the week
it was submitted in. Per week: jobs submitted, finished (completed + failed), success
rate (completed / finished), the top failure codes, queue wait (submission to start) as
median and 90th percentile, and shots used (shots x circuits of completed jobs).

* **Backends that got worse**: this week's success rate on a backend against the pooled
  previous weeks, with at least ``MIN_BACKEND_JOBS`` finished jobs on each side, a drop
  of at least ``MIN_DROP`` and a two-proportion z-score of ``-2`` or below.
* **Anomalies**: a robust rule, because one bad week must not hide the next: the value is
  anomalous when it exceeds ``median + 3 * max(1.4826 * MAD, floor)`` of the previous
  weeks that had at least ``MIN_WEEK_JOBS`` finished jobs, given at least
  ``MIN_HISTORY_WEEKS`` such weeks (1.4826 * MAD estimates the standard deviation for
  normal data; the floor, 5 points of failure rate or 5 s of wait, keeps a perfectly
  steady history from calling any wobble an anomaly). Checked for the failure rate and
  the median queue wait.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from qdeck.assistant.failure_catalog import explanation_for
from qdeck.assistant.repository import JobRow
from qdeck.jobs.status import JobStatus

HISTORY_WEEKS = 8
MIN_WEEK_JOBS = 3
MIN_HISTORY_WEEKS = 4
MIN_BACKEND_JOBS = 5
MIN_DROP = 0.1
MAD_SCALE = 1.4826
FLOORS = {"failure_rate": 0.05, "median_queue_seconds": 5.0}
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


class BadWeek(ValueError):
    pass


def parse_week(text: str) -> date:
    """``2026-W49`` -> the Monday it starts on; BadWeek for anything else."""
    match = _WEEK.match(text)
    if match is None:
        raise BadWeek(f"week must look like 2026-W49 (ISO year, 'W', week number), got {text!r}")
    year, week = int(match.group(1)), int(match.group(2))
    try:
        return date.fromisocalendar(year, week, 1)
    except ValueError:
        raise BadWeek(f"{text} does not exist: {year} has weeks 1 to "
                      f"{date(year, 12, 28).isocalendar().week}") from None  # fmt: skip


def week_label(monday: date) -> str:
    iso = monday.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def week_window(monday: date, history: int = HISTORY_WEEKS) -> tuple[datetime, datetime]:
    start = datetime(monday.year, monday.month, monday.day, tzinfo=UTC)
    return start - timedelta(weeks=history), start + timedelta(weeks=1)


@dataclass
class WeekStats:
    week: str
    jobs: int
    finished: int
    completed: int
    failed: int
    success_rate: float | None
    median_queue_seconds: float | None
    p90_queue_seconds: float | None
    shots_used: int
    failure_codes: Counter
    by_backend: dict[str, tuple[int, int]]  # backend -> (completed, failed)

    @property
    def failure_rate(self) -> float | None:
        return None if self.success_rate is None else 1.0 - self.success_rate


def week_stats(label: str, rows: list[JobRow]) -> WeekStats:
    completed = [r for r in rows if r.status == JobStatus.COMPLETED]
    failed = [r for r in rows if r.status == JobStatus.FAILED]
    finished = len(completed) + len(failed)
    waits = sorted(
        (r.started_at - r.created_at).total_seconds()
        for r in rows
        if r.started_at is not None and r.started_at >= r.created_at
    )
    by_backend: dict[str, tuple[int, int]] = {}
    for row in completed + failed:
        done, bad = by_backend.get(row.backend, (0, 0))
        ok = row.status == JobStatus.COMPLETED
        by_backend[row.backend] = (done + ok, bad + (not ok))
    return WeekStats(
        week=label,
        jobs=len(rows),
        finished=finished,
        completed=len(completed),
        failed=len(failed),
        success_rate=len(completed) / finished if finished else None,
        median_queue_seconds=statistics.median(waits) if waits else None,
        p90_queue_seconds=_percentile(waits, 0.9) if waits else None,
        shots_used=sum((r.shots or 0) * max(1, r.num_circuits) for r in completed),
        failure_codes=Counter(r.error_code or "failed" for r in failed),
        by_backend=by_backend,
    )


def _percentile(sorted_values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    position = (len(sorted_values) - 1) * q
    low = math.floor(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def insights(monday: date, rows: list[JobRow], history: int = HISTORY_WEEKS) -> dict[str, Any]:
    weeks = [monday - timedelta(weeks=k) for k in range(history, -1, -1)]
    buckets: dict[str, list[JobRow]] = {week_label(w): [] for w in weeks}
    for row in rows:
        iso = row.created_at.astimezone(UTC).isocalendar()
        label = f"{iso.year}-W{iso.week:02d}"
        if label in buckets:
            buckets[label].append(row)
    stats = [week_stats(label, bucket) for label, bucket in buckets.items()]
    current, previous = stats[-1], stats[:-1]
    return {
        "week": current.week,
        "starts": monday.isoformat(),
        "jobs": current.jobs,
        "finished": current.finished,
        "completed": current.completed,
        "failed": current.failed,
        "success_rate": current.success_rate,
        "median_queue_seconds": current.median_queue_seconds,
        "p90_queue_seconds": current.p90_queue_seconds,
        "shots_used": current.shots_used,
        "top_failures": [
            {"code": code, "count": count, "title": explanation_for(code).title}
            for code, count in current.failure_codes.most_common(5)
        ],
        "trend": [
            {"week": s.week, "jobs": s.jobs, "finished": s.finished, "success_rate": s.success_rate}
            for s in stats
        ],
        "worse_backends": _worse_backends(current, previous),
        "anomalies": _anomalies(current, previous),
    }


def _worse_backends(current: WeekStats, previous: list[WeekStats]) -> list[dict[str, Any]]:
    out = []
    for backend, (done, bad) in sorted(current.by_backend.items()):
        before_done = sum(s.by_backend.get(backend, (0, 0))[0] for s in previous)
        before_bad = sum(s.by_backend.get(backend, (0, 0))[1] for s in previous)
        now_n, before_n = done + bad, before_done + before_bad
        if now_n < MIN_BACKEND_JOBS or before_n < MIN_BACKEND_JOBS:
            continue
        now_rate, before_rate = done / now_n, before_done / before_n
        pooled = (done + before_done) / (now_n + before_n)
        spread = math.sqrt(pooled * (1 - pooled) * (1 / now_n + 1 / before_n))
        z = (now_rate - before_rate) / spread if spread > 0 else 0.0
        if before_rate - now_rate >= MIN_DROP and z <= -2:
            out.append(
                {
                    "backend": backend,
                    "success_rate": now_rate,
                    "previous_success_rate": before_rate,
                    "finished": now_n,
                    "previous_finished": before_n,
                    "z": z,
                }
            )
    return out


def _anomalies(current: WeekStats, previous: list[WeekStats]) -> list[dict[str, Any]]:
    found = []
    usable = [s for s in previous if s.finished >= MIN_WEEK_JOBS]
    for metric, floor in FLOORS.items():
        value = getattr(current, metric)
        history = [getattr(s, metric) for s in usable if getattr(s, metric) is not None]
        if value is None or current.finished < MIN_WEEK_JOBS or len(history) < MIN_HISTORY_WEEKS:
            continue
        centre = statistics.median(history)
        mad = statistics.median(abs(h - centre) for h in history)
        bound = centre + 3 * max(MAD_SCALE * mad, floor)
        if value > bound:
            found.append(
                {
                    "metric": metric,
                    "value": value,
                    "usual": centre,
                    "bound": bound,
                    "weeks_compared": len(history),
                    "message": f"{metric.replace('_', ' ')} {_show(metric, value)} is above the "
                    f"usual range (median {_show(metric, centre)}, bound {_show(metric, bound)})",
                }
            )
    return found


def _show(metric: str, value: float) -> str:
    return f"{value:.0%}" if metric == "failure_rate" else f"{value:.1f} s"
