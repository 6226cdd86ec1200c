"""A WebSocket client for tests, speaking docs/websocket.md to a real server."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from websockets.asyncio.client import ClientConnection, connect


class LiveClient:
    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection
        self.welcome: dict[str, Any] = {}
        # Events that arrived while a reply was awaited: a consumer may publish at any moment
        # (a job's notification comes after the job is final), so they wait here, in order.
        self._held: list[dict[str, Any]] = []

    @classmethod
    async def open(
        cls, base_url: str, token: str | None = None, *, welcome: bool = True, **kwargs: Any
    ) -> LiveClient:
        url = base_url.replace("http://", "ws://") + "/api/v1/ws"
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        connection = await connect(url, additional_headers=headers, **kwargs)
        client = cls(connection)
        if token and welcome:
            client.welcome = await client.next()
        return client

    async def send(self, frame: dict[str, Any] | str) -> None:
        await self.connection.send(frame if isinstance(frame, str) else json.dumps(frame))

    async def next(self, limit_seconds: float = 30) -> dict[str, Any]:
        """The next frame that is not a heartbeat."""
        if self._held:
            return self._held.pop(0)
        return await self._received(limit_seconds)

    async def _received(self, limit_seconds: float) -> dict[str, Any]:
        """The next frame off the socket that is not a heartbeat."""
        while True:
            frame = json.loads(await asyncio.wait_for(self.connection.recv(), limit_seconds))
            if frame["type"] != "heartbeat":
                return frame

    async def subscribe(self, topic: str, since: int | None = None) -> dict[str, Any]:
        frame: dict[str, Any] = {"type": "subscribe", "topic": topic, "ref": topic}
        if since is not None:
            frame["since"] = since
        await self.send(frame)
        return await self.reply()

    async def reply(self, limit_seconds: float = 30) -> dict[str, Any]:
        """The next frame that answers a request; events met on the way are kept for later."""
        while (frame := await self._received(limit_seconds))["type"] == "event":
            self._held.append(frame)
        return frame

    async def events_until(self, done, limit_seconds: float = 60) -> list[dict[str, Any]]:
        """Event frames until ``done(frame)`` is true for one (included)."""
        events = []
        deadline = asyncio.get_running_loop().time() + limit_seconds
        while True:
            remaining = deadline - asyncio.get_running_loop().time()
            frame = await self.next(max(0.1, remaining))
            assert frame["type"] == "event", frame
            events.append(frame)
            if done(frame):
                return events

    async def close(self) -> None:
        await self.connection.close()
