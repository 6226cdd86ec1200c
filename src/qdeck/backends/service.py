"""The backend catalog as users see it: devices from the engine plus live queue figures."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.backends.ibm import credentials_for, ibm_devices
from qdeck.backends.schemas import (
    BackendDetail,
    BackendRead,
    FitResult,
    IbmAccountCheck,
    ProviderStatus,
)
from qdeck.config import Settings
from qdeck.engine import (
    AER_SIMULATOR,
    JobSpecError,
    Limits,
    default_catalog,
    fits,
    parse_circuit_entry,
)
from qdeck.engine.ibm import check_token
from qdeck.errors import NotFound
from qdeck.jobs.errors import invalid_job
from qdeck.jobs.models import Job
from qdeck.jobs.status import JobStatus
from qdeck.jobs.validation import engine_limits


def _hardware(device: dict[str, Any]) -> dict[str, Any]:
    """An IBM device in the catalog's shape, its IBM status mapped onto ours."""
    status = {"operational": "online", "paused": "paused"}.get(device.get("status", ""), "offline")
    return {
        **device,
        "status": status,
        "status_message": device.get("status_message") or "",
        "coupling_map": device.get("coupling_map") or [],
        "max_qubits_by_method": {},
        "notes": device.get("notes") or "IBM Quantum hardware",
        "description": device.get("description") or "IBM Quantum device",
    }


class BackendNotFound(NotFound):
    code = "backend_not_found"


def _limits(settings: Settings) -> Limits:
    return Limits.coerce(engine_limits(settings))


async def _devices(settings: Settings) -> list[dict[str, Any]]:
    # The first call loads every fake device's calibration (a few seconds): off the loop.
    infos = await asyncio.to_thread(
        default_catalog().devices, with_errors=True, limits=_limits(settings)
    )
    return [info.to_dict() for info in infos]


async def warm_catalog(settings: Settings) -> None:
    await _devices(settings)


class BackendService:
    def __init__(self, session: AsyncSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings

    async def list(
        self, user_id: uuid.UUID, *, kind: str | None = None, min_qubits: int = 0
    ) -> list[BackendRead]:
        queues = await self._queues()
        rows = []
        for device in await self._all_devices(user_id):
            if kind and device["kind"] != kind:
                continue
            if device["num_qubits"] < min_qubits:
                continue
            rows.append(BackendRead.model_validate(self._with_status(device, queues)))
        return rows

    async def get(self, user_id: uuid.UUID, name: str) -> BackendDetail:
        device = await self._device(name, user_id)
        return BackendDetail.model_validate(self._with_status(device, await self._queues()))

    async def providers(self, user_id: uuid.UUID) -> list[ProviderStatus]:
        simulated = await _devices(self.settings)
        fakes = sum(1 for d in simulated if d["kind"] == "fake_device")
        rows = [
            ProviderStatus(name="aer", status="ok", devices=1, message="ideal simulator"),
            ProviderStatus(
                name="ibm_fake",
                status="ok",
                devices=fakes,
                message="IBM devices' topology and calibration, simulated with noise",
            ),
        ]
        credentials = await credentials_for(self.session, self.settings, user_id)
        if credentials is None:
            rows.append(
                ProviderStatus(
                    name="ibm_quantum",
                    status="not_configured",
                    devices=0,
                    message="store an IBM Quantum token (PUT /api/v1/me/secrets/"
                    "ibm_quantum_token) to use real devices",
                )
            )
            return rows
        listing = await ibm_devices(credentials, self.settings)
        error = listing["error"]
        rows.append(
            ProviderStatus(
                name="ibm_quantum",
                status="error" if error else "ok",
                devices=len(listing["devices"]),
                message=error["message"]
                if error
                else ("local testing mode" if credentials.is_local else "connected"),
                code=error["code"] if error else None,
            )
        )
        return rows

    async def check_ibm(self, user_id: uuid.UUID) -> IbmAccountCheck:
        credentials = await credentials_for(self.session, self.settings, user_id)
        if credentials is None:
            return IbmAccountCheck(
                ok=False,
                error={"code": "ibm_token_required", "message": "no IBM Quantum token is set up"},
            )
        if credentials.is_local:
            listing = await ibm_devices(credentials, self.settings)
            names = [d["name"] for d in listing["devices"]]
            return IbmAccountCheck(ok=True, channel="local", backends=names)
        token = credentials.token.reveal() if credentials.token else ""
        result = await asyncio.to_thread(
            check_token, token, channel=credentials.channel, instance=credentials.instance
        )
        return IbmAccountCheck.model_validate(result.to_dict())

    async def _all_devices(self, user_id: uuid.UUID | None) -> list[dict[str, Any]]:
        devices = list(await _devices(self.settings))
        if user_id is None:
            return devices
        credentials = await credentials_for(self.session, self.settings, user_id)
        if credentials is not None:
            listing = await ibm_devices(credentials, self.settings)
            devices += [_hardware(d) for d in listing["devices"]]
        return devices

    async def calibration(self, name: str) -> dict[str, Any]:
        await self._device(name, None)
        if name == AER_SIMULATOR:
            return {"backend": name, "qubits": [], "gates": []}
        table = await asyncio.to_thread(default_catalog().calibration, name)
        return {"backend": name, **table}

    async def fit(self, name: str, source: str, fmt: str | None, method: str | None) -> FitResult:
        device = await self._device(name, None)
        entry = {"source": source, **({"format": fmt} if fmt else {})}
        try:
            circuits = await asyncio.to_thread(
                parse_circuit_entry, entry, 0, _limits(self.settings)
            )
        except JobSpecError as exc:
            raise invalid_job(exc) from None
        circuit = circuits[0]
        info = await asyncio.to_thread(
            default_catalog().info, device["name"], limits=_limits(self.settings)
        )
        ok, reason = await asyncio.to_thread(
            fits, info, circuit, method or "automatic", _limits(self.settings)
        )
        return FitResult(fits=ok, reason=reason, num_qubits=circuit.num_qubits)

    async def _device(self, name: str, user_id: uuid.UUID | None) -> dict[str, Any]:
        for device in await self._all_devices(user_id):
            if device["name"] == name:
                return device
        raise BackendNotFound(f"There is no backend named {name!r}.")

    async def _queues(self) -> dict[tuple[str, JobStatus], int]:
        rows = await self.session.execute(
            select(Job.backend, Job.status, func.count())
            .where(Job.status.in_([JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.CANCELLING]))
            .group_by(Job.backend, Job.status)
        )
        return {(backend, status): count for backend, status, count in rows.all()}

    @staticmethod
    def _with_status(
        device: dict[str, Any], queues: dict[tuple[str, JobStatus], int]
    ) -> dict[str, Any]:
        name = device["name"]
        return {
            **device,
            # The ideal simulator connects every qubit to every other: no map to draw.
            "coupling_map": device.get("coupling_map") or [],
            "status": device.get("status", "online"),
            "queue_length": device.get("pending_jobs", 0) + queues.get((name, JobStatus.QUEUED), 0),
            "running": queues.get((name, JobStatus.RUNNING), 0)
            + queues.get((name, JobStatus.CANCELLING), 0),
        }
