"""The analyzer's entry points on plain data, run in a thread by ``AssistantService``.

Each takes what the service read (a source, a stored job's fields) and returns JSON-able
dicts shaped like ``assistant.schemas``; nothing here touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qiskit import QuantumCircuit

from qdeck.assistant.circuit_analysis import circuit_facts, circuit_findings
from qdeck.assistant.device_sweep import OPTIMIZATION_LEVEL, sweep
from qdeck.assistant.failure_explanations import FailureFacts, explain_failure
from qdeck.assistant.qasm_review import review
from qdeck.assistant.result_analysis import analyze_counts
from qdeck.engine import JobSpecError, Limits, parse_circuit_entry
from qdeck.jobs.status import JobStatus

# A job page asks for at most this many result analyses (each may build a statevector).
MAX_ANALYZED_RESULTS = 8
# A real transpile of every device (~68 for small circuits) is for modest circuits only.
MAX_EXHAUSTIVE_OPERATIONS = 2_000


def analyze_source(
    source: str,
    fmt: str | None,
    *,
    backend: str | None,
    top: int,
    exhaustive: bool,
    limits: Limits,
    devices: list[str] | None = None,
) -> dict[str, Any]:
    entry = {"source": source, **({"format": fmt} if fmt else {})}
    circuit = parse_circuit_entry(entry, None, limits)[0]
    if exhaustive and len(circuit.data) > MAX_EXHAUSTIVE_OPERATIONS:
        raise JobSpecError(
            f"exhaustive sweeps are limited to {MAX_EXHAUSTIVE_OPERATIONS:,} operations; this "
            f"circuit has {len(circuit.data):,}: leave exhaustive off (the screen picks the "
            "devices to transpile) or name the devices",
            field="exhaustive",
            code="circuit_too_large",
        )
    return analyze_circuit(
        circuit, backend=backend, top=top, exhaustive=exhaustive, devices=devices
    )


def analyze_circuit(
    circuit: QuantumCircuit,
    *,
    backend: str | None = None,
    top: int = 3,
    exhaustive: bool = False,
    devices: list[str] | None = None,
) -> dict[str, Any]:
    if devices is not None and backend and backend not in devices:
        devices = [*devices, backend]
    result = sweep(circuit, backend=backend, top=top, exhaustive=exhaustive, devices=devices)
    candidates = [c.to_dict() for c in result.candidates]
    best = result.recommended
    recommended = None
    if best is not None and best.estimate is not None:
        recommended = {
            "backend": best.backend,
            "layout": best.layout,
            "probability": best.estimate.probability,
            "reason": (
                f"highest estimated success probability ({best.estimate.probability:.3f}) "
                f"of the devices transpiled, with {best.two_qubit_gates} two-qubit gates "
                f"and depth {best.depth}"
            ),
        }
    requested = next((c for c in candidates if c["backend"] == backend), None)
    return {
        "circuit": circuit_facts(circuit).to_dict(),
        "findings": [f.to_dict() for f in circuit_findings(circuit)],
        "candidates": candidates,
        "recommended": recommended,
        "requested_backend": requested,
        "too_small": result.too_small,
        "optimization_level": OPTIMIZATION_LEVEL,
        "seed": result.seed,
        "method": "exhaustive" if exhaustive else f"screen+top{top}",
    }


def review_source(source: str, backend: str | None) -> dict[str, Any]:
    return review(source, backend)


@dataclass(frozen=True)
class StoredJob:
    """The fields of a job row the explanation needs, copied out of the session."""

    id: str
    status: str
    backend: str
    spec: dict[str, Any]
    result: dict[str, Any] | None
    error_code: str | None
    error_message: str | None
    failed_phase: str | None
    shots: int | None
    num_qubits: int
    timeout_seconds: int | None
    attempts: int
    failure_details: dict[str, Any]

    @classmethod
    def of(cls, job: Any, events: list[Any]) -> StoredJob:
        failed = [e for e in events if str(e.to_status) == JobStatus.FAILED]
        return cls(
            id=str(job.id),
            status=str(job.status),
            backend=job.backend,
            spec=dict(job.spec or {}),
            result=job.result,
            error_code=job.error_code,
            error_message=job.error_message,
            failed_phase=job.failed_phase,
            shots=job.shots,
            num_qubits=job.num_qubits,
            timeout_seconds=job.timeout_seconds,
            attempts=job.attempts,
            failure_details=dict(failed[-1].details or {}) if failed else {},
        )


def explain_stored_job(
    job: StoredJob, limits: dict[str, int], target_standard_error: float
) -> dict[str, Any]:
    failure = None
    results: list[dict[str, Any]] = []
    if job.status == JobStatus.FAILED:
        facts = FailureFacts(
            code=job.error_code,
            message=job.error_message or "",
            backend=job.backend,
            spec=job.spec,
            phase=job.failed_phase,
            spec_field=job.failure_details.get("field"),
            num_qubits=job.num_qubits,
            shots=job.shots,
            timeout_seconds=job.timeout_seconds,
            attempts=job.attempts,
            limits=limits,
        )
        failure = explain_failure(facts)
        summary = f"{failure['title']}. {failure['fix']}"
    elif job.status == JobStatus.COMPLETED:
        results = _analyze_results(job, target_standard_error)
        summary = _result_summary(results)
    else:
        summary = f"The job is {job.status}; there is nothing to explain until it finishes."
    return {
        "job_id": job.id,
        "status": job.status,
        "backend": job.backend,
        "summary": summary,
        "failure": failure,
        "results": results,
    }


def _analyze_results(job: StoredJob, target: float) -> list[dict[str, Any]]:
    pubs = (job.result or {}).get("pubs") or []
    if (job.result or {}).get("primitive", job.spec.get("primitive")) != "sampler":
        return []
    circuits: dict[int, list[QuantumCircuit]] = {}
    out: list[dict[str, Any]] = []
    for pub in pubs:
        index, sub = int(pub.get("circuit_index", 0)), int(pub.get("sub_index", 0))
        circuit = _circuit(job.spec, index, sub, circuits)
        if circuit is None:
            continue
        for binding, data in enumerate(pub.get("data") or []):
            if len(out) >= MAX_ANALYZED_RESULTS:
                return out
            bound = _bound(circuit, job.spec, index, binding)
            report = analyze_counts(
                bound,
                data.get("counts") or {},
                backend=job.backend,
                transpiled_qasm=(pub.get("transpiled") or {}).get("qasm"),
                target_standard_error=target,
            )
            out.append({"circuit_index": index, "sub_index": sub, "binding": binding, **report})
    return out


def _circuit(spec: dict, index: int, sub: int, cache: dict) -> QuantumCircuit | None:
    if index not in cache:
        entries = spec.get("circuits") or []
        try:
            cache[index] = parse_circuit_entry(entries[index], index)
        except (IndexError, JobSpecError):
            cache[index] = []
    found = cache[index]
    return found[sub] if sub < len(found) else None


def _bound(circuit: QuantumCircuit, spec: dict, index: int, binding: int) -> QuantumCircuit:
    if not circuit.parameters:
        return circuit
    rows = (spec.get("circuits") or [{}])[index].get("parameter_values") or []
    if binding >= len(rows):
        return circuit
    return circuit.assign_parameters(dict(zip(circuit.parameters, rows[binding], strict=False)))


def _result_summary(results: list[dict[str, Any]]) -> str:
    if not results:
        return "The job finished; it has no sampler counts to compare with an ideal run."
    first = results[0]
    parts = []
    if first["hellinger_fidelity"] is not None:
        parts.append(f"Hellinger fidelity to the ideal result {first['hellinger_fidelity']:.3f}")
    budget = first.get("error_budget")
    if budget:
        parts.append(f"errors are {budget['dominant']}-dominated by the calibration estimate")
    for suspicion in first["suspicious"]:
        parts.append(suspicion["message"])
    if not parts:
        return "The job finished; no ideal comparison was possible for this circuit."
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."
