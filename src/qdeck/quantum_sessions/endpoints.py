"""/api/v1/sessions: quantum sessions and batches (IBM Runtime semantics)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, status

from qdeck.api.deps import CurrentUser, PageDep, SessionDep, SettingsDep
from qdeck.api.schemas import Page
from qdeck.jobs.read_models import job_read
from qdeck.quantum_sessions.models import QuantumSession, SessionStatus
from qdeck.quantum_sessions.schemas import SessionCreate, SessionDetail, SessionRead
from qdeck.quantum_sessions.service import QuantumSessionService
from qdeck.services import Services

router = APIRouter(tags=["sessions"])


def _service(request: Request, session, settings) -> QuantumSessionService:
    return Services(session, settings, request.app.state.registry).quantum_sessions


@router.post("/sessions", status_code=status.HTTP_201_CREATED, response_model=SessionRead)
async def open_session(
    body: SessionCreate,
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
) -> QuantumSession:
    """Open a session (jobs run one after another, on one warm worker) or a batch."""
    return await _service(request, session, settings).open(user, body)


@router.get("/sessions", response_model=Page[SessionRead])
async def list_sessions(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    page: PageDep,
    workspace_id: uuid.UUID | None = None,
    status_: Annotated[SessionStatus | None, Query(alias="status")] = None,
) -> Page[SessionRead]:
    items, cursor = await _service(request, session, settings).list(
        user, page, workspace_id=workspace_id, status=status_
    )
    return Page(items=[SessionRead.model_validate(s) for s in items], next_cursor=cursor)


@router.get("/sessions/{session_id}", response_model=SessionDetail)
async def get_session(
    session_id: uuid.UUID,
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
) -> SessionDetail:
    service = _service(request, session, settings)
    quantum_session = await service.get(user, session_id)
    jobs = [job_read(job) for job in await service.jobs(quantum_session)]
    return SessionDetail.model_validate(
        {**SessionRead.model_validate(quantum_session).model_dump(), "jobs": jobs}
    )


@router.post("/sessions/{session_id}/close", response_model=SessionRead)
async def close_session(
    session_id: uuid.UUID,
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
) -> QuantumSession:
    """Stop accepting jobs; jobs already queued still run."""
    return await _service(request, session, settings).close(user, session_id, cancel_jobs=False)


@router.post("/sessions/{session_id}/cancel", response_model=SessionRead)
async def cancel_session(
    session_id: uuid.UUID,
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
) -> QuantumSession:
    """Close the session and cancel its queued and running jobs."""
    return await _service(request, session, settings).close(user, session_id, cancel_jobs=True)
