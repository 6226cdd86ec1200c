"""Gamification from Python: ``client.gamification`` (level, XP, streak, progress,
boards), on the sync and the async client. The models are the server's own
(``qdeck.gamification.schemas``)."""

from __future__ import annotations

from typing import Literal

from qdeck.client.calls import _one
from qdeck.client.resources import AsyncSender, Sender
from qdeck.client.transport import Call
from qdeck.gamification.schemas import BoardRead, MeRead, ProgressRead

Period = Literal["week", "month", "all"]


def me() -> Call[MeRead]:
    return Call("GET", "/gamification/me", _one(MeRead))


def progress() -> Call[ProgressRead]:
    return Call("GET", "/gamification/progress", _one(ProgressRead))


def workspace_board(workspace_id: str, period: Period) -> Call[BoardRead]:
    path = f"/gamification/leaderboards/workspaces/{workspace_id}"
    return Call("GET", path, _one(BoardRead), params={"period": period})


class Gamification:
    def __init__(self, client: Sender) -> None:
        self._c = client

    def me(self) -> MeRead:
        return self._c._send(me())

    def progress(self) -> ProgressRead:
        return self._c._send(progress())

    def workspace_board(self, workspace_id: str, period: Period = "week") -> BoardRead:
        return self._c._send(workspace_board(workspace_id, period))


class AsyncGamification:
    def __init__(self, client: AsyncSender) -> None:
        self._c = client

    async def me(self) -> MeRead:
        return await self._c._send(me())

    async def progress(self) -> ProgressRead:
        return await self._c._send(progress())

    async def workspace_board(self, workspace_id: str, period: Period = "week") -> BoardRead:
        return await self._c._send(workspace_board(workspace_id, period))
