"""Follow a job until it finishes: over the WebSocket (docs/websocket.md), else by polling.

The socket is tried first because it reports every phase as it happens at no cost to the
server. When it cannot be opened (an older server, a proxy that blocks upgrades, a
refused credential), or keeps dropping, the same :class:`Tracker` is fed by polling
``GET /jobs/{id}`` instead, so callers see the same progress either way. The final state
is always read over REST: events carry statuses, not results.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

from websockets.asyncio.client import connect as connect_async
from websockets.exceptions import ConnectionClosed, WebSocketException
from websockets.sync.client import connect

from qdeck.client.tracker import (
    Deadline,
    Progress,
    ProgressCallback,
    Silent,
    SocketUnavailable,
    Talk,
    Tracker,
    decode,
    limit,
)
from qdeck.jobs.schemas import JobDetail

__all__ = ["Deadline", "Progress", "ProgressCallback", "Tracker", "follow", "follow_async"]
MAX_DROPS = 3  # reconnections (resuming with since=) before falling back to polling
OPEN_TIMEOUT = 10.0
POLL_FIRST, POLL_MAX = 0.1, 2.0
NOT_AUTHENTICATED = 4401


# --- synchronous ----------------------------------------------------------------------


def follow(
    fetch: Callable[[], JobDetail],
    tracker: Tracker,
    clock: Deadline,
    ws_url: str | None,
    headers: dict[str, str],
) -> tuple[JobDetail, str]:
    if ws_url is not None:
        try:
            return _socket(fetch, tracker, clock, ws_url, headers), "websocket"
        except SocketUnavailable:
            pass
    return _poll(fetch, tracker, clock), "polling"


def _socket(fetch, tracker: Tracker, clock: Deadline, url: str, headers) -> JobDetail:
    for _ in range(MAX_DROPS + 1):
        try:
            socket = connect(url, additional_headers=headers, open_timeout=OPEN_TIMEOUT)
        except (OSError, TimeoutError, WebSocketException) as exc:
            raise SocketUnavailable(str(exc)) from exc
        try:
            with socket:
                return _converse(socket, fetch, tracker, clock)
        except ConnectionClosed as exc:
            if exc.rcvd is not None and exc.rcvd.code == NOT_AUTHENTICATED:
                raise SocketUnavailable(exc.rcvd.reason) from exc
        except Silent:
            pass
    raise SocketUnavailable("the socket kept dropping")


def _converse(socket, fetch, tracker: Tracker, clock: Deadline) -> JobDetail:
    """Subscribe and read frames until the job finishes; return its final state."""

    def receive(wait: float) -> dict[str, Any] | None:
        try:
            return decode(socket.recv(timeout=limit(clock, tracker, wait)))
        except TimeoutError:
            if clock.left() <= 0:
                raise clock.expired(tracker.status) from None
            return None

    welcome = receive(OPEN_TIMEOUT) or {}
    if welcome.get("type") != "welcome":
        raise SocketUnavailable(f"unexpected first frame {welcome.get('type')!r}")
    talk = Talk(welcome)
    socket.send(json.dumps(tracker.subscribe()))
    while True:
        if talk.should_check() and tracker.job(job := fetch(), "rest"):
            return job
        action = talk.heard(receive(talk.wait()), tracker)
        if action == "final":
            return fetch()
        if action == "reload":
            socket.send(json.dumps(tracker.resubscribe()))


def _poll(fetch, tracker: Tracker, clock: Deadline) -> JobDetail:
    interval = POLL_FIRST
    while True:
        job = fetch()
        before = (tracker.status, tracker.phase)
        if tracker.job(job, "polling"):
            return job
        # Poll fast while things move, slower while a job sits in a queue.
        interval = POLL_FIRST if (tracker.status, tracker.phase) != before else interval * 1.5
        time.sleep(limit(clock, tracker, min(interval, POLL_MAX)))


# --- asyncio --------------------------------------------------------------------------


async def follow_async(
    fetch: Callable[[], Awaitable[JobDetail]],
    tracker: Tracker,
    clock: Deadline,
    ws_url: str | None,
    headers: dict[str, str],
) -> tuple[JobDetail, str]:
    if ws_url is not None:
        try:
            return await _socket_async(fetch, tracker, clock, ws_url, headers), "websocket"
        except SocketUnavailable:
            pass
    return await _poll_async(fetch, tracker, clock), "polling"


async def _socket_async(fetch, tracker: Tracker, clock: Deadline, url: str, headers) -> JobDetail:
    for _ in range(MAX_DROPS + 1):
        try:
            socket = await connect_async(url, additional_headers=headers, open_timeout=OPEN_TIMEOUT)
        except (OSError, TimeoutError, WebSocketException) as exc:
            raise SocketUnavailable(str(exc)) from exc
        try:
            async with socket:
                return await _converse_async(socket, fetch, tracker, clock)
        except ConnectionClosed as exc:
            if exc.rcvd is not None and exc.rcvd.code == NOT_AUTHENTICATED:
                raise SocketUnavailable(exc.rcvd.reason) from exc
        except Silent:
            pass
    raise SocketUnavailable("the socket kept dropping")


async def _converse_async(socket, fetch, tracker: Tracker, clock: Deadline) -> JobDetail:
    async def receive(wait: float) -> dict[str, Any] | None:
        try:
            async with asyncio.timeout(limit(clock, tracker, wait)):
                return decode(await socket.recv())
        except TimeoutError:
            if clock.left() <= 0:
                raise clock.expired(tracker.status) from None
            return None

    welcome = await receive(OPEN_TIMEOUT) or {}
    if welcome.get("type") != "welcome":
        raise SocketUnavailable(f"unexpected first frame {welcome.get('type')!r}")
    talk = Talk(welcome)
    await socket.send(json.dumps(tracker.subscribe()))
    while True:
        if talk.should_check() and tracker.job(job := await fetch(), "rest"):
            return job
        action = talk.heard(await receive(talk.wait()), tracker)
        if action == "final":
            return await fetch()
        if action == "reload":
            await socket.send(json.dumps(tracker.resubscribe()))


async def _poll_async(fetch, tracker: Tracker, clock: Deadline) -> JobDetail:
    interval = POLL_FIRST
    while True:
        job = await fetch()
        before = (tracker.status, tracker.phase)
        if tracker.job(job, "polling"):
            return job
        interval = POLL_FIRST if (tracker.status, tracker.phase) != before else interval * 1.5
        await asyncio.sleep(limit(clock, tracker, min(interval, POLL_MAX)))
