"""The offline assistant from Python: ``client.assistant`` (sync) and the same on
``AsyncQDeckClient``. Calls are built once here for both clients; the models are the
server's own (``qdeck.assistant.schemas``)."""

from __future__ import annotations

from collections.abc import Sequence

from qdeck.assistant.schemas import (
    AnalyzeRequest,
    CircuitAnalysis,
    JobExplanation,
    Review,
    ReviewRequest,
    WeeklyInsights,
)
from qdeck.client.calls import Id, _body, _one, query
from qdeck.client.circuits import CircuitLike, circuit_in
from qdeck.client.resources import AsyncSender, Sender
from qdeck.client.transport import Call


def analyze(body: AnalyzeRequest) -> Call[CircuitAnalysis]:
    # Reads only: safe to repeat although it is a POST.
    return Call("POST", "/assistant/analyze", _one(CircuitAnalysis), json=_body(body))


def review(body: ReviewRequest) -> Call[Review]:
    return Call("POST", "/assistant/review", _one(Review), json=_body(body))


def explain(job_id: Id, target_standard_error: float | None) -> Call[JobExplanation]:
    params = query(target_standard_error=target_standard_error)
    return Call("GET", f"/assistant/jobs/{job_id}/explain", _one(JobExplanation), params=params)


def insights(workspace_id: Id, week: str | None) -> Call[WeeklyInsights]:
    path = f"/assistant/workspaces/{workspace_id}/insights"
    return Call("GET", path, _one(WeeklyInsights), params=query(week=week))


def _analyze_body(
    circuit: CircuitLike,
    backend: str | None,
    devices: Sequence[str] | None,
    top: int | None,
    exhaustive: bool | None,
) -> AnalyzeRequest:
    source = circuit_in(circuit)
    fields = {"backend": backend, "top": top, "exhaustive": exhaustive}
    given = {k: v for k, v in fields.items() if v is not None}
    if devices is not None:
        given["devices"] = list(devices)
    return AnalyzeRequest(source=source.source, format=source.format, **given)


class Assistant:
    def __init__(self, client: Sender) -> None:
        self._c = client

    def analyze(
        self,
        circuit: CircuitLike,
        *,
        backend: str | None = None,
        devices: Sequence[str] | None = None,
        top: int | None = None,
        exhaustive: bool | None = None,
    ) -> CircuitAnalysis:
        """Transpiled figures, success estimates and the recommended device and layout."""
        return self._c._send(analyze(_analyze_body(circuit, backend, devices, top, exhaustive)))

    def review(self, source: str, *, backend: str | None = None) -> Review:
        return self._c._send(review(ReviewRequest(source=source, backend=backend)))

    def explain(self, job_id: Id, *, target_standard_error: float | None = None) -> JobExplanation:
        return self._c._send(explain(job_id, target_standard_error))

    def insights(self, workspace_id: Id, *, week: str | None = None) -> WeeklyInsights:
        return self._c._send(insights(workspace_id, week))


class AsyncAssistant:
    def __init__(self, client: AsyncSender) -> None:
        self._c = client

    async def analyze(
        self,
        circuit: CircuitLike,
        *,
        backend: str | None = None,
        devices: Sequence[str] | None = None,
        top: int | None = None,
        exhaustive: bool | None = None,
    ) -> CircuitAnalysis:
        body = _analyze_body(circuit, backend, devices, top, exhaustive)
        return await self._c._send(analyze(body))

    async def review(self, source: str, *, backend: str | None = None) -> Review:
        return await self._c._send(review(ReviewRequest(source=source, backend=backend)))

    async def explain(
        self, job_id: Id, *, target_standard_error: float | None = None
    ) -> JobExplanation:
        return await self._c._send(explain(job_id, target_standard_error))

    async def insights(self, workspace_id: Id, *, week: str | None = None) -> WeeklyInsights:
        return await self._c._send(insights(workspace_id, week))
