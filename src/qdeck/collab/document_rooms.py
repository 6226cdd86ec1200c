"""The live side of shared documents: one pycrdt-websocket room per open document in
this process, fed by the editors' WebSockets (the y-websocket protocol Yjs speaks) and
persisted through ``DatabaseYStore``.

The server, not the page, enforces who may write: a read-only connection's document
updates are never applied or stored (a trivial one, like the empty reply to the opening
sync, is dropped; a real one closes the socket with 4403). Updates larger than
``MAX_MESSAGE_BYTES`` close the socket with 1009, malformed ones with 1007; the other
editors carry on. When access changes (``access.changed``) every connection it concerns
is checked again: a removed member's sockets close within a second, a demoted one
becomes read-only.

Rooms live in one process: several qdeck servers must send a document's editors to the
same server (sticky routing by document id), or they would edit diverging copies.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import anyio
import structlog
from pycrdt import Doc, YMessageType, YSyncMessageType, create_update_message, merge_updates
from pycrdt.websocket import YRoom
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.websockets import WebSocket, WebSocketDisconnect

from qdeck.collab import document_store
from qdeck.collab.chat_channels import role_in
from qdeck.db.engine import Database
from qdeck.events import access
from qdeck.events.bus import Event, EventBus, Subscription
from qdeck.workspaces.access import Action, allows

log = structlog.get_logger("qdeck.collab")
MAX_MESSAGE_BYTES = 1024 * 1024
# The y-sync reply to the opening step when the client has nothing the server lacks.
_TRIVIAL_SYNC = 5
CLOSE_READ_ONLY = 4403
CLOSE_ACCESS_ENDED = 4401
# At most one broadcast per room in this window; what arrives meanwhile goes out merged.
BROADCAST_SECONDS = 0.02
CredentialCheck = Callable[[AsyncSession], Awaitable[bool]]


class Editor:
    """One editor's socket as pycrdt's ``Channel``, with the server's checks in front."""

    def __init__(
        self,
        websocket: WebSocket,
        user_id: uuid.UUID,
        workspace_id: uuid.UUID,
        writable: bool,
        credential: CredentialCheck,
    ) -> None:
        self.websocket = websocket
        self.user_id = user_id
        self.workspace_id = workspace_id
        self.writable = writable
        self.credential = credential
        self.closed = False
        self.rejected = 0

    @property
    def path(self) -> str:
        return self.websocket.url.path

    def __aiter__(self) -> Editor:
        return self

    async def __anext__(self) -> bytes:
        while True:
            try:
                message = await self.recv()
            except (WebSocketDisconnect, RuntimeError):
                raise StopAsyncIteration from None
            if self._allowed(message):
                return message
            if self.closed:
                raise StopAsyncIteration

    async def recv(self) -> bytes:
        received = await self.websocket.receive()
        if received["type"] == "websocket.disconnect":
            raise WebSocketDisconnect(received.get("code", 1000))
        data = received.get("bytes")
        if data is None:
            # y-websocket speaks binary only; a text frame is someone else's protocol.
            return b""
        return data

    def _allowed(self, message: bytes) -> bool:
        if not message:
            return False
        if len(message) > MAX_MESSAGE_BYTES:
            self._close_soon(1009, f"a message may be at most {MAX_MESSAGE_BYTES} bytes")
            return False
        writes = (
            message[0] == YMessageType.SYNC
            and len(message) > 1
            and message[1]
            in (
                YSyncMessageType.SYNC_STEP2,
                YSyncMessageType.SYNC_UPDATE,
            )
        )
        if writes and not self.writable:
            self.rejected += 1
            if len(message) > _TRIVIAL_SYNC:
                self._close_soon(CLOSE_READ_ONLY, "your role can read this document, not edit it")
            return False
        return True

    async def send(self, message: bytes) -> None:
        if self.closed:
            return
        with contextlib.suppress(Exception):
            await self.websocket.send_bytes(message)

    def _close_soon(self, code: int, reason: str) -> None:
        if not self.closed:
            self.closed = True
            asyncio.get_running_loop().create_task(self.close(code, reason))

    async def close(self, code: int, reason: str) -> None:
        self.closed = True
        with contextlib.suppress(Exception):
            await self.websocket.close(code, reason)


class CoalescingRoom(YRoom):
    """A pycrdt-websocket room that sends each editor one merged update per
    ``BROADCAST_SECONDS`` instead of one message per keystroke of anyone.

    pycrdt-websocket broadcasts every update on its own: 50 people typing 10 keys a
    second is 500 updates, 25,000 socket sends a second, and one core could not keep up
    (benchmarks/document_editing.py: p99 24.7 s). Merging is exact (a CRDT's updates
    merge into one with the same effect), a lone edit still goes out at once, and a
    burst is stored as one row."""

    async def _broadcast_updates(self) -> None:
        # The same start as YRoom's own loop, which this replaces.
        if self.ystore is not None:
            async with self.ystore.start_lock:
                if not self.ystore.started.is_set():
                    await self._task_group.start(self.ystore.start)
        last = 0.0
        stream = self._update_receive_stream
        async with stream:
            async for update in stream:
                wait = last + BROADCAST_SECONDS - time.monotonic()
                if wait > 0:
                    await anyio.sleep(wait)
                updates = [update]
                with contextlib.suppress(anyio.WouldBlock, anyio.EndOfStream):
                    while True:
                        updates.append(stream.receive_nowait())
                last = time.monotonic()
                if self._task_group.cancel_scope.cancel_called:
                    return
                merged = updates[0] if len(updates) == 1 else merge_updates(*updates)
                message = create_update_message(merged)
                for client in list(self.clients):
                    self._task_group.start_soon(client.send, message)
                if self.ystore is not None:
                    self._task_group.start_soon(self.ystore.write, merged)


@dataclass
class Room:
    document_id: uuid.UUID
    yroom: CoalescingRoom
    store: document_store.DatabaseYStore
    task: asyncio.Task[None]
    editors: set[Editor] = field(default_factory=set)


class DocumentRooms:
    def __init__(self, database: Database, bus: EventBus) -> None:
        self.database = database
        self.bus = bus
        self.rooms: dict[uuid.UUID, Room] = {}
        self._locks: dict[uuid.UUID, asyncio.Lock] = {}
        self._subscription: Subscription | None = None
        self._watch: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._subscription = self.bus.subscribe(lambda e: e.type == access.ACCESS_CHANGED)
        self._watch = asyncio.create_task(self._watch_access(), name="document access")

    async def stop(self) -> None:
        if self._watch is not None:
            self._watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch
        if self._subscription is not None:
            self._subscription.close()
        for document_id in list(self.rooms):
            await self._close_room(document_id)

    async def serve(self, editor: Editor, document_id: uuid.UUID) -> None:
        room = await self._room(document_id)
        room.editors.add(editor)
        try:
            await room.yroom.serve(editor)
        finally:
            room.editors.discard(editor)
            async with self._lock(document_id):
                if not room.editors and self.rooms.get(document_id) is room:
                    await self._close_room(document_id)

    def open_doc(self, document_id: uuid.UUID) -> Doc | None:
        room = self.rooms.get(document_id)
        return room.yroom.ydoc if room else None

    async def flush(self, document_id: uuid.UUID, session: AsyncSession | None = None) -> None:
        """Store the open document's pending edits: in ``session`` (a writing request's
        own), or in a unit of work of their own (a reading request)."""
        room = self.rooms.get(document_id)
        if room is not None:
            await room.store.flush(session)

    def _lock(self, document_id: uuid.UUID) -> asyncio.Lock:
        return self._locks.setdefault(document_id, asyncio.Lock())

    async def _room(self, document_id: uuid.UUID) -> Room:
        async with self._lock(document_id):
            room = self.rooms.get(document_id)
            if room is not None:
                return room
            async with self.database.session(write=False) as session:
                doc, _ = await document_store.load(session, document_id)
            store = document_store.DatabaseYStore(self.database, document_id)
            store.doc = doc
            yroom = CoalescingRoom(ready=True, ystore=store, ydoc=doc, exception_handler=_logged)
            yroom.on_message_error = _close_malformed
            task = asyncio.create_task(yroom.start(), name=f"document {document_id}")
            await yroom.started.wait()
            room = Room(document_id, yroom, store, task)
            self.rooms[document_id] = room
            return room

    async def _close_room(self, document_id: uuid.UUID) -> None:
        room = self.rooms.pop(document_id, None)
        if room is None:
            return
        for editor in list(room.editors):
            await editor.close(1001, "the document closed")
        # Give the room a moment to hand its last updates to the store.
        await asyncio.sleep(0)
        with contextlib.suppress(Exception):
            await room.yroom.stop()
        room.task.cancel()
        with contextlib.suppress(BaseException):
            await room.task
        await room.store.close()

    async def _watch_access(self) -> None:
        assert self._subscription is not None
        while True:
            event = await self._subscription.get()
            try:
                await self._recheck(event)
            except Exception:  # the next change is checked again
                log.exception("document_access_recheck_failed")

    async def _recheck(self, event: Event) -> None:
        editors = [e for room in self.rooms.values() for e in room.editors if not e.closed]
        concerned = [e for e in editors if access.concerns(event, e.user_id, {e.workspace_id})]
        if not concerned:
            return
        reason = str(event.data.get("reason") or "your access changed")
        async with self.database.session(write=False) as session:
            for editor in concerned:
                role = await role_in(session, editor.user_id, editor.workspace_id)
                if role is None or not await editor.credential(session):
                    await editor.close(CLOSE_ACCESS_ENDED, reason[:120])
                else:
                    editor.writable = allows(role, Action.EDIT_DOCUMENTS)


def _logged(exception: Exception, logger) -> bool:
    log.warning("document_room_error", error=repr(exception))
    return True


def _close_malformed(exception: Exception, message: bytes, channel) -> bool:
    """A malformed update changes nothing; the socket that sent it is closed."""
    log.info("document_update_refused", error=repr(exception), size=len(message))
    if isinstance(channel, Editor):
        channel._close_soon(1007, "the update is not a valid Yjs update")
    return True
