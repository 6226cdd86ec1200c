"""A consumer for the ``qdeck events`` tests (QDECK_PLUGINS='["tests.events.parking_plugin"]'):
it fails on event n=2 while the file named by QDECK_TEST_PARKING_MARKER exists, and
writes each event it handles to QDECK_TEST_PARKING_LOG."""

from __future__ import annotations

import os
from pathlib import Path

from qdeck.events.bus import Event
from qdeck.events.registry import Consumer, HandlerContext, Registry

KIND = "test.parking"


async def handle(ctx: HandlerContext, event: Event) -> None:
    # Tiny local files: blocking the loop for a microsecond is harmless in a test plugin.
    down = Path(os.environ["QDECK_TEST_PARKING_MARKER"]).exists()  # noqa: ASYNC240
    if event.data.get("n") == 2 and down:
        raise RuntimeError("the downstream service is down")
    with Path(os.environ["QDECK_TEST_PARKING_LOG"]).open("a") as log:  # noqa: ASYNC230
        log.write(f"{event.data['n']}\n")


def register(registry: Registry) -> None:
    registry.add_consumer(Consumer("test-parking", handle, frozenset({KIND})))
