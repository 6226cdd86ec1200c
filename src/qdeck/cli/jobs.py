"""``qdeck submit`` and ``qdeck jobs ...``: run circuits and manage jobs from a terminal."""

from __future__ import annotations

import base64
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from qdeck.cli.remote import EXIT_CODES_HELP, USAGE, connect, err, fail, friendly, out
from qdeck.cli.render import job_view, jobs_table
from qdeck.cli.watch import follow
from qdeck.jobs.schemas import CircuitIn

app = typer.Typer(
    help=f"List, inspect, follow, cancel, retry and export jobs.\n\n{EXIT_CODES_HELP}\n\n"
    "Example: qdeck jobs list --status completed --tag noisy",
    no_args_is_help=True,
)
FILTER_KEYS = ("status", "backend", "tag", "q", "project_id", "workspace_id")


class Format(StrEnum):
    csv = "csv"
    json = "json"


def _dump(models: Any) -> None:
    """JSON on stdout for scripts: exactly the API's fields."""
    if isinstance(models, list):
        print(json.dumps([m.model_dump(mode="json") for m in models], indent=2))
    else:
        print(json.dumps(models.model_dump(mode="json"), indent=2))


def _circuit(path: Path) -> CircuitIn:
    if str(path) == "-":
        return CircuitIn(source=sys.stdin.read())
    if not path.is_file():
        fail(USAGE, f"no such file: {path}", "Give an OpenQASM 2/3 file (.qasm) or a QPY file.")
    if path.suffix == ".qpy":
        return CircuitIn(format="qpy", source=base64.b64encode(path.read_bytes()).decode())
    return CircuitIn(source=path.read_text())


@friendly
def submit(
    file: Annotated[Path, typer.Argument(help="OpenQASM 2/3 file, a .qpy file, or - for stdin.")],
    backend: Annotated[
        str, typer.Option("--backend", "-b", help="aer_simulator or a fake_* device.")
    ] = "aer_simulator",
    shots: Annotated[int | None, typer.Option("--shots", "-s", min=1, help="Shots.")] = None,
    name: Annotated[str | None, typer.Option(help="Job name (default: the file's).")] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", "-t", help="Tag; repeatable.")] = None,
    seed: Annotated[int | None, typer.Option(help="Seed for transpiler and simulator.")] = None,
    wait: Annotated[
        bool, typer.Option("--wait", "-w", help="Follow it live; show counts.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the job as JSON.")] = False,
) -> None:
    """Submit a circuit file as a sampler job.

    With --wait, follow the job through its phases and finish with its counts as a bar
    chart; the exit code is 1 if the job fails.

    Example: qdeck submit bell.qasm --backend fake_sherbrooke --shots 2000 --wait
    """
    circuit = _circuit(file)
    default_name = "stdin" if str(file) == "-" else file.stem
    with connect() as client:
        job = client.jobs.submit(
            circuit, backend=backend, shots=shots, name=name or default_name, tags=tag, seed=seed
        )
        if as_json and not wait:
            _dump(job.info)
            return
        err.print(f"submitted {job.id} ({job.info.name}) to {backend}")
        if wait:
            result = follow(job, err if as_json else out)
            if as_json:
                _dump(result.job)
        else:
            out.print(f"Follow it with: qdeck jobs watch {job.id}")


def _filters(**given: Any) -> dict[str, Any]:
    return {k: v for k, v in given.items() if v not in (None, [], ())}


@app.command("list")
@friendly
def list_jobs(
    status: Annotated[list[str] | None, typer.Option(help="queued, running, completed...")] = None,
    backend: Annotated[str | None, typer.Option(help="Backend name.")] = None,
    tag: Annotated[str | None, typer.Option(help="Jobs with this tag.")] = None,
    search: Annotated[
        str | None, typer.Option("--search", "-q", help="Text in name or notes.")
    ] = None,
    project: Annotated[str | None, typer.Option(help="Project id.")] = None,
    workspace: Annotated[str | None, typer.Option(help="Workspace id.")] = None,
    after: Annotated[str | None, typer.Option(help="Created after (ISO 8601).")] = None,
    before: Annotated[str | None, typer.Option(help="Created before (ISO 8601).")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many (newest first).")] = 20,
    all_pages: Annotated[bool, typer.Option("--all", help="Every matching job.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """List jobs, newest first, with the API's filters.

    Example: qdeck jobs list --status failed --backend fake_sherbrooke --json
    """
    filters = _filters(
        status=status, backend=backend, tag=tag, q=search, project_id=project,
        workspace_id=workspace, created_after=after, created_before=before,
    )  # fmt: skip
    with connect() as client:
        jobs = []
        for job in client.jobs.iter(**filters):
            if not all_pages and len(jobs) >= limit:
                break
            jobs.append(job)
    if as_json:
        _dump(jobs)
    else:
        out.print(jobs_table(jobs))


@app.command("show")
@friendly
def show(
    job_id: Annotated[str, typer.Argument(help="The job's id.")],
    as_json: Annotated[bool, typer.Option("--json", help="The whole job as JSON.")] = False,
) -> None:
    """Show one job: its settings, history, and result (counts as a bar chart).

    Example: qdeck jobs show 5f0c8f9e-...
    """
    with connect() as client:
        job = client.jobs.get(job_id).info
    if as_json:
        _dump(job)
    else:
        out.print(job_view(job))


@app.command("watch")
@friendly
def watch(job_id: Annotated[str, typer.Argument(help="The job's id.")]) -> None:
    """Follow a job live until it finishes, then show its result (exit 1 if it fails).

    Example: qdeck jobs watch 5f0c8f9e-...
    """
    with connect() as client:
        follow(client.jobs.get(job_id), out)


@app.command("cancel")
@friendly
def cancel(
    job_ids: Annotated[list[str] | None, typer.Argument(help="Job ids.")] = None,
    filter_: Annotated[
        list[str] | None,
        typer.Option("--filter", "-f", help=f"KEY=VALUE, keys: {', '.join(FILTER_KEYS)}."),
    ] = None,
) -> None:
    """Cancel jobs by id, or every queued or running job matching filters.

    A queued job is cancelled at once; a running one is stopped ("stopping").

    Example: qdeck jobs cancel --filter tag=noisy --filter backend=fake_sherbrooke
    """
    if bool(job_ids) == bool(filter_):
        fail(USAGE, "give job ids or --filter KEY=VALUE (not both)")
    filters: dict[str, Any] = {}
    for item in filter_ or []:
        key, sep, value = item.partition("=")
        if not sep or key not in FILTER_KEYS:
            fail(USAGE, f"bad filter {item!r}", f"Use KEY=VALUE with KEY one of {FILTER_KEYS}.")
        if key == "status":
            filters.setdefault("status", []).append(value)
        else:
            filters[key] = value
    with connect() as client:
        outcome = client.jobs.cancel_many(job_ids or None, **filters)
    for job_id in outcome.cancelled:
        out.print(f"cancelled {job_id}")
    for job_id in outcome.cancelling:
        out.print(f"stopping  {job_id} (it was running)")
    for skipped in outcome.skipped:
        out.print(f"skipped   {skipped['id']}: {skipped['reason']}", style="yellow")
    if not (outcome.cancelled or outcome.cancelling or outcome.skipped):
        out.print("no queued or running job matched")
    if any(s["reason"] == "job not found" for s in outcome.skipped):
        raise typer.Exit(USAGE)


@app.command("retry")
@friendly
def retry(
    job_id: Annotated[str, typer.Argument(help="A finished job's id.")],
    wait: Annotated[bool, typer.Option("--wait", "-w", help="Follow the new job live.")] = False,
) -> None:
    """Run a finished job again, as a new job linked to it.

    Example: qdeck jobs retry 5f0c8f9e-... --wait
    """
    with connect() as client:
        job = client.jobs.retry(job_id)
        out.print(f"retrying as {job.id}")
        if wait:
            follow(job, out)


@app.command("export")
@friendly
def export(
    job_id: Annotated[str | None, typer.Argument(help="One job; omit to export a list.")] = None,
    format_: Annotated[Format, typer.Option("--format", help="csv or json.")] = Format.csv,
    output: Annotated[Path, typer.Option("--output", "-o", help="File; - for stdout.")] = Path("-"),
    status: Annotated[list[str] | None, typer.Option(help="Filter: status.")] = None,
    backend: Annotated[str | None, typer.Option(help="Filter: backend.")] = None,
    tag: Annotated[str | None, typer.Option(help="Filter: tag.")] = None,
    search: Annotated[str | None, typer.Option("--search", "-q", help="Filter: text.")] = None,
) -> None:
    """Export one job (its outcomes) or a filtered list of jobs, as CSV or JSON.

    Example: qdeck jobs export --format csv --tag noisy -o noisy.csv
    """
    with connect() as client:
        text = client.jobs.export(
            job_id,
            format=format_.value,
            **_filters(status=status, backend=backend, tag=tag, q=search),
        )
    if str(output) == "-":
        sys.stdout.write(text)
        return
    output.write_text(text)
    err.print(f"wrote {output} ({len(text.encode()):,} bytes)")
