"""Explain one failed job: the catalogue's cause and fix, pointed at the part of the job
that failed (a QASM line, a qubit count against a device's size, a spec field, a limit).

Works on plain data (``FailureFacts``) taken from the stored job, so it needs neither the
database nor the network, and the same job always gets the same explanation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from qdeck.assistant.failure_catalog import explanation_for

_LINE = re.compile(r"line (\d+)(?:, column (\d+))?")
_CIRCUIT = re.compile(r"circuit (\d+)")
_TOO_WIDE = re.compile(r"circuit (\d+) has (\d+) qubits but (\S+) has only (\d+)")
_OBSERVABLE = re.compile(r"observable (\d+) term '([^']*)' acts on (\d+) qubits but circuit (\d+)")
_BYTES = re.compile(r"needs ([\d.]+ \w?i?B)")


@dataclass(frozen=True)
class FailureFacts:
    code: str | None
    message: str
    backend: str
    spec: dict[str, Any]
    phase: str | None = None
    spec_field: str | None = None  # the spec field the engine blamed, when it named one
    num_qubits: int = 0
    shots: int | None = None
    timeout_seconds: int | None = None
    attempts: int = 0
    limits: dict[str, int] = field(default_factory=dict)  # max_shots, memory_limit_bytes...


def explain_failure(facts: FailureFacts) -> dict[str, Any]:
    entry = explanation_for(facts.code)
    pointers = _pointers(facts)
    fix = entry.fix
    extra = _specific_fix(facts)
    if extra:
        fix = f"{extra} {fix}"
    return {
        "code": facts.code or "failed",
        "known": entry.code != "unknown",
        "title": entry.title,
        "cause": entry.cause,
        "fix": fix,
        "retry_helps": entry.retry_helps,
        "message": facts.message,
        "pointers": pointers,
    }


def _pointers(facts: FailureFacts) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    code, message = facts.code, facts.message
    if code == "circuit_parse_error":
        found += _qasm_line(facts)
    wide = _TOO_WIDE.search(message)
    if wide:
        index, width, backend, size = wide.groups()
        found.append(
            {
                "kind": "backend_limit",
                "backend": backend,
                "limit": "num_qubits",
                "allowed": int(size),
                "actual": int(width),
                "circuit_index": int(index),
            }
        )
    observable = _OBSERVABLE.search(message)
    if observable:
        k, pauli, length, index = observable.groups()
        found.append(
            {
                "kind": "spec_field",
                "field": f"circuits[{index}].observables[{k}]",
                "value": pauli,
                "detail": f"{length} letters for a {facts.num_qubits}-qubit circuit",
            }
        )
    if code == "too_many_shots":
        found.append(
            {
                "kind": "backend_limit",
                "backend": facts.backend,
                "limit": "max_shots",
                "allowed": facts.limits.get("max_shots"),
                "actual": facts.spec.get("shots") or facts.shots,
            }
        )
    if code in ("too_large_for_memory", "out_of_memory"):
        needed = _BYTES.search(message)
        found.append(
            {
                "kind": "backend_limit",
                "backend": facts.backend,
                "limit": "memory_limit_bytes",
                "allowed": facts.limits.get("memory_limit_bytes"),
                "actual": needed.group(1) if needed else None,
                "num_qubits": facts.num_qubits,
                "method": facts.spec.get("method") or "automatic",
            }
        )
    if code == "timeout":
        found.append(
            {
                "kind": "limit",
                "limit": "timeout_seconds",
                "allowed": facts.timeout_seconds or facts.limits.get("job_timeout_seconds"),
            }
        )
    if facts.spec_field and not any(p.get("field") == facts.spec_field for p in found):
        found.append({"kind": "spec_field", "field": facts.spec_field, "value": _value(facts)})
    if code and code.startswith("ibm_"):
        found.append({"kind": "backend", "backend": facts.backend})
    if facts.phase:
        found.append({"kind": "phase", "phase": facts.phase, "attempts": facts.attempts})
    return found


def _qasm_line(facts: FailureFacts) -> list[dict[str, Any]]:
    where = _LINE.search(facts.message)
    circuit = _CIRCUIT.search(facts.message)
    index = int(circuit.group(1)) if circuit else 0
    if where is None:
        return [{"kind": "qasm_line", "circuit_index": index, "line": None}]
    line = int(where.group(1))
    column = int(where.group(2)) if where.group(2) else None
    return [
        {
            "kind": "qasm_line",
            "circuit_index": index,
            "line": line,
            "column": column,
            "text": _source_line(facts.spec, index, line),
        }
    ]


def _source_line(spec: dict[str, Any], index: int, line: int) -> str | None:
    circuits = spec.get("circuits") or []
    if not 0 <= index < len(circuits) or not isinstance(circuits[index], dict):
        return None
    source = circuits[index].get("source")
    if not isinstance(source, str):
        return None
    lines = source.splitlines()
    return lines[line - 1] if 0 < line <= len(lines) else None


def _value(facts: FailureFacts) -> Any:
    key = facts.spec_field or ""
    return facts.spec.get(key) if key in facts.spec else None


def _specific_fix(facts: FailureFacts) -> str:
    """The catalogue's advice made concrete with this job's numbers."""
    wide = _TOO_WIDE.search(facts.message)
    if wide:
        from qdeck.assistant.device_sweep import fitting_devices

        width = int(wide.group(2))
        fit, _ = fitting_devices(width)
        sizes = sorted(fit, key=_device_size)[:3]
        if sizes:
            return f"Devices with at least {width} qubits include {', '.join(sizes)}."
    if facts.code == "too_many_shots" and facts.limits.get("max_shots"):
        return f"This server allows at most {facts.limits['max_shots']:,} shots per job."
    limit = facts.timeout_seconds or facts.limits.get("job_timeout_seconds")
    if facts.code == "timeout" and limit:
        return f"It was stopped after {limit} s."
    return ""


def _device_size(name: str) -> tuple[int, str]:
    from qdeck.engine import default_catalog

    return (int(default_catalog().backend(name).configuration().n_qubits), name)
