"""One live WebSocket client: its topics, its bounded queue, replay and heartbeats.

The protocol is documented in docs/websocket.md. Live events reach the client through a
bus subscription whose queue is bounded; a client that falls behind is disconnected
rather than slowing anyone else. A subscription with ``since`` buffers live events of
that topic while the missed ones are read from the database, then sends the replay, then
the buffer (without duplicates), so the client sees each event once and in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from qdeck.config import Settings
from qdeck.db.engine import Database
from qdeck.db.types import utcnow
from qdeck.errors import QdeckError
from qdeck.events import access
from qdeck.events.bus import Event, EventBus
from qdeck.events.ordering import JobOrder
from qdeck.events.registry import Registry
from qdeck.events.topics import Topic, authorize_topic, parse_topic

log = structlog.get_logger("qdeck.ws")
CLOSE_TOO_SLOW = 4408
# The credential the socket was opened with ended (log out, revoked token, password
# change): the same code as a bad credential at connect, since the answer is the same.
CLOSE_ACCESS_ENDED = 4401
MEND_CHECK_SECONDS = 1.0
# How long a job's next event may wait for its predecessor before the database is asked.
MEND_AFTER_SECONDS = 2.0


CredentialCheck = Callable[[AsyncSession], Awaitable[bool]]


class LiveConnection:
    def __init__(
        self,
        websocket: WebSocket,
        user_id: uuid.UUID,
        database: Database,
        bus: EventBus,
        settings: Settings,
        registry: Registry,
        credential_valid: CredentialCheck,
    ) -> None:
        self.websocket = websocket
        self.user_id = user_id
        self.database = database
        self.bus = bus
        self.settings = settings
        self.registry = registry
        # Asked again whenever access may have changed: is the socket's session or
        # API token still good?
        self.credential_valid = credential_valid
        self.topics: dict[str, Topic] = {}
        self.replaying: dict[str, list[Event]] = {}
        self.orders: dict[str, JobOrder] = {}
        self._send_lock = asyncio.Lock()
        self._closed = asyncio.Event()
        self.subscription = bus.subscribe(
            self._wants,
            max_queue=settings.ws_max_queue,
            on_overflow=self._too_slow,
            owner=user_id,
        )

    async def run(self) -> None:
        await self.send(
            {
                "type": "welcome",
                "user_id": str(self.user_id),
                "heartbeat_seconds": self.settings.ws_heartbeat_seconds,
                "max_subscriptions": self.settings.ws_max_subscriptions,
                "max_frame_bytes": self.settings.ws_max_frame_bytes,
            }
        )
        tasks = [
            asyncio.create_task(self._read()),
            asyncio.create_task(self._write()),
            asyncio.create_task(self._heartbeat()),
            asyncio.create_task(self._closed.wait()),
        ]
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
            self.subscription.close()

    async def send(self, frame: dict[str, Any]) -> None:
        await self.send_text(json.dumps(frame, default=str))

    async def send_text(self, text: str) -> None:
        if self.websocket.application_state != WebSocketState.CONNECTED:
            return
        async with self._send_lock:
            await self.websocket.send_text(text)

    def _wants(self, event: Event) -> bool:
        if event.type == access.ACCESS_CHANGED:
            return access.concerns(event, self.user_id, self._workspaces())
        return any(self._matches(topic, event) for topic in self.topics.values())

    def _matches(self, topic: Topic, event: Event) -> bool:
        return self.registry.topics[topic.kind].matches(topic, event, self.user_id)

    def _workspaces(self) -> set[uuid.UUID]:
        return {t.workspace_id for t in self.topics.values() if t.workspace_id is not None}

    def _too_slow(self) -> None:
        asyncio.get_running_loop().create_task(self._close_too_slow())

    async def _close_too_slow(self) -> None:
        log.info("ws_client_too_slow", user_id=str(self.user_id))
        with contextlib.suppress(Exception):
            await self.websocket.close(
                CLOSE_TOO_SLOW, "too slow: reconnect with since= to catch up"
            )
        self._closed.set()

    async def _write(self) -> None:
        while True:
            try:
                async with asyncio.timeout(MEND_CHECK_SECONDS):
                    event = await self.subscription.get()
            except TimeoutError:
                await self._mend_stalled()
                continue
            if event.type == access.ACCESS_CHANGED:
                await self._recheck(event)
                continue
            for topic in list(self.topics.values()):
                if not self._matches(topic, event):
                    continue
                if topic.name in self.replaying:
                    self.replaying[topic.name].append(event)
                else:
                    await self._deliver(topic, event)

    async def _deliver(self, topic: Topic, event: Event) -> None:
        order = self.orders.get(topic.name)
        for ready in order.accept(event) if order else [event]:
            await self.send_text(event_text(topic, ready))

    async def _mend_stalled(self) -> None:
        """Fill a broken chain from the database (an event of it was never delivered)."""
        for name, order in list(self.orders.items()):
            topic = self.topics.get(name)
            stalled = order.stalled(MEND_AFTER_SECONDS)
            if topic is None or not stalled:
                continue
            chain_after = self.registry.topics[topic.kind].chain_after
            if chain_after is None:
                continue
            async with self.database.session(write=False) as session:
                for chain, after in stalled:
                    for event in await chain_after(session, uuid.UUID(chain), after):
                        await self._deliver(topic, event)

    async def _recheck(self, event: Event) -> None:
        """Access may have changed: keep only what the caller may still see, now."""
        reason = str(event.data.get("reason") or "your access changed")
        async with self.database.session(write=False) as session:
            if not await self.credential_valid(session):
                log.info("ws_access_ended", user_id=str(self.user_id))
                await self.send({"type": "closing", "reason": reason})
                with contextlib.suppress(Exception):
                    await self.websocket.close(CLOSE_ACCESS_ENDED, reason[:120])
                self._closed.set()
                return
            lost = []
            for topic in list(self.topics.values()):
                try:
                    await authorize_topic(session, self.user_id, topic, self.registry.topics)
                except QdeckError:
                    lost.append(topic)
        for topic in lost:
            self._unsubscribe(topic.name)
            await self.send({"type": "unsubscribed", "topic": topic.name, "reason": reason})

    async def _heartbeat(self) -> None:
        while True:
            await asyncio.sleep(self.settings.ws_heartbeat_seconds)
            await self.send({"type": "heartbeat", "at": utcnow().isoformat()})

    async def _read(self) -> None:
        while True:
            try:
                text = await self.websocket.receive_text()
            except (WebSocketDisconnect, RuntimeError):
                return
            await self._handle(text)

    async def _handle(self, text: str) -> None:
        if len(text.encode()) > self.settings.ws_max_frame_bytes:
            limit = self.settings.ws_max_frame_bytes
            await self._error("frame_too_large", f"frames are limited to {limit} bytes")
            return
        try:
            frame = json.loads(text)
        except ValueError:
            await self._error("malformed_frame", "the frame is not JSON")
            return
        if not isinstance(frame, dict):
            await self._error("malformed_frame", "a frame must be a JSON object")
            return
        ref = frame.get("ref")
        kind = frame.get("type")
        try:
            if kind == "subscribe":
                await self._subscribe(frame, ref)
            elif kind == "unsubscribe":
                self._unsubscribe(str(frame.get("topic")))
                await self.send({"type": "unsubscribed", "topic": frame.get("topic"), "ref": ref})
            elif kind == "ping":
                await self.send({"type": "pong", "ref": ref})
            elif kind == "auth":
                await self._error("malformed_frame", "already authenticated", ref)
            else:
                await self._error("unknown_type", f"unknown frame type {kind!r}", ref)
        except QdeckError as exc:
            await self._error(_ws_code(exc), exc.detail, ref)

    async def _subscribe(self, frame: dict[str, Any], ref: Any) -> None:
        kinds = self.registry.topics
        topic = parse_topic(frame.get("topic"), kinds)
        since = frame.get("since")
        if since is not None and (
            not isinstance(since, int) or isinstance(since, bool) or since < 0
        ):
            raise _malformed("since must be a non-negative integer")
        if topic.name not in self.topics and len(self.topics) >= self.settings.ws_max_subscriptions:
            limit = self.settings.ws_max_subscriptions
            raise QdeckError(f"at most {limit} subscriptions", code="too_many_subscriptions")
        async with self.database.session(write=False) as session:
            topic = await authorize_topic(session, self.user_id, topic, kinds)
        # Listen first (buffering), then read the starting point and what was missed in a
        # transaction that starts after: an event committed in between is then either in
        # the read or in the buffer, never in neither.
        self.replaying[topic.name] = []
        self.topics[topic.name] = topic
        kind = kinds[topic.kind]
        async with self.database.session(write=False) as session:
            if since is None:
                floor = await kind.latest_seq(session, topic)
                missed = []
            else:
                floor = since
                # One more than the limit tells that more were missed than are replayed.
                missed = await kind.replay(session, topic, since, self.settings.ws_max_replay + 1)
        self.orders[topic.name] = JobOrder(floor=floor)
        await self._send_replay(topic, missed, ref)

    async def _send_replay(self, topic: Topic, missed: list[Event], ref: Any) -> None:
        if len(missed) > self.settings.ws_max_replay:
            self.replaying.pop(topic.name, None)
            self.topics.pop(topic.name, None)
            reason = f"more than {self.settings.ws_max_replay} events were missed"
            await self.send({"type": "reload", "topic": topic.name, "reason": reason, "ref": ref})
            return
        await self.send(
            {"type": "subscribed", "topic": topic.name, "ref": ref, "replayed": len(missed)}
        )
        for event in missed:
            await self._deliver(topic, event)
        # Then what arrived meanwhile; the order drops what the replay already sent.
        buffered = self.replaying.get(topic.name, [])
        while buffered:
            await self._deliver(topic, buffered.pop(0))
        self.replaying.pop(topic.name, None)

    def _unsubscribe(self, name: str) -> None:
        self.topics.pop(name, None)
        self.replaying.pop(name, None)
        self.orders.pop(name, None)

    async def _error(self, code: str, message: str, ref: Any = None) -> None:
        await self.send({"type": "error", "code": code, "message": message, "ref": ref})


def event_text(topic: Topic, event: Event) -> str:
    text = event.frames.get(topic.name)
    if text is None:
        text = event.frames[topic.name] = json.dumps(event_frame(topic, event), default=str)
    return text


def event_frame(topic: Topic, event: Event) -> dict[str, Any]:
    return {
        "type": "event",
        "topic": topic.name,
        "seq": event.seq,
        "event": event.type,
        "at": event.at.isoformat(),
        "data": event.data,
    }


def _malformed(message: str) -> QdeckError:
    return QdeckError(message, code="malformed_frame")


def _ws_code(exc: QdeckError) -> str:
    return "not_found" if exc.status == 404 else exc.code
