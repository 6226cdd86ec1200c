"""Wake-ups between qdeck processes through Redis pub/sub.

When a process commits events it publishes the newest outbox id; every other process's
relay then reads the outbox at once instead of at its next poll. Redis carries no event
itself: the database is the only source, so a lost message costs a poll interval, never
an event.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid

import redis.asyncio as redis
import structlog

from qdeck.events.relay import OutboxRelay

log = structlog.get_logger("qdeck.events")
RECONNECT_SECONDS = 1.0


class RedisTransport:
    def __init__(self, url: str, channel: str, relay: OutboxRelay) -> None:
        self.url = url
        self.channel = channel
        self.relay = relay
        self.origin = uuid.uuid4().hex
        self._client: redis.Redis | None = None
        self._task: asyncio.Task[None] | None = None
        self._sends: set[asyncio.Task[None]] = set()
        self._subscribed = asyncio.Event()

    async def start(self) -> None:
        self._client = redis.from_url(self.url)
        self._task = asyncio.create_task(self._listen())
        self.relay.on_local_commit = self.announce
        # Do not announce readiness before we can hear the other processes.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._subscribed.wait(), timeout=5)

    async def stop(self) -> None:
        self.relay.on_local_commit = None
        for task in [self._task, *self._sends]:
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        if self._client is not None:
            await self._client.aclose()

    def announce(self, newest_id: int) -> None:
        task = asyncio.get_running_loop().create_task(self._send(newest_id))
        self._sends.add(task)
        task.add_done_callback(self._sends.discard)

    async def _send(self, newest_id: int) -> None:
        assert self._client is not None
        payload = json.dumps({"origin": self.origin, "newest": newest_id})
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
                except (ValueError, TypeError):
                    log.warning("redis_message_unreadable")
                    continue
                if isinstance(raw, dict) and raw.get("origin") != self.origin:
                    self.relay.wake()
