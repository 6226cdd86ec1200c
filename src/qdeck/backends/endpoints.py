"""/api/v1/backends: what can run jobs, its status and queue, calibration, fit checks."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from qdeck.api.deps import CurrentUser, ServicesDep
from qdeck.backends.calibration import calibration_csv
from qdeck.backends.schemas import (
    BackendDetail,
    BackendRead,
    Calibration,
    FitCheck,
    FitResult,
    IbmAccountCheck,
    ProviderStatus,
)

router = APIRouter(tags=["backends"])


@router.get("/backends", response_model=list[BackendRead])
async def list_backends(
    user: CurrentUser,
    services: ServicesDep,
    kind: Literal["simulator", "fake_device", "hardware"] | None = None,
    min_qubits: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> list[BackendRead]:
    """Every backend with its status, queue and median error rates."""
    return await services.backends.list(user.id, kind=kind, min_qubits=min_qubits)


@router.get("/backends/providers", response_model=list[ProviderStatus])
async def backend_providers(user: CurrentUser, services: ServicesDep) -> list[ProviderStatus]:
    """Where backends come from, and whether IBM Quantum is set up and reachable for you."""
    return await services.backends.providers(user.id)


@router.post("/backends/providers/ibm_quantum/check", response_model=IbmAccountCheck)
async def check_ibm_account(user: CurrentUser, services: ServicesDep) -> IbmAccountCheck:
    """Try your IBM Quantum credentials now: which instance and devices they reach."""
    return await services.backends.check_ibm(user.id)


@router.get("/backends/{name}", response_model=BackendDetail)
async def get_backend(name: str, user: CurrentUser, services: ServicesDep) -> BackendDetail:
    return await services.backends.get(user.id, name)


@router.get("/backends/{name}/calibration", response_model=Calibration)
async def backend_calibration(
    name: str,
    user: CurrentUser,
    services: ServicesDep,
    format: Literal["json", "csv"] = "json",
) -> Calibration | Response:
    """Per-qubit T1, T2 and readout error, and per-gate error; CSV for a spreadsheet."""
    table = await services.backends.calibration(name)
    if format == "csv":
        return Response(
            calibration_csv(table),
            media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}-calibration.csv"'},
        )
    return Calibration.model_validate(table)


@router.post("/backends/{name}/fit", response_model=FitResult)
async def check_fit(
    name: str, body: FitCheck, user: CurrentUser, services: ServicesDep
) -> FitResult:
    """Whether a circuit fits this backend (width, memory for the method), and why not."""
    return await services.backends.fit(name, body.source, body.format, body.method)
