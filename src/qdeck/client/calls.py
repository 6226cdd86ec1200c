"""Every REST call the SDK makes, built once for both the sync and the async client.

The models are the server's own schemas, so a field added to the API is a field the SDK
reads the same day.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from enum import Enum
from typing import Any, Literal, TypedDict, TypeVar

import httpx
from pydantic import BaseModel, TypeAdapter

from qdeck.api.schemas import Page
from qdeck.auth.schemas import MeRead, TokenCreate, TokenCreated, TokenRead
from qdeck.backends.schemas import BackendDetail, BackendRead, Calibration, FitCheck, FitResult
from qdeck.client.circuits import CircuitLike, circuits_in
from qdeck.client.transport import Call
from qdeck.jobs.schemas import (
    BulkCancel,
    BulkCancelResult,
    JobCreate,
    JobDetail,
    JobEventRead,
    JobFilterIn,
    JobRead,
    JobUpdate,
)
from qdeck.quantum_sessions.schemas import SessionCreate, SessionDetail, SessionRead
from qdeck.workspaces.schemas import (
    MemberAdd,
    MemberRead,
    ProjectCreate,
    ProjectRead,
    ProjectUpdate,
    WorkspaceCreate,
    WorkspaceRead,
    WorkspaceUpdate,
)

M = TypeVar("M", bound=BaseModel)
Id = uuid.UUID | str
ExportFormat = Literal["json", "csv"]


class JobFilters(TypedDict, total=False):
    """The API's job filters (``GET /jobs``, export, bulk cancel)."""

    status: str | Sequence[str]
    backend: str
    tag: str
    q: str
    project_id: Id
    workspace_id: Id
    created_after: datetime | str
    created_before: datetime | str
    submitted_by: Id


def _one(model: type[M]):
    return lambda response: model.model_validate(response.json())


def _many(model: type[M]):
    adapter = TypeAdapter(list[model])
    return lambda response: adapter.validate_python(response.json())


def _page(model: type[M]):
    adapter = TypeAdapter(Page[model])
    return lambda response: adapter.validate_python(response.json())


def _text(response: httpx.Response) -> str:
    return response.text


def _nothing(response: httpx.Response) -> None:
    return None


def _body(model: BaseModel) -> dict[str, Any]:
    # Unset fields are left out, so the server's defaults apply, not the client's copy of them.
    return model.model_dump(mode="json", exclude_unset=True)


def _value(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_value(v) for v in value]
    return str(value)


def query(**params: Any) -> dict[str, Any]:
    return {k: _value(v) for k, v in params.items() if v is not None}


def _statuses(filters: JobFilters) -> dict[str, Any]:
    out: dict[str, Any] = dict(filters)
    if isinstance(out.get("status"), str):
        out["status"] = [out["status"]]
    return out


# --- jobs -----------------------------------------------------------------------------


def job_body(circuits: CircuitLike | Sequence[CircuitLike], **fields: Any) -> JobCreate:
    given = {k: v for k, v in fields.items() if v is not None}
    return JobCreate.model_validate({"circuits": circuits_in(circuits), **given})


def submit_job(body: JobCreate) -> Call[JobRead]:
    return Call("POST", "/jobs", _one(JobRead), json=_body(body), idempotent=False, what="the job")


def get_job(job_id: Id) -> Call[JobDetail]:
    return Call("GET", f"/jobs/{job_id}", _one(JobDetail))


def list_jobs(
    filters: JobFilters, *, sort: str, order: str, limit: int, cursor: str | None
) -> Call[Page[JobRead]]:
    params = query(**_statuses(filters), sort=sort, order=order, limit=limit, cursor=cursor)
    return Call("GET", "/jobs", _page(JobRead), params=params)


def update_job(job_id: Id, changes: JobUpdate) -> Call[JobRead]:
    return Call("PATCH", f"/jobs/{job_id}", _one(JobRead), json=_body(changes))


def cancel_job(job_id: Id) -> Call[JobRead]:
    # Safe to repeat: if the first attempt took effect, the repeat answers 409 "A cancelled
    # job cannot be cancelled", which tells the truth.
    return Call("POST", f"/jobs/{job_id}/cancel", _one(JobRead))


def cancel_jobs(ids: Sequence[Id] | None, filters: JobFilters) -> Call[BulkCancelResult]:
    if ids is not None:
        body = BulkCancel(ids=[uuid.UUID(str(i)) for i in ids])
    else:
        body = BulkCancel(filter=JobFilterIn.model_validate(_statuses(filters)))
    return Call("POST", "/jobs/cancel", _one(BulkCancelResult), json=_body(body))


def retry_job(job_id: Id) -> Call[JobRead]:
    path = f"/jobs/{job_id}/retry"
    return Call("POST", path, _one(JobRead), idempotent=False, what="the retried job")


def job_events(job_id: Id) -> Call[list[JobEventRead]]:
    return Call("GET", f"/jobs/{job_id}/events", _many(JobEventRead))


def export_job(job_id: Id, fmt: ExportFormat) -> Call[str]:
    return Call("GET", f"/jobs/{job_id}/export", _text, params={"format": fmt})


def export_jobs(filters: JobFilters, fmt: ExportFormat) -> Call[str]:
    return Call("GET", "/jobs/export", _text, params=query(**_statuses(filters), format=fmt))


# --- backends -------------------------------------------------------------------------


def list_backends(kind: str | None, min_qubits: int) -> Call[list[BackendRead]]:
    params = query(kind=kind, min_qubits=min_qubits)
    return Call("GET", "/backends", _many(BackendRead), params=params)


def get_backend(name: str) -> Call[BackendDetail]:
    return Call("GET", f"/backends/{name}", _one(BackendDetail))


def backend_calibration(name: str) -> Call[Calibration]:
    return Call("GET", f"/backends/{name}/calibration", _one(Calibration))


def backend_fit(name: str, check: FitCheck) -> Call[FitResult]:
    # Only reads: safe to repeat although it is a POST.
    return Call("POST", f"/backends/{name}/fit", _one(FitResult), json=_body(check))


# --- quantum sessions -----------------------------------------------------------------


def open_session(body: SessionCreate) -> Call[SessionRead]:
    return Call(
        "POST",
        "/sessions",
        _one(SessionRead),
        json=_body(body),
        idempotent=False,
        what="the session",
    )


def list_sessions(
    workspace_id: Id | None, status: str | None, limit: int, cursor: str | None
) -> Call[Page[SessionRead]]:
    params = query(workspace_id=workspace_id, status=status, limit=limit, cursor=cursor)
    return Call("GET", "/sessions", _page(SessionRead), params=params)


def get_session(session_id: Id) -> Call[SessionDetail]:
    return Call("GET", f"/sessions/{session_id}", _one(SessionDetail))


def end_session(session_id: Id, how: Literal["close", "cancel"]) -> Call[SessionRead]:
    return Call("POST", f"/sessions/{session_id}/{how}", _one(SessionRead))


# --- workspaces and projects ----------------------------------------------------------


def list_workspaces(limit: int, cursor: str | None) -> Call[Page[WorkspaceRead]]:
    params = query(limit=limit, cursor=cursor)
    return Call("GET", "/workspaces", _page(WorkspaceRead), params=params)


def create_workspace(body: WorkspaceCreate) -> Call[WorkspaceRead]:
    return Call(
        "POST", "/workspaces", _one(WorkspaceRead), json=_body(body), idempotent=False,
        what="the workspace",
    )  # fmt: skip


def get_workspace(workspace_id: Id) -> Call[WorkspaceRead]:
    return Call("GET", f"/workspaces/{workspace_id}", _one(WorkspaceRead))


def update_workspace(workspace_id: Id, body: WorkspaceUpdate) -> Call[WorkspaceRead]:
    return Call("PATCH", f"/workspaces/{workspace_id}", _one(WorkspaceRead), json=_body(body))


def delete(path: str) -> Call[None]:
    return Call("DELETE", path, _nothing)


def log_out_everywhere(revoke_tokens: bool) -> Call[None]:
    """End every browser session of the account (and its API tokens, if asked)."""
    return Call("POST", "/auth/logout-everywhere", _nothing, json={"revoke_tokens": revoke_tokens})


def list_members(workspace_id: Id, limit: int, cursor: str | None) -> Call[Page[MemberRead]]:
    params = query(limit=limit, cursor=cursor)
    return Call("GET", f"/workspaces/{workspace_id}/members", _page(MemberRead), params=params)


def add_member(workspace_id: Id, body: MemberAdd) -> Call[MemberRead]:
    path = f"/workspaces/{workspace_id}/members"
    return Call("POST", path, _one(MemberRead), json=_body(body), idempotent=False, what="them")


def list_projects(workspace_id: Id, limit: int, cursor: str | None) -> Call[Page[ProjectRead]]:
    params = query(limit=limit, cursor=cursor)
    return Call("GET", f"/workspaces/{workspace_id}/projects", _page(ProjectRead), params=params)


def create_project(workspace_id: Id, body: ProjectCreate) -> Call[ProjectRead]:
    path = f"/workspaces/{workspace_id}/projects"
    return Call("POST", path, _one(ProjectRead), json=_body(body), idempotent=False, what="it")


def get_project(project_id: Id) -> Call[ProjectRead]:
    return Call("GET", f"/projects/{project_id}", _one(ProjectRead))


def update_project(project_id: Id, body: ProjectUpdate) -> Call[ProjectRead]:
    return Call("PATCH", f"/projects/{project_id}", _one(ProjectRead), json=_body(body))


# --- account and tokens ---------------------------------------------------------------


def me() -> Call[MeRead]:
    return Call("GET", "/auth/me", _one(MeRead))


def list_tokens(limit: int, cursor: str | None) -> Call[Page[TokenRead]]:
    return Call("GET", "/tokens", _page(TokenRead), params=query(limit=limit, cursor=cursor))


def create_token(body: TokenCreate, headers: dict[str, str] | None = None) -> Call[TokenCreated]:
    return Call(
        "POST", "/tokens", _one(TokenCreated), json=_body(body), idempotent=False,
        what="the token", headers=headers or {},
    )  # fmt: skip
