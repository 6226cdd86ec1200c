"""``qdeck demo``: real jobs, so a fresh dashboard and its analytics have something true to show.

Everything is really simulated: textbook circuits on the ideal simulator and on fake IBM
devices (with their calibrated noise), a parameter sweep run in a quantum session, one
long simulation that is cancelled while it runs, and one that exceeds its time limit and
fails. Nothing is made up, so the numbers shown afterwards are the ones qdeck measured.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass
from typing import Annotated, Any

import typer
from rich.table import Table

from qdeck.circuit_library import BELL, GHZ5
from qdeck.cli.remote import JOB_FAILED, connect, err, friendly, out
from qdeck.cli.render import status_text
from qdeck.client import Job, JobError, QDeckClient
from qdeck.jobs.status import JobStatus

PROJECT = "qdeck demo"
# Two Grover iterations find the marked item 101 among 8 with ~95% probability.
_ORACLE = "x q[1]; h q[2]; ccx q[0],q[1],q[2]; h q[2]; x q[1];"
_DIFFUSER = (
    "h q[0]; h q[1]; h q[2]; x q[0]; x q[1]; x q[2]; h q[2]; ccx q[0],q[1],q[2]; h q[2]; "
    "x q[0]; x q[1]; x q[2]; h q[0]; h q[1]; h q[2];"
)
GROVER = (
    'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[3];\ncreg c[3];\nh q[0]; h q[1]; h q[2];\n'
    + f"{_ORACLE}\n{_DIFFUSER}\n" * 2
    + "measure q -> c;\n"
)
# Phase estimation of the T gate (phase 1/8) with three counting qubits: reads 001.
QPE_T = """OPENQASM 3.0;
include "stdgates.inc";
qubit[4] q;
bit[3] c;
x q[3];
h q[0];
h q[1];
h q[2];
cp(pi/4) q[0], q[3];
cp(pi/2) q[1], q[3];
cp(pi) q[2], q[3];
swap q[0], q[2];
h q[0];
cp(-pi/2) q[0], q[1];
h q[1];
cp(-pi/4) q[0], q[2];
cp(-pi/2) q[1], q[2];
h q[2];
c[0] = measure q[0];
c[1] = measure q[1];
c[2] = measure q[2];
"""
# cos(θ/2)|00> + sin(θ/2)|11>: <ZZ> = 1, <XX> = sin θ, <ZI> = cos θ.
SWEEP = """OPENQASM 3.0;
include "stdgates.inc";
input float[64] theta;
qubit[2] q;
ry(theta) q[0];
cx q[0], q[1];
"""
SWEEP_OBSERVABLES = [[["ZZ", 1.0]], [["XX", 1.0]], [["ZI", 1.0]]]
SWEEP_ANGLES = [[k * 3.141592653589793 / 4] for k in range(5)]


def long_simulation(qubits: int = 24, layers: int = 40) -> str:
    """A dense non-Clifford circuit: a statevector worker needs minutes for it."""
    lines = ["OPENQASM 2.0;", 'include "qelib1.inc";', f"qreg q[{qubits}];", f"creg c[{qubits}];"]
    for layer in range(layers):
        lines += [f"rx({0.1 + 0.01 * (q + layer):.3f}) q[{q}]; t q[{q}];" for q in range(qubits)]
        lines += [f"cx q[{q}],q[{q + 1}];" for q in range(layer % 2, qubits - 1, 2)]
    return "\n".join([*lines, "measure q -> c;"])


@dataclass
class Planned:
    job: Job
    expect: str  # the status this demo job should end in


def _summary(job: Job) -> str:
    info = job.info
    if info.status == JobStatus.FAILED:
        return f"{info.error_message} [{info.error_code}]"
    if info.status == JobStatus.CANCELLED:
        return "stopped on request while it ran"
    data = (job.info.result or {}).get("pubs", [{}])[0].get("data", [{}])
    if "counts" in data[0]:
        counts = data[0]["counts"]
        top = max(counts, key=counts.get)
        return f"most frequent {top}: {counts[top] / sum(counts.values()):.1%}"
    evs = [f"{ev:+.3f}" for ev in data[-1]["evs"]]
    return f"{len(data)} angles; at θ=π: <ZZ>, <XX>, <ZI> = {', '.join(evs)}"


def _project(client: QDeckClient) -> Any:
    workspace = client.workspaces.personal()
    for project in client.projects.list(workspace.id):
        if project.name == PROJECT:
            return project
    return client.projects.create(workspace.id, PROJECT, "Jobs run by `qdeck demo`.")


def _submit_all(client: QDeckClient, project_id: Any) -> list[Planned]:
    def job(source: Any, expect: str = JobStatus.COMPLETED, **fields: Any) -> Planned:
        tags = ["demo", *fields.pop("tags", [])]
        submitted = client.jobs.submit(source, project_id=project_id, tags=tags, **fields)
        return Planned(submitted, expect)

    planned = [
        job(BELL, name="Bell pair", shots=2000, tags=["entanglement"]),
        job(BELL, name="Bell pair (noisy)", backend="fake_sherbrooke", shots=2000, tags=["noisy"]),
        job(
            GHZ5, name="GHZ state, 5 qubits", backend="fake_sherbrooke", shots=4000, tags=["noisy"]
        ),
        job(GROVER, name="Grover search for 101", shots=1000, tags=["algorithms"]),
        job(QPE_T, name="Phase estimation of T", backend="fake_manila", shots=1000, tags=["noisy"]),
    ]
    session = client.sessions.open("aer_simulator", project_id=project_id, name="demo sweep")
    sweep = {"source": SWEEP, "observables": SWEEP_OBSERVABLES, "parameter_values": SWEEP_ANGLES}
    planned.append(
        job(sweep, name="Ry sweep", primitive="estimator", session_id=session.id, tags=["vqe"])
    )
    client.sessions.close(session.id)
    slow = long_simulation()
    planned.append(job(slow, JobStatus.CANCELLED, name="Long simulation (cancelled)", shots=100))
    planned.append(
        job(slow, JobStatus.FAILED, name="Over its time limit", shots=100, timeout_seconds=1)
    )
    return planned


def _cancel_when_running(job: Job, limit: float = 120.0) -> None:
    """Cancel once it really runs, so the dashboard shows a stopped simulation."""
    deadline = time.monotonic() + limit
    while job.refresh().info.status == JobStatus.QUEUED and time.monotonic() < deadline:
        time.sleep(0.2)
    if job.info.status in (JobStatus.QUEUED, JobStatus.RUNNING):
        job.cancel()


@friendly
def demo(
    quiet: Annotated[bool, typer.Option("--quiet", help="Only the final table.")] = False,
) -> None:
    """Run a realistic set of real jobs so the dashboard has something true to show.

    Textbook circuits on the ideal simulator and fake IBM devices, a parameter sweep in
    a quantum session, one job cancelled while it runs and one that fails on its time
    limit; all tagged `demo`, in the project "qdeck demo". Takes under a minute.

    Example: qdeck demo
    """
    with connect() as client:
        project = _project(client)
        planned = _submit_all(client, project.id)
        if not quiet:
            err.print(f"submitted {len(planned)} jobs to {client.url}; waiting for them")
        _cancel_when_running(next(p.job for p in planned if p.expect == JobStatus.CANCELLED))
        for item in planned:
            # Two of them are meant to end without a result; statuses are compared below.
            with contextlib.suppress(JobError):
                item.job.wait(timeout=300)
            if not quiet:
                err.print(f"  {item.job.info.name}: {item.job.info.status}")
    table = Table(title=f"qdeck demo: {len(planned)} jobs", title_justify="left")
    for column in ("job", "backend", "status", "outcome"):
        table.add_column(column)
    for item in planned:
        info = item.job.info
        table.add_row(info.name, info.backend, status_text(info.status), _summary(item.job))
    out.print(table)
    wrong = [p.job.info.name for p in planned if p.job.info.status != p.expect]
    if wrong:
        err.print(f"these jobs did not end as expected: {', '.join(wrong)}", style="red")
        raise typer.Exit(JOB_FAILED)
    out.print(f"See them in the dashboard at {client.url} (project {PROJECT!r}, tag demo).")
