"""``qdeck analyze``, ``qdeck review``, ``qdeck explain`` and ``qdeck insights``: the
offline assistant from a terminal.

They ask the logged-in server through the SDK, like ``qdeck jobs``. ``analyze`` and
``review`` also run with ``--offline``, in this process and without any server: the first
run then loads the fake devices' calibrations (seconds), which a running server has warm.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from pydantic import BaseModel
from rich.table import Table
from rich.text import Text

from qdeck.assistant.schemas import CircuitAnalysis, JobExplanation, Review, WeeklyInsights
from qdeck.cli.remote import JOB_FAILED, USAGE, connect, fail, friendly, out

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "dim"}
JsonOption = Annotated[bool, typer.Option("--json", help="Print the API's JSON.")]
BackendOption = Annotated[
    str | None, typer.Option("--backend", "-b", help="aer_simulator or a fake_* device.")
]
OfflineOption = Annotated[
    bool, typer.Option("--offline", help="Run here, without a server (slower first run).")
]


def _source(path: Path) -> str:
    if str(path) == "-":
        return typer.get_text_stream("stdin").read()
    if not path.is_file():
        fail(USAGE, f"no such file: {path}", "Give an OpenQASM 2/3 file (.qasm).")
    return path.read_text()


def _dump(model: BaseModel) -> None:
    print(json.dumps(model.model_dump(mode="json"), indent=2))


@friendly
def analyze(
    file: Annotated[Path, typer.Argument(help="OpenQASM 2/3 file, or - for stdin.")],
    backend: BackendOption = None,
    device: Annotated[
        list[str] | None, typer.Option("--device", "-d", help="Compare only these; repeatable.")
    ] = None,
    top: Annotated[int, typer.Option(min=1, max=10, help="Devices to transpile for real.")] = 3,
    exhaustive: Annotated[
        bool, typer.Option("--exhaustive", help="Transpile every device that fits.")
    ] = False,
    as_json: JsonOption = False,
    offline: OfflineOption = False,
) -> None:
    """Analyze a circuit: size, transpiled depth and two-qubit gates per device, the
    estimated success probability from calibration, and the device and layout to use.

    Example: qdeck analyze ghz.qasm --backend fake_sherbrooke
    """
    source = _source(file)
    if offline:
        result = _offline_analysis(source, backend, device, top, exhaustive)
    else:
        with connect() as client:
            result = client.assistant.analyze(
                source, backend=backend, devices=device, top=top, exhaustive=exhaustive
            )
    if as_json:
        _dump(result)
        return
    _show_analysis(result)


def _offline_analysis(source, backend, devices, top, exhaustive) -> CircuitAnalysis:
    from qdeck.assistant.analysis import analyze_source
    from qdeck.engine import JobSpecError, Limits

    try:
        data = analyze_source(
            source, None, backend=backend, devices=devices, top=top, exhaustive=exhaustive,
            limits=Limits(),
        )  # fmt: skip
    except JobSpecError as exc:
        fail(USAGE, str(exc))
    return CircuitAnalysis.model_validate(data)


def _show_analysis(result: CircuitAnalysis) -> None:
    facts = result.circuit
    counts = ", ".join(f"{name} {count}" for name, count in facts.gate_counts.items())
    out.print(
        f"{facts.num_qubits} qubits, depth {facts.depth}, {facts.two_qubit_gates} two-qubit "
        f"gates ({counts})"
    )
    for finding in result.findings:
        _print_finding(finding.severity, finding.code, finding.message, finding.suggestion)
    table = Table(title=f"Devices ({result.method}, optimization level 1)")
    for column in ("backend", "qubits", "depth", "2q gates", "estimate", "screen"):
        table.add_column(column, justify="left" if column == "backend" else "right")
    for c in result.candidates:
        if not c.transpiled and c.screened_probability is None:
            continue
        table.add_row(
            c.backend,
            str(c.num_qubits),
            _num(c.depth),
            _num(c.two_qubit_gates),
            f"{c.estimate.probability:.4f}" if c.estimate else "-",
            f"{c.screened_probability:.4f}" if c.screened_probability is not None else "-",
        )
    out.print(table)
    if result.recommended:
        best = result.recommended
        out.print(Text(f"Recommended: {best.backend}", style="bold green"))
        out.print(f"  layout {best.layout}; {best.reason}")


def _num(value: int | None) -> str:
    return "-" if value is None else str(value)


def _print_finding(severity: str, code: str, message: str, hint: str, where: str = "") -> None:
    line = Text(f"{where}{severity} ", style=SEVERITY_STYLE.get(severity, ""))
    line.append(f"[{code}] ", style="dim")
    line.append(message)
    out.print(line, soft_wrap=True)
    if hint:
        out.print(f"    {hint}", style="dim", soft_wrap=True)


@friendly
def review(
    file: Annotated[Path, typer.Argument(help="OpenQASM 2/3 file, or - for stdin.")],
    backend: BackendOption = None,
    as_json: JsonOption = False,
    offline: OfflineOption = False,
) -> None:
    """Lint OpenQASM: findings with line numbers and suggested rewrites. Exits 1 when a
    finding is an error (the engine would refuse the program, or the backend cannot run
    it), so it can guard a CI step.

    Example: qdeck review teleport.qasm --backend fake_manila
    """
    source = _source(file)
    if offline:
        from qdeck.assistant.analysis import review_source

        result = Review.model_validate(review_source(source, backend))
    else:
        with connect() as client:
            result = client.assistant.review(source, backend=backend)
    if as_json:
        _dump(result)
    else:
        for f in result.findings:
            where = f"{file}:{f.line}:{f.column or 1}: " if f.line else f"{file}: "
            _print_finding(f.severity, f.code, f.message, f.suggestion, where)
            if f.rewrite is not None:
                out.print(f"    rewrite: {f.rewrite}", style="green", soft_wrap=True)
        if not result.findings:
            out.print(f"{file}: no findings")
    if result.errors:
        raise typer.Exit(JOB_FAILED)


@friendly
def explain(
    job_id: Annotated[str, typer.Argument(help="The job's id.")],
    as_json: JsonOption = False,
) -> None:
    """Why a job failed and how to fix it, or how a finished job compares with the ideal.

    Example: qdeck explain 5f0c1d1e-...
    """
    with connect() as client:
        result = client.assistant.explain(job_id)
    if as_json:
        _dump(result)
        return
    _show_explanation(result)


def _show_explanation(result: JobExplanation) -> None:
    out.print(Text(f"Job {result.job_id} on {result.backend}: {result.status}", style="bold"))
    failure = result.failure
    if failure is not None:
        out.print(Text(failure.title, style="bold red"))
        out.print(f"Cause: {failure.cause}", soft_wrap=True)
        out.print(f"Fix: {failure.fix}", soft_wrap=True)
        if failure.message:
            out.print(f"Message: {failure.message}", style="dim", soft_wrap=True)
        for pointer in failure.pointers:
            extra = {k: v for k, v in pointer.model_dump().items() if k != "kind" and v is not None}
            out.print(f"  at {pointer.kind}: {extra}", soft_wrap=True)
        return
    out.print(result.summary, soft_wrap=True)
    for r in result.results:
        fidelity = "-" if r.hellinger_fidelity is None else f"{r.hellinger_fidelity:.4f}"
        out.print(
            f"  circuit {r.circuit_index}: {r.shots} shots, Hellinger fidelity {fidelity}, "
            f"{r.shots_needed.shots} shots for a standard error of "
            f"{r.shots_needed.target_standard_error}",
            soft_wrap=True,
        )


@friendly
def insights(
    workspace: Annotated[
        str | None, typer.Option("--workspace", "-w", help="Workspace id (default: personal).")
    ] = None,
    week: Annotated[str | None, typer.Option(help="ISO week, e.g. 2026-W49.")] = None,
    as_json: JsonOption = False,
) -> None:
    """A workspace's week: jobs, success-rate trend, top failures, backends that got worse,
    queue waits, shots used and anomalies.

    Example: qdeck insights --week 2026-W49
    """
    with connect() as client:
        workspace_id = workspace or str(client.workspaces.personal().id)
        result = client.assistant.insights(workspace_id, week=week)
    if as_json:
        _dump(result)
        return
    _show_insights(result)


def _show_insights(week: WeeklyInsights) -> None:
    rate = "-" if week.success_rate is None else f"{week.success_rate:.0%}"
    wait = "-" if week.median_queue_seconds is None else f"{week.median_queue_seconds:.1f} s"
    out.print(
        f"{week.week}: {week.jobs} jobs, {week.finished} finished, success {rate}, "
        f"median queue wait {wait}, {week.shots_used:,} shots"
    )
    for failure in week.top_failures:
        out.print(f"  {failure.count} x {failure.code}: {failure.title}")
    for backend in week.worse_backends:
        out.print(
            f"  worse: {backend.backend} {backend.success_rate:.0%} "
            f"(was {backend.previous_success_rate:.0%})",
            style="yellow",
        )
    for anomaly in week.anomalies:
        out.print(f"  anomaly: {anomaly.message}", style="bold red", soft_wrap=True)
