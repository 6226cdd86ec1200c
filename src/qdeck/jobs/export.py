"""Export jobs as JSON or CSV: one job with its full result, or a filtered list."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from qdeck.jobs.models import Job

LIST_COLUMNS = [
    "id", "name", "status", "backend", "primitive", "shots", "num_circuits", "num_qubits",
    "tags", "priority", "attempts", "created_at", "started_at", "finished_at",
    "run_seconds", "error_code", "error_message",
]  # fmt: skip


def job_summary(job: Job) -> dict[str, Any]:
    run_seconds = (
        round((job.finished_at - job.started_at).total_seconds(), 3)
        if job.started_at and job.finished_at
        else None
    )
    return {
        "id": str(job.id),
        "name": job.name,
        "status": job.status.value,
        "backend": job.backend,
        "primitive": job.primitive.value,
        "shots": job.shots,
        "num_circuits": job.num_circuits,
        "num_qubits": job.num_qubits,
        "tags": [t.tag for t in job.tags],
        "priority": job.priority,
        "attempts": job.attempts,
        "created_at": job.created_at.isoformat(),
        "started_at": job.started_at.isoformat() if job.started_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
        "run_seconds": run_seconds,
        "error_code": job.error_code,
        "error_message": job.error_message,
    }


def _full(job: Job) -> dict[str, Any]:
    return {**job_summary(job), "notes": job.notes, "spec": job.spec, "result": job.result}


def job_json(job: Job) -> str:
    return json.dumps(_full(job), indent=2)


def jobs_json(jobs: Iterable[Job]) -> str:
    return json.dumps([_full(job) for job in jobs], indent=2)


def jobs_csv(jobs: Iterable[Job]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=LIST_COLUMNS)
    writer.writeheader()
    for job in jobs:
        row = job_summary(job)
        row["tags"] = ";".join(row["tags"])
        writer.writerow(row)
    return out.getvalue()


def result_csv(job: Job) -> str:
    """One row per outcome: counts for a sampler job, expectation values for an estimator."""
    out = io.StringIO()
    writer = csv.writer(out)
    pubs = (job.result or {}).get("pubs", [])
    if job.primitive.value == "sampler":
        writer.writerow(["circuit", "binding", "bitstring", "count", "probability"])
        for c, pub in enumerate(pubs):
            for b, data in enumerate(pub.get("data", [])):
                counts = data.get("counts", {})
                shots = sum(counts.values()) or 1
                for bitstring, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
                    writer.writerow([c, b, bitstring, count, round(count / shots, 6)])
    else:
        writer.writerow(["circuit", "binding", "observable", "expectation_value", "std_error"])
        for c, pub in enumerate(pubs):
            for b, data in enumerate(pub.get("data", [])):
                for o, (ev, std) in enumerate(
                    zip(data.get("evs", []), data.get("stds", []), strict=False)
                ):
                    writer.writerow([c, b, o, ev, std])
    return out.getvalue()
