"""IBM Quantum access for a user: whose credentials, which devices, where a job goes.

A backend name qdeck simulates itself (``aer_simulator``, ``fake_*``) runs on the local
runner; any other name is an IBM Quantum device and needs credentials: the user's own
token from the vault first, else the instance-wide ``QDECK_IBM_QUANTUM_TOKEN``, else (with
``QDECK_IBM_QUANTUM_CHANNEL=local``) qiskit-ibm-runtime's local testing mode.
:class:`IbmQuantumTarget` is the execution target that sends those jobs to IBM.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.config import Settings
from qdeck.engine import AER_SIMULATOR, default_catalog
from qdeck.engine.ibm import (
    IbmCredentials,
    IbmRuntimeRunner,
    default_services,
    list_ibm_devices,
    resolve_backend,
)
from qdeck.engine.runner import RunRequest
from qdeck.jobs.models import Job
from qdeck.jobs.targets import Admission
from qdeck.vault.schemas import SecretName
from qdeck.vault.service import VaultService

LOCAL_CHANNEL = "local"
DEVICE_LIST_TTL_SECONDS = 60.0
_listings: dict[tuple[str, str, str | None], tuple[float, dict[str, Any]]] = {}


def is_simulated(backend: str) -> bool:
    """True for backends qdeck simulates in its own workers."""
    return backend == AER_SIMULATOR or default_catalog().has(backend)


async def credentials_for(
    session: AsyncSession, settings: Settings, user_id: uuid.UUID | None
) -> IbmCredentials | None:
    channel = settings.ibm_quantum_channel
    if channel == LOCAL_CHANNEL:
        return IbmCredentials.local()
    instance = settings.ibm_quantum_instance
    if user_id is not None:
        token = await VaultService(session, settings).get(user_id, SecretName.IBM_QUANTUM_TOKEN)
        if token:
            return IbmCredentials.from_token(token, channel, instance)
    if settings.ibm_quantum_token is not None:
        return IbmCredentials.from_token(settings.ibm_quantum_token, channel, instance)
    return None


@dataclass
class IbmQuantumTarget:
    """IBM Quantum devices: every backend name qdeck does not simulate itself. The work
    runs at IBM, so a job whose server died is followed again by its remote job id
    (``reattachable``) and never submitted, and paid for, twice."""

    runner: IbmRuntimeRunner
    settings: Settings
    name: str = "ibm_quantum"
    reattachable: bool = True

    def serves(self, backend: str) -> bool:
        return not is_simulated(backend)

    async def admit(self, session: AsyncSession, job: Job) -> Admission:
        """The submitter's credentials, looked up again: the token may be gone by now."""
        credentials = await credentials_for(session, self.settings, job.submitted_by)
        if credentials is None:
            return Admission.refuse(
                "ibm_token_required", "no IBM Quantum token is set up for the submitter any more"
            )
        return Admission(grant=credentials)

    async def start(
        self, request: RunRequest, grant: Any, *, remote_job_id: str | None = None
    ) -> None:
        # Credentials travel beside the request, never inside the stored spec.
        await self.runner.submit_ibm(request, grant, remote_job_id=remote_job_id)


async def ibm_devices(credentials: IbmCredentials, settings: Settings) -> dict[str, Any]:
    """``{"devices": [...], "error": None | {...}}``, cached for a minute per account."""
    key = credentials.cache_key
    cached = _listings.get(key)
    if cached and time.monotonic() - cached[0] < DEVICE_LIST_TTL_SECONDS:
        return cached[1]
    names = settings.ibm_local_devices if credentials.is_local else None
    listing = await asyncio.to_thread(list_ibm_devices, credentials, names=names)
    for device in listing["devices"]:
        if credentials.is_local:
            # Local mode answers with the fake's name; show the device the user asked for.
            device["name"] = _requested_name(device["name"], names or [])
    if listing["error"] is None:
        _listings[key] = (time.monotonic(), listing)
    return listing


async def resolve_device(credentials: IbmCredentials, name: str) -> Any:
    """The backend object (network: in a thread); raises qiskit's backend-not-found error."""
    service = await asyncio.to_thread(default_services().get, credentials)
    return await asyncio.to_thread(resolve_backend, service, credentials, name)


def _requested_name(fake_name: str, requested: list[str]) -> str:
    suffix = fake_name.removeprefix("fake_")
    for name in requested:
        if name.endswith(suffix) and not name.startswith("fake_"):
            return name
    return fake_name
