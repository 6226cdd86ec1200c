"""Check a job spec before anything is stored: for qdeck's simulators, or for an IBM device.

Returns a summary (widths, circuit count, shots) or raises an API error naming the
mistake. Parsing big circuits and talking to IBM both happen in threads.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from qiskit.providers.exceptions import QiskitBackendNotFoundError
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.backends.ibm import credentials_for, is_simulated, resolve_device
from qdeck.config import Settings
from qdeck.engine import JobSpecError, validate_spec
from qdeck.engine.ibm import describe_ibm_error
from qdeck.engine.ibm.jobs import prepare_ibm_job
from qdeck.errors import InvalidInput, ServiceUnavailable
from qdeck.jobs.errors import invalid_job

# IBM Quantum names its devices ibm_<city> (older ones ibmq_<city>).
IBM_DEVICE_PREFIXES = ("ibm_", "ibmq_")


def engine_limits(settings: Settings) -> dict[str, int]:
    return {
        "max_shots": settings.max_shots,
        "max_circuits": settings.max_circuits_per_job,
        "memory_limit_bytes": settings.worker_memory_bytes,
    }


async def validate_submission(
    session: AsyncSession, settings: Settings, user_id: uuid.UUID, spec: dict[str, Any]
) -> dict[str, Any]:
    if is_simulated(spec["backend"]):
        try:
            return await asyncio.to_thread(validate_spec, spec, engine_limits(settings))
        except JobSpecError as exc:
            raise invalid_job(exc) from None
    return await _validate_for_ibm(session, settings, user_id, spec)


async def _validate_for_ibm(
    session: AsyncSession, settings: Settings, user_id: uuid.UUID, spec: dict[str, Any]
) -> dict[str, Any]:
    name = spec["backend"]
    if not name.startswith(IBM_DEVICE_PREFIXES):
        raise InvalidInput(
            f"There is no backend named {name!r}; GET /api/v1/backends lists them.",
            code="unknown_backend",
            errors=[{"field": "backend", "message": "unknown backend"}],
        )
    credentials = await credentials_for(session, settings, user_id)
    if credentials is None:
        raise InvalidInput(
            f"{name!r} is not one of qdeck's simulators, so it would run on IBM Quantum, and "
            "no IBM Quantum token is set up. Store yours with PUT "
            "/api/v1/me/secrets/ibm_quantum_token, or pick a backend from GET /api/v1/backends.",
            code="ibm_token_required",
            errors=[{"field": "backend", "message": "needs an IBM Quantum token"}],
        )
    try:
        device = await resolve_device(credentials, name)
    except QiskitBackendNotFoundError as exc:
        raise InvalidInput(
            str(exc), code="unknown_backend", errors=[{"field": "backend", "message": str(exc)}]
        ) from None
    except Exception as exc:
        error = describe_ibm_error(exc, secrets=credentials.secrets())
        if error["transient"]:
            raise ServiceUnavailable(
                f"IBM Quantum cannot be reached right now: {error['message']}", code=error["code"]
            ) from None
        raise InvalidInput(error["message"], code=error["code"]) from None
    try:
        job = await asyncio.to_thread(prepare_ibm_job, spec, device, engine_limits(settings))
    except JobSpecError as exc:
        raise invalid_job(exc) from None
    return {
        "num_circuits": len(job.pubs),
        "num_qubits": max(pub.circuit.num_qubits for pub in job.pubs),
        "shots": job.shots,
    }
