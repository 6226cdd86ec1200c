"""Follow a job live in the terminal: a progress bar through its phases, then its result."""

from __future__ import annotations

from datetime import datetime

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from qdeck.cli.render import duration, result_view, status_text
from qdeck.client import Job, JobResult
from qdeck.client import Progress as JobProgress
from qdeck.jobs.status import JobPhase, JobStatus

# Where each observed state sits on the bar; a job's phases always come in this order.
STEPS = {JobPhase.TRANSPILING: 1, JobPhase.EXECUTING: 2, JobPhase.POST_PROCESSING: 3}
TOTAL = 4


def _describe(update: JobProgress) -> str:
    text = update.status
    if update.phase:
        text += f": {update.phase.replace('_', ' ')}"
    if update.status == JobStatus.QUEUED and update.queue_position:
        text += f" (position {update.queue_position})"
    return text


def _step(update: JobProgress) -> int:
    if update.status in (JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED):
        return TOTAL
    return STEPS.get(update.phase or "", 0)


def follow(job: Job, console: Console) -> JobResult:
    """Wait for the job showing each phase; raises JobFailed/JobCancelled like ``wait()``."""
    label = f"{job.info.name or job.id} on {job.info.backend}"
    if console.is_terminal:
        columns = (
            SpinnerColumn(),
            TextColumn("{task.fields[label]}", style="bold", markup=False),
            BarColumn(bar_width=20),
            TextColumn("{task.description}", markup=False),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console, transient=True) as bar:
            task = bar.add_task(job.info.status, total=TOTAL, label=label)

            def show(update: JobProgress) -> None:
                bar.update(task, description=_describe(update), completed=_step(update))

            result = job.wait(on_progress=show)
    else:
        # Logs and pipes get one line per change instead of a redrawn bar.
        console.print(f"following {job.id} ({label})")

        def show(update: JobProgress) -> None:
            console.print(f"{datetime.now().strftime('%H:%M:%S')}  {_describe(update)}")

        result = job.wait(on_progress=show)
    finished = result.job
    console.print(
        status_text(finished.status),
        f"{finished.id} in {duration(finished)} on {finished.backend}",
    )
    console.print(result_view(result))
    return result
