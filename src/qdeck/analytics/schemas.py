from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class DashboardStats:
    """The numbers on the dashboard's cards, for one workspace."""

    jobs_today: int
    running_now: int
    queued_now: int
    finished_7d: int
    # Completed over finished (completed + failed) in the last 7 days; None without any.
    success_rate_7d: float | None
    median_queue_seconds: float | None
    median_run_seconds: float | None


@dataclass(frozen=True)
class DailyCount:
    day: date
    status: str
    count: int


@dataclass(frozen=True)
class BackendSuccess:
    backend: str
    completed: int
    failed: int

    @property
    def rate(self) -> float | None:
        total = self.completed + self.failed
        return self.completed / total if total else None


@dataclass(frozen=True)
class RunTimeBucket:
    label: str
    count: int


@dataclass(frozen=True)
class Charts:
    days: list[date]
    per_day: list[DailyCount]
    run_times: list[RunTimeBucket]
    by_backend: list[BackendSuccess]
