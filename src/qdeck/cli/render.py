"""How jobs, results and backends look in a terminal (Rich)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from qdeck.backends.schemas import BackendDetail, BackendRead
from qdeck.client import JobResult
from qdeck.jobs.schemas import JobDetail, JobRead
from qdeck.jobs.status import JobStatus

STATUS_STYLE = {
    JobStatus.QUEUED: "yellow",
    JobStatus.RUNNING: "cyan",
    JobStatus.CANCELLING: "magenta",
    JobStatus.COMPLETED: "green",
    JobStatus.FAILED: "bold red",
    JobStatus.CANCELLED: "magenta",
}
BAR_WIDTH = 40
TOP_OUTCOMES = 16
_EIGHTHS = " ▏▎▍▌▋▊▉"


def status_text(status: str, phase: str | None = None) -> Text:
    label = f"{status} ({phase})" if phase else status
    return Text(label, style=STATUS_STYLE.get(status, ""))


def when(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S") if moment else "-"


def duration(job: JobRead) -> str:
    if job.started_at and job.finished_at:
        return f"{(job.finished_at - job.started_at).total_seconds():.2f} s"
    return "-"


def jobs_table(jobs: Sequence[JobRead]) -> Table:
    table = Table(title=f"{len(jobs)} job{'s' if len(jobs) != 1 else ''}", title_justify="left")
    for name in ("id", "name", "backend", "status", "qubits", "shots", "created", "tags"):
        table.add_column(name, no_wrap=name in ("id", "created"))
    for job in jobs:
        table.add_row(
            str(job.id),
            job.name,
            job.backend,
            status_text(job.status, job.phase),
            str(job.num_qubits),
            str(job.shots or "-"),
            when(job.created_at),
            ", ".join(job.tags),
        )
    return table


def _bar(fraction: float, width: int) -> str:
    eighths = round(fraction * width * 8)
    return "█" * (eighths // 8) + (_EIGHTHS[eighths % 8] if eighths % 8 else "")


def counts_chart(counts: dict[str, int], title: str = "counts") -> Table:
    """A horizontal bar per outcome, most frequent first (the top 16, then a summary)."""
    total = sum(counts.values()) or 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    table = Table(title=title, title_justify="left", box=None, show_header=False)
    table.add_column("outcome", style="bold")
    table.add_column("bar", style="cyan", no_wrap=True)
    table.add_column("count", justify="right")
    table.add_column("share", justify="right")
    peak = ranked[0][1] if ranked else 1
    for bitstring, count in ranked[:TOP_OUTCOMES]:
        table.add_row(bitstring, _bar(count / peak, BAR_WIDTH), str(count), f"{count / total:.1%}")
    rest = ranked[TOP_OUTCOMES:]
    if rest:
        others = sum(count for _, count in rest)
        table.add_row(f"{len(rest)} more", "", str(others), f"{others / total:.1%}")
    return table


def evs_table(data: dict[str, Any], title: str) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("observable", justify="right")
    table.add_column("expectation value", justify="right")
    table.add_column("std. error", justify="right")
    for k, (ev, std) in enumerate(zip(data["evs"], data["stds"], strict=True)):
        table.add_row(str(k), f"{ev:+.5f}", f"{std:.5f}")
    return table


def result_view(result: JobResult) -> Group:
    """Every circuit's first parameter set: counts as bars, or expectation values."""
    parts: list[Any] = []
    many = len(result.pubs) > 1
    for index, pub in enumerate(result.pubs):
        data = pub["data"]
        sampler = "counts" in data[0]
        title = "counts" if sampler else "expectation values"
        if many:
            title = f"circuit {index}: {title}"
        if len(data) > 1:
            # The rest is one `qdeck jobs export` away; a terminal shows the first.
            title += f" (1st of {len(data)} parameter sets)"
        parts.append(
            counts_chart(data[0]["counts"], title) if sampler else evs_table(data[0], title)
        )
    return Group(*parts)


def job_view(job: JobDetail) -> Group:
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column()
    rows: list[tuple[str, Any]] = [
        ("id", str(job.id)),
        ("name", job.name),
        ("status", status_text(job.status, job.phase)),
        ("backend", job.backend),
        ("primitive", str(job.primitive)),
        ("circuits", f"{job.num_circuits} ({job.num_qubits} qubits)"),
        ("shots", str(job.shots or "-")),
        ("tags", ", ".join(job.tags) or "-"),
        ("created", when(job.created_at)),
        ("ran for", duration(job)),
    ]
    if job.queue_position is not None:
        rows.append(("queue position", str(job.queue_position)))
    if job.error_message:
        where = f" while {job.failed_phase}" if job.failed_phase else ""
        rows.append(("error", Text(f"{job.error_message}{where} [{job.error_code}]", "red")))
    if job.retry_of_id:
        rows.append(("retry of", str(job.retry_of_id)))
    for key, value in rows:
        facts.add_row(key, value)
    events = Table(title="history", title_justify="left")
    for name in ("at", "status", "origin", "reason"):
        events.add_column(name)
    for event in job.events:
        events.add_row(
            when(event.at), status_text(event.to_status, event.phase), event.origin, event.reason
        )
    parts: list[Any] = [facts, events]
    if job.status == JobStatus.COMPLETED and job.result:
        parts.append(result_view(JobResult(job)))
    return Group(*parts)


def _error_rate(value: float | None) -> str:
    return f"{value:.2e}" if value is not None else "-"


def backends_table(backends: Sequence[BackendRead]) -> Table:
    table = Table(title=f"{len(backends)} backends", title_justify="left")
    for name in ("name", "kind", "qubits", "status", "queue", "2q error", "readout"):
        table.add_column(name, justify="right" if name in ("qubits", "queue") else "left")
    for backend in backends:
        errors = backend.median_errors
        table.add_row(
            backend.name,
            backend.kind,
            str(backend.num_qubits),
            Text(backend.status, "green" if backend.status == "online" else "yellow"),
            f"{backend.queue_length} (+{backend.running} running)",
            _error_rate(errors.two_qubit_gate_error if errors else None),
            _error_rate(errors.readout_error if errors else None),
        )
    return table


def backend_view(backend: BackendDetail) -> Table:
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column()
    errors = backend.median_errors
    rows = [
        ("name", backend.name),
        ("description", backend.description),
        ("kind", backend.kind),
        ("qubits", str(backend.num_qubits)),
        ("status", f"{backend.status} {backend.status_message}".strip()),
        ("queue", f"{backend.queue_length} waiting, {backend.running} running"),
        ("basis gates", ", ".join(backend.basis_gates)),
        ("couplings", str(len(backend.coupling_map))),
        (
            "largest circuit",
            ", ".join(f"{m}: {n}" for m, n in backend.max_qubits_by_method.items()),
        ),
    ]
    if errors:
        rows += [
            ("median 1q error", _error_rate(errors.single_qubit_gate_error)),
            ("median 2q error", _error_rate(errors.two_qubit_gate_error)),
            ("median readout", _error_rate(errors.readout_error)),
            ("median T1 / T2", f"{errors.t1_us or 0:.0f} µs / {errors.t2_us or 0:.0f} µs"),
        ]
    if backend.notes:
        rows.append(("notes", backend.notes))
    for key, value in rows:
        if value:
            facts.add_row(key, value)
    return facts
