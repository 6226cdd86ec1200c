"""Backends, quantum sessions, workspaces, projects and tokens: sync and async side by side.

Each pair is written next to each other so the two clients keep the same methods. A
resource needs only a client's sending half (``Sender`` / ``AsyncSender``), so this module
imports neither client and the clients import it without a cycle.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, Protocol, TypeVar

from qdeck.api.schemas import Page
from qdeck.auth.schemas import TokenCreate, TokenCreated, TokenRead
from qdeck.backends.schemas import BackendDetail, BackendRead, Calibration, FitCheck, FitResult
from qdeck.client import calls
from qdeck.client.calls import Id
from qdeck.client.circuits import CircuitLike, circuit_in
from qdeck.client.transport import Call
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

PAGE = 100
T = TypeVar("T")


class Sender(Protocol):
    """What a resource needs of ``QDeckClient``."""

    def _send(self, call: Call[T]) -> T: ...

    def _each(self, page: Callable[[str | None], Call[Page[T]]]) -> Iterator[T]: ...


class AsyncSender(Protocol):
    """What an async resource needs of ``AsyncQDeckClient``."""

    async def _send(self, call: Call[T]) -> T: ...

    def _each(self, page: Callable[[str | None], Call[Page[T]]]) -> AsyncIterator[T]: ...


class Backends:
    def __init__(self, client: Sender) -> None:
        self._c = client

    def list(self, *, kind: str | None = None, min_qubits: int = 0) -> list[BackendRead]:
        return self._c._send(calls.list_backends(kind, min_qubits))

    def get(self, name: str) -> BackendDetail:
        return self._c._send(calls.get_backend(name))

    def calibration(self, name: str) -> Calibration:
        return self._c._send(calls.backend_calibration(name))

    def fit(self, name: str, circuit: CircuitLike, method: str | None = None) -> FitResult:
        source = circuit_in(circuit)
        check = FitCheck(source=source.source, format=source.format, method=method)
        return self._c._send(calls.backend_fit(name, check))


class Sessions:
    def __init__(self, client: Sender) -> None:
        self._c = client

    def open(self, backend: str, **fields: Any) -> SessionRead:
        return self._c._send(calls.open_session(SessionCreate(backend=backend, **fields)))

    def list(
        self, *, workspace_id: Id | None = None, status: str | None = None, limit: int = 50,
        cursor: str | None = None,
    ) -> Page[SessionRead]:  # fmt: skip
        return self._c._send(calls.list_sessions(workspace_id, status, limit, cursor))

    def iter(
        self, *, workspace_id: Id | None = None, status: str | None = None
    ) -> Iterator[SessionRead]:
        return self._c._each(lambda c: calls.list_sessions(workspace_id, status, PAGE, c))

    def get(self, session_id: Id) -> SessionDetail:
        return self._c._send(calls.get_session(session_id))

    def close(self, session_id: Id) -> SessionRead:
        return self._c._send(calls.end_session(session_id, "close"))

    def cancel(self, session_id: Id) -> SessionRead:
        return self._c._send(calls.end_session(session_id, "cancel"))


class Workspaces:
    def __init__(self, client: Sender) -> None:
        self._c = client

    def iter(self) -> Iterator[WorkspaceRead]:
        return self._c._each(lambda c: calls.list_workspaces(PAGE, c))

    def list(self) -> list[WorkspaceRead]:
        return list(self.iter())

    def personal(self) -> WorkspaceRead:
        return next(w for w in self.iter() if w.is_personal)

    def create(self, name: str, description: str = "") -> WorkspaceRead:
        body = WorkspaceCreate(name=name, description=description)
        return self._c._send(calls.create_workspace(body))

    def get(self, workspace_id: Id) -> WorkspaceRead:
        return self._c._send(calls.get_workspace(workspace_id))

    def update(self, workspace_id: Id, **changes: Any) -> WorkspaceRead:
        return self._c._send(calls.update_workspace(workspace_id, WorkspaceUpdate(**changes)))

    def delete(self, workspace_id: Id) -> None:
        self._c._send(calls.delete(f"/workspaces/{workspace_id}"))

    def members(self, workspace_id: Id) -> list[MemberRead]:
        return list(self._c._each(lambda c: calls.list_members(workspace_id, PAGE, c)))

    def add_member(self, workspace_id: Id, email: str, role: str = "member") -> MemberRead:
        body = MemberAdd.model_validate({"email": email, "role": role})
        return self._c._send(calls.add_member(workspace_id, body))

    def remove_member(self, workspace_id: Id, user_id: Id) -> None:
        self._c._send(calls.delete(f"/workspaces/{workspace_id}/members/{user_id}"))


class Projects:
    def __init__(self, client: Sender) -> None:
        self._c = client

    def list(self, workspace_id: Id) -> list[ProjectRead]:
        return list(self._c._each(lambda c: calls.list_projects(workspace_id, PAGE, c)))

    def create(self, workspace_id: Id, name: str, description: str = "") -> ProjectRead:
        body = ProjectCreate(name=name, description=description)
        return self._c._send(calls.create_project(workspace_id, body))

    def get(self, project_id: Id) -> ProjectRead:
        return self._c._send(calls.get_project(project_id))

    def update(self, project_id: Id, **changes: Any) -> ProjectRead:
        return self._c._send(calls.update_project(project_id, ProjectUpdate(**changes)))

    def delete(self, project_id: Id) -> None:
        self._c._send(calls.delete(f"/projects/{project_id}"))


class Tokens:
    def __init__(self, client: Sender) -> None:
        self._c = client

    def list(self) -> list[TokenRead]:
        return list(self._c._each(lambda c: calls.list_tokens(PAGE, c)))

    def create(self, name: str, expires_in_days: int | None = None) -> TokenCreated:
        body = TokenCreate(name=name, expires_in_days=expires_in_days)
        return self._c._send(calls.create_token(body))

    def revoke(self, token_id: Id) -> None:
        self._c._send(calls.delete(f"/tokens/{token_id}"))

    def log_out_everywhere(self, *, revoke_tokens: bool = False) -> None:
        """End every browser session of this account; with ``revoke_tokens`` every API
        token too, the one this client uses included."""
        self._c._send(calls.log_out_everywhere(revoke_tokens))


class AsyncBackends:
    def __init__(self, client: AsyncSender) -> None:
        self._c = client

    async def list(self, *, kind: str | None = None, min_qubits: int = 0) -> list[BackendRead]:
        return await self._c._send(calls.list_backends(kind, min_qubits))

    async def get(self, name: str) -> BackendDetail:
        return await self._c._send(calls.get_backend(name))

    async def calibration(self, name: str) -> Calibration:
        return await self._c._send(calls.backend_calibration(name))

    async def fit(self, name: str, circuit: CircuitLike, method: str | None = None) -> FitResult:
        source = circuit_in(circuit)
        check = FitCheck(source=source.source, format=source.format, method=method)
        return await self._c._send(calls.backend_fit(name, check))


class AsyncSessions:
    def __init__(self, client: AsyncSender) -> None:
        self._c = client

    async def open(self, backend: str, **fields: Any) -> SessionRead:
        return await self._c._send(calls.open_session(SessionCreate(backend=backend, **fields)))

    async def list(
        self, *, workspace_id: Id | None = None, status: str | None = None, limit: int = 50,
        cursor: str | None = None,
    ) -> Page[SessionRead]:  # fmt: skip
        return await self._c._send(calls.list_sessions(workspace_id, status, limit, cursor))

    def iter(
        self, *, workspace_id: Id | None = None, status: str | None = None
    ) -> AsyncIterator[SessionRead]:
        return self._c._each(lambda c: calls.list_sessions(workspace_id, status, PAGE, c))

    async def get(self, session_id: Id) -> SessionDetail:
        return await self._c._send(calls.get_session(session_id))

    async def close(self, session_id: Id) -> SessionRead:
        return await self._c._send(calls.end_session(session_id, "close"))

    async def cancel(self, session_id: Id) -> SessionRead:
        return await self._c._send(calls.end_session(session_id, "cancel"))


class AsyncWorkspaces:
    def __init__(self, client: AsyncSender) -> None:
        self._c = client

    def iter(self) -> AsyncIterator[WorkspaceRead]:
        return self._c._each(lambda c: calls.list_workspaces(PAGE, c))

    async def list(self) -> list[WorkspaceRead]:
        return [w async for w in self.iter()]

    async def personal(self) -> WorkspaceRead:
        async for workspace in self.iter():
            if workspace.is_personal:
                return workspace
        raise LookupError("no personal workspace")

    async def create(self, name: str, description: str = "") -> WorkspaceRead:
        body = WorkspaceCreate(name=name, description=description)
        return await self._c._send(calls.create_workspace(body))

    async def get(self, workspace_id: Id) -> WorkspaceRead:
        return await self._c._send(calls.get_workspace(workspace_id))

    async def update(self, workspace_id: Id, **changes: Any) -> WorkspaceRead:
        body = WorkspaceUpdate(**changes)
        return await self._c._send(calls.update_workspace(workspace_id, body))

    async def delete(self, workspace_id: Id) -> None:
        await self._c._send(calls.delete(f"/workspaces/{workspace_id}"))

    async def members(self, workspace_id: Id) -> list[MemberRead]:
        return [m async for m in self._c._each(lambda c: calls.list_members(workspace_id, PAGE, c))]

    async def add_member(self, workspace_id: Id, email: str, role: str = "member") -> MemberRead:
        body = MemberAdd.model_validate({"email": email, "role": role})
        return await self._c._send(calls.add_member(workspace_id, body))

    async def remove_member(self, workspace_id: Id, user_id: Id) -> None:
        await self._c._send(calls.delete(f"/workspaces/{workspace_id}/members/{user_id}"))


class AsyncProjects:
    def __init__(self, client: AsyncSender) -> None:
        self._c = client

    async def list(self, workspace_id: Id) -> list[ProjectRead]:
        return [
            p async for p in self._c._each(lambda c: calls.list_projects(workspace_id, PAGE, c))
        ]

    async def create(self, workspace_id: Id, name: str, description: str = "") -> ProjectRead:
        body = ProjectCreate(name=name, description=description)
        return await self._c._send(calls.create_project(workspace_id, body))

    async def get(self, project_id: Id) -> ProjectRead:
        return await self._c._send(calls.get_project(project_id))

    async def update(self, project_id: Id, **changes: Any) -> ProjectRead:
        return await self._c._send(calls.update_project(project_id, ProjectUpdate(**changes)))

    async def delete(self, project_id: Id) -> None:
        await self._c._send(calls.delete(f"/projects/{project_id}"))


class AsyncTokens:
    def __init__(self, client: AsyncSender) -> None:
        self._c = client

    async def list(self) -> list[TokenRead]:
        return [t async for t in self._c._each(lambda c: calls.list_tokens(PAGE, c))]

    async def create(self, name: str, expires_in_days: int | None = None) -> TokenCreated:
        body = TokenCreate(name=name, expires_in_days=expires_in_days)
        return await self._c._send(calls.create_token(body))

    async def revoke(self, token_id: Id) -> None:
        await self._c._send(calls.delete(f"/tokens/{token_id}"))

    async def log_out_everywhere(self, *, revoke_tokens: bool = False) -> None:
        await self._c._send(calls.log_out_everywhere(revoke_tokens))
