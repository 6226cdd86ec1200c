"""The offline assistant's one service: analyze a circuit, explain a job, review QASM,
summarise a workspace's week. Every edge (API, CLI, and later the panel and the chat
bot's tools) calls these methods, which check access through ``workspaces.access``.

CPU work (parsing, transpiling, statevectors) runs in a thread so the event loop stays
free; the device caches it warms are the process's own (``engine.cache``), shared with
nothing that could block on them for long.
"""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.assistant import analysis
from qdeck.assistant.repository import AssistantRepository
from qdeck.assistant.schemas import (
    MAX_ANALYSIS_OPERATIONS,
    AnalyzeRequest,
    CircuitAnalysis,
    JobExplanation,
    Review,
    ReviewRequest,
    WeeklyInsights,
)
from qdeck.assistant.team_insights import BadWeek, insights, parse_week, week_window
from qdeck.auth.models import User
from qdeck.config import Settings
from qdeck.engine import AER_SIMULATOR, JobSpecError, Limits, default_catalog
from qdeck.errors import InvalidInput
from qdeck.jobs.errors import JobNotFound, invalid_job
from qdeck.jobs.repository import JobRepository
from qdeck.jobs.validation import engine_limits
from qdeck.workspaces.access import Action, authorize


class AssistantService:
    def __init__(self, session: AsyncSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings

    def _limits(self) -> Limits:
        limits = Limits.coerce(engine_limits(self.settings))
        return dataclasses.replace(
            limits, max_operations=min(limits.max_operations, MAX_ANALYSIS_OPERATIONS)
        )

    async def analyze(self, actor: User, body: AnalyzeRequest) -> CircuitAnalysis:
        """Any signed-in user may analyze a circuit: it reads no workspace's data."""
        backend = _simulated_backend(body.backend)
        devices = None
        if body.devices is not None:
            devices = [_simulated_backend(name, field="devices") for name in body.devices]
        try:
            result = await asyncio.to_thread(
                analysis.analyze_source,
                body.source,
                body.format,
                backend=backend,
                devices=devices,
                top=body.top,
                exhaustive=body.exhaustive,
                limits=self._limits(),
            )
        except JobSpecError as exc:
            raise invalid_job(exc) from None
        return CircuitAnalysis.model_validate(result)

    async def review(self, actor: User, body: ReviewRequest) -> Review:
        backend = _simulated_backend(body.backend)
        result = await asyncio.to_thread(analysis.review_source, body.source, backend)
        return Review.model_validate(result)

    async def explain_job(
        self, actor: User, job_id: uuid.UUID, *, target_standard_error: float = 0.01
    ) -> JobExplanation:
        """Another workspace's job is "not found", exactly like ``GET /jobs/{id}``."""
        jobs = JobRepository(self.session)
        job = await jobs.get(job_id, with_tags=False)
        if job is None:
            raise JobNotFound()
        await authorize(self.session, actor.id, job.workspace_id, Action.VIEW, resource="job")
        events = await jobs.events(job.id) if job.error_code else []
        limits = {
            **engine_limits(self.settings),
            "job_timeout_seconds": self.settings.job_timeout_seconds,
        }
        stored = analysis.StoredJob.of(job, events)
        result = await asyncio.to_thread(
            analysis.explain_stored_job, stored, limits, target_standard_error
        )
        return JobExplanation.model_validate(result)

    async def insights(
        self, actor: User, workspace_id: uuid.UUID, week: str | None = None
    ) -> WeeklyInsights:
        await authorize(self.session, actor.id, workspace_id, Action.VIEW)
        try:
            monday = parse_week(week) if week else _this_monday()
        except BadWeek as exc:
            raise InvalidInput(
                str(exc), code="invalid_week", errors=[{"field": "week", "message": str(exc)}]
            ) from None
        start, end = week_window(monday)
        rows = await AssistantRepository(self.session).jobs_between(workspace_id, start, end)
        return WeeklyInsights.model_validate(
            {"workspace_id": workspace_id, **insights(monday, rows)}
        )


def _this_monday():
    today = datetime.now(UTC).date()
    return today.fromisocalendar(*today.isocalendar()[:2], 1)


def _simulated_backend(name: str | None, field: str = "backend") -> str | None:
    """The offline analyzer knows qdeck's simulated backends; anything else is a 422."""
    if name is None:
        return None
    if name == AER_SIMULATOR or (name.startswith("fake_") and default_catalog().has(name)):
        return name
    message = (
        f"unknown backend {name!r}: the analyzer covers aer_simulator and the fake_* devices "
        "(GET /api/v1/backends lists them)"
    )
    raise InvalidInput(
        message, code="unknown_backend", errors=[{"field": field, "message": message}]
    )
