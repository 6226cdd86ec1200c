"""A pycrdt client for tests: a real ``pycrdt.Provider`` syncing a ``Doc`` through the
real /api/v1/documents/{id}/sync WebSocket (the y-websocket protocol), as Yjs does."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from pycrdt import Doc, Provider, Text
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed


class SocketChannel:
    def __init__(self, connection: ClientConnection, path: str) -> None:
        self.connection = connection
        self._path = path

    @property
    def path(self) -> str:
        return self._path

    def __aiter__(self) -> SocketChannel:
        return self

    async def __anext__(self) -> bytes:
        try:
            return await self.recv()
        except ConnectionClosed:
            raise StopAsyncIteration from None

    async def send(self, message: bytes) -> None:
        with contextlib.suppress(ConnectionClosed):
            await self.connection.send(message)

    async def recv(self) -> bytes:
        message = await self.connection.recv()
        return message if isinstance(message, bytes) else message.encode()


def sync_url(base_url: str, document_id: str) -> str:
    return base_url.replace("http://", "ws://") + f"/api/v1/documents/{document_id}/sync"


@contextlib.asynccontextmanager
async def editing(
    base_url: str, token: str, document_id: str, doc: Doc | None = None
) -> AsyncIterator[tuple[Doc, ClientConnection]]:
    """``doc`` kept in sync with the server while the block runs."""
    doc = doc or Doc()
    doc.get("content", type=Text)
    url = sync_url(base_url, document_id)
    headers = {"Authorization": f"Bearer {token}"}
    async with (
        connect(url, additional_headers=headers) as socket,
        Provider(doc, SocketChannel(socket, url)),
    ):
        yield doc, socket


def text_of(doc: Doc) -> str:
    return str(doc.get("content", type=Text))


async def until(check, limit_seconds: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + limit_seconds
    while not check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("never converged")
        await asyncio.sleep(0.05)
