"""The live bus: a slow subscriber never slows the others. Redis wakes other processes'
relays, so what one process commits reaches another's subscribers without waiting for a
poll."""

from __future__ import annotations

import asyncio
import os
import uuid

import pytest

from qdeck.events.bus import Event, EventBus
from qdeck.events.outbox import emit
from qdeck.events.redis_transport import RedisTransport
from qdeck.events.relay import OutboxRelay

REDIS_URL = os.environ.get("QDECK_TEST_REDIS_URL", "")
needs_redis = pytest.mark.skipif(
    not REDIS_URL and not os.environ.get("CI"),
    reason="set QDECK_TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/15) to run Redis tests",
)


def job_event(n: int, workspace: uuid.UUID) -> Event:
    return Event(
        type="job.status_changed",
        workspace_id=workspace,
        job_id=uuid.uuid4(),
        seq=n,
        data={"status": "running", "n": n},
    )


def test_a_slow_subscriber_is_dropped_and_the_others_get_everything() -> None:
    bus = EventBus()
    dropped = []
    slow = bus.subscribe(max_queue=5, on_overflow=lambda: dropped.append(True))
    fast = bus.subscribe(max_queue=1000)
    workspace = uuid.uuid4()
    for n in range(50):
        bus.deliver(job_event(n, workspace))
    assert [fast.queue.get_nowait().seq for _ in range(50)] == list(range(50))
    assert slow.overflowed and dropped == [True]
    assert bus.subscriber_count == 1


def test_filters_decide_what_a_subscriber_sees() -> None:
    bus = EventBus()
    mine, theirs = uuid.uuid4(), uuid.uuid4()
    subscription = bus.subscribe(lambda e: e.workspace_id == mine)
    bus.deliver(job_event(1, theirs))
    bus.deliver(job_event(2, mine))
    assert subscription.queue.get_nowait().seq == 2
    assert subscription.queue.empty()


def test_a_personal_event_reaches_only_its_owner_and_the_process_own_subscribers() -> None:
    bus = EventBus()
    ada, bob = uuid.uuid4(), uuid.uuid4()
    # Filters that accept everything: the owner alone decides who hears a personal event.
    adas, bobs, worker = bus.subscribe(owner=ada), bus.subscribe(owner=bob), bus.subscribe()
    bus.deliver(Event(type="notification.created", workspace_id=None, user_id=ada, data={}))
    assert adas.queue.qsize() == 1 and worker.queue.qsize() == 1 and bobs.queue.empty()
    # A workspace's event is not personal, even when it names a person.
    bus.deliver(Event(type="activity", workspace_id=uuid.uuid4(), user_id=ada, data={}))
    assert (adas.queue.qsize(), bobs.queue.qsize(), worker.queue.qsize()) == (2, 1, 2)
    adas.close()
    bus.deliver(Event(type="notification.created", workspace_id=None, user_id=ada, data={}))
    assert bus.subscriber_count == 2 and worker.queue.qsize() == 3


@needs_redis
async def test_redis_wakes_another_relay_long_before_its_poll(app) -> None:
    """Two relays on one database, as two processes would have; the second polls only
    every 30 s, so only the Redis wake-up can bring it the event quickly."""
    database = app.state.database
    channel = f"qdeck:test:{uuid.uuid4().hex}"
    elsewhere = EventBus()
    relay = OutboxRelay(database, elsewhere, poll_seconds=30)
    await relay.start()
    relay_stops_offers = database.on_events_committed
    database.on_events_committed = app.state.relay.offer  # commits stay this process's
    assert relay_stops_offers == relay.offer
    local = RedisTransport(REDIS_URL, channel, app.state.relay)
    remote = RedisTransport(REDIS_URL, channel, relay)
    await local.start()
    await remote.start()
    try:
        heard = elsewhere.subscribe()
        workspace = uuid.uuid4()
        async with database.session() as session:
            for n in range(3):
                emit(session, job_event(n, workspace))
        received = [await asyncio.wait_for(heard.get(), 5) for _ in range(3)]
        assert [e.data["n"] for e in received] == [0, 1, 2]
        assert all(e.workspace_id == workspace and e.id for e in received)
    finally:
        await remote.stop()
        await local.stop()
        await relay.stop()
