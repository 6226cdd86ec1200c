"""/api/v1/assistant: the offline analyzer over HTTP (analyze, explain, review, insights)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from qdeck.api.deps import CurrentUser, ServicesDep
from qdeck.assistant.schemas import (
    AnalyzeRequest,
    CircuitAnalysis,
    JobExplanation,
    Review,
    ReviewRequest,
    WeeklyInsights,
)

router = APIRouter(prefix="/assistant", tags=["assistant"])


@router.post("/analyze", response_model=CircuitAnalysis)
async def analyze_circuit(
    body: AnalyzeRequest, user: CurrentUser, services: ServicesDep
) -> CircuitAnalysis:
    """Width, depth and gate counts; transpiled figures and the estimated success
    probability on the best-screened devices (and ``backend``); the recommended device
    and layout; idle qubits, missing measurements, gates after measurement. Reads only."""
    return await services.assistant.analyze(user, body)


@router.get("/jobs/{job_id}/explain", response_model=JobExplanation)
async def explain_job(
    job_id: uuid.UUID,
    user: CurrentUser,
    services: ServicesDep,
    target_standard_error: Annotated[
        float, Query(gt=0, le=0.5, description="For the shots-needed figure")
    ] = 0.01,
) -> JobExplanation:
    """A failed job: cause, fix and where in the job it failed. A completed sampler job:
    fidelity to the ideal, error budget, shots needed, suspicious counts."""
    return await services.assistant.explain_job(
        user, job_id, target_standard_error=target_standard_error
    )


@router.post("/review", response_model=Review)
async def review_qasm(body: ReviewRequest, user: CurrentUser, services: ServicesDep) -> Review:
    """Lint OpenQASM: findings with line numbers and suggested rewrites. Reads only."""
    return await services.assistant.review(user, body)


@router.get("/workspaces/{workspace_id}/insights", response_model=WeeklyInsights)
async def workspace_insights(
    workspace_id: uuid.UUID,
    user: CurrentUser,
    services: ServicesDep,
    week: Annotated[
        str | None, Query(max_length=32, description="ISO week like 2026-W49; default: this week")
    ] = None,
) -> WeeklyInsights:
    """Jobs, success-rate trend, top failures, backends that got worse, queue waits,
    shots used and anomalies for one ISO week, against the eight weeks before it."""
    return await services.assistant.insights(user, workspace_id, week)
