"""Events between qdeck processes through Redis pub/sub.

Each process publishes what it commits to one channel and delivers what the others
publish to its own subscribers; its own messages (recognised by an origin id) it has
already delivered locally. Redis is a courier, not a store: if it is briefly away, live
clients catch up from the database with ``since=`` when they reconnect.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid

import redis.asyncio as redis
import structlog

from qdeck.events.bus import Event, EventBus, decode_event, encode_event

log = structlog.get_logger("qdeck.events")
RECONNECT_SECONDS = 1.0


class RedisTransport:
    def __init__(self, url: str, channel: str, bus: EventBus) -> None:
        self.url = url
        self.channel = channel
        self.bus = bus
        self.origin = uuid.uuid4().hex
        self._client: redis.Redis | None = None
        self._task: asyncio.Task[None] | None = None
        self._subscribed = asyncio.Event()

    async def start(self) -> None:
        self._client = redis.from_url(self.url)
        self._task = asyncio.create_task(self._listen())
        self.bus.remote = self
        # Do not announce readiness before we can hear the other processes.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._subscribed.wait(), timeout=5)

    async def stop(self) -> None:
        self.bus.remote = None
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        if self._client is not None:
            await self._client.aclose()

    async def send(self, event: Event) -> None:
        assert self._client is not None
        payload = json.dumps({"origin": self.origin, "event": encode_event(event)})
        try:
            await self._client.publish(self.channel, payload)
        except redis.RedisError as exc:
            log.warning("redis_publish_failed", error=type(exc).__name__)

    async def _listen(self) -> None:
        while True:
            try:
                await self._consume()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self._subscribed.clear()
                log.warning("redis_listen_failed", error=type(exc).__name__)
                await asyncio.sleep(RECONNECT_SECONDS)

    async def _consume(self) -> None:
        assert self._client is not None
        async with self._client.pubsub() as pubsub:
            await pubsub.subscribe(self.channel)
            self._subscribed.set()
            async for message in pubsub.listen():
                if message.get("type") != "message":
                    continue
                try:
                    raw = json.loads(message["data"])
                    if raw.get("origin") == self.origin:
                        continue
                    event = decode_event(raw["event"])
                except (ValueError, KeyError, TypeError):
                    log.warning("redis_message_unreadable")
                    continue
                self.bus.deliver(event)
