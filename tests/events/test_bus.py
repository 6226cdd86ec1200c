"""The event bus: a slow subscriber never slows the others; Redis carries events between
processes."""

from __future__ import annotations

import asyncio
import os
import uuid

import pytest

from qdeck.events.bus import Event, EventBus, EventType
from qdeck.events.redis_transport import RedisTransport

REDIS_URL = os.environ.get("QDECK_TEST_REDIS_URL", "")
needs_redis = pytest.mark.skipif(
    not REDIS_URL and not os.environ.get("CI"),
    reason="set QDECK_TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/15) to run Redis tests",
)


def job_event(n: int, workspace: uuid.UUID) -> Event:
    return Event(
        type=EventType.JOB_STATUS_CHANGED,
        workspace_id=workspace,
        job_id=uuid.uuid4(),
        seq=n,
        data={"status": "running", "n": n},
    )


async def test_a_slow_subscriber_is_dropped_and_the_others_get_everything() -> None:
    bus = EventBus()
    dropped = []
    slow = bus.subscribe(max_queue=5, on_overflow=lambda: dropped.append(True))
    fast = bus.subscribe(max_queue=1000)
    workspace = uuid.uuid4()
    for n in range(50):
        await bus.publish(job_event(n, workspace))
    assert [fast.queue.get_nowait().seq for _ in range(50)] == list(range(50))
    assert slow.overflowed and dropped == [True]
    assert bus.subscriber_count == 1


async def test_filters_decide_what_a_subscriber_sees() -> None:
    bus = EventBus()
    mine, theirs = uuid.uuid4(), uuid.uuid4()
    subscription = bus.subscribe(lambda e: e.workspace_id == mine)
    await bus.publish(job_event(1, theirs))
    await bus.publish(job_event(2, mine))
    assert subscription.queue.get_nowait().seq == 2
    assert subscription.queue.empty()


@needs_redis
async def test_redis_carries_events_between_two_buses_in_order() -> None:
    channel = f"qdeck:test:{uuid.uuid4().hex}"
    one, two = EventBus(), EventBus()
    first = RedisTransport(REDIS_URL, channel, one)
    second = RedisTransport(REDIS_URL, channel, two)
    await first.start()
    await second.start()
    try:
        local = one.subscribe()
        remote = two.subscribe()
        workspace = uuid.uuid4()
        for n in range(20):
            await one.publish(job_event(n, workspace))
        received = [await asyncio.wait_for(remote.get(), 5) for _ in range(20)]
        assert [e.seq for e in received] == list(range(20))
        assert received[3].workspace_id == workspace and received[3].data["n"] == 3
        # The publisher's own subscribers got each event once, not again from Redis.
        assert [local.queue.get_nowait().seq for _ in range(20)] == list(range(20))
        await asyncio.sleep(0.2)
        assert local.queue.empty()
    finally:
        await first.stop()
        await second.stop()
