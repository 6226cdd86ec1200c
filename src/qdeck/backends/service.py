"""The backend catalog as users see it: devices from the engine plus live queue figures."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.backends.schemas import BackendDetail, BackendRead, FitResult
from qdeck.config import Settings
from qdeck.engine import (
    AER_SIMULATOR,
    JobSpecError,
    Limits,
    default_catalog,
    fits,
    parse_circuit_entry,
)
from qdeck.errors import NotFound
from qdeck.jobs.errors import invalid_job
from qdeck.jobs.models import Job
from qdeck.jobs.service import engine_limits
from qdeck.jobs.status import JobStatus


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

    async def list(self, *, kind: str | None = None, min_qubits: int = 0) -> list[BackendRead]:
        queues = await self._queues()
        rows = []
        for device in await _devices(self.settings):
            if kind and device["kind"] != kind:
                continue
            if device["num_qubits"] < min_qubits:
                continue
            rows.append(BackendRead.model_validate(self._with_status(device, queues)))
        return rows

    async def get(self, name: str) -> BackendDetail:
        device = await self._device(name)
        return BackendDetail.model_validate(self._with_status(device, await self._queues()))

    async def calibration(self, name: str) -> dict[str, Any]:
        await self._device(name)
        if name == AER_SIMULATOR:
            return {"backend": name, "qubits": [], "gates": []}
        table = await asyncio.to_thread(default_catalog().calibration, name)
        return {"backend": name, **table}

    async def fit(self, name: str, source: str, fmt: str | None, method: str | None) -> FitResult:
        device = await self._device(name)
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

    async def _device(self, name: str) -> dict[str, Any]:
        for device in await _devices(self.settings):
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
            "status": "online",
            "queue_length": queues.get((name, JobStatus.QUEUED), 0),
            "running": queues.get((name, JobStatus.RUNNING), 0)
            + queues.get((name, JobStatus.CANCELLING), 0),
        }
