"""Consumers read committed events from their own position: each event once in effect, in
order; a handler that fails is retried, then parked without holding up anyone else; an
admin retries it through the API once the cause is fixed."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from qdeck.activity.models import ActivityEntry
from qdeck.auth.models import User
from qdeck.db.types import utcnow
from qdeck.events.bus import Event
from qdeck.events.consumers import ConsumerRunner, ensure_registered
from qdeck.events.models import EventConsumer, EventFailure, OutboxEvent
from qdeck.events.outbox import emit
from qdeck.events.registry import Consumer, HandlerContext
from qdeck.jobs.models import Job
from tests.jobs.conftest import BELL


def thing(n: int, kind: str = "test.thing") -> Event:
    return Event(type=kind, workspace_id=None, data={"n": n})


async def emit_many(database, events: list[Event]) -> None:
    async with database.session() as session:
        for event in events:
            emit(session, event)


async def drain(runner: ConsumerRunner, consumer: Consumer) -> None:
    while await runner.run_once(consumer):
        pass


async def test_a_rolled_back_change_has_no_event_and_a_committed_one_has(app) -> None:
    database = app.state.database
    with pytest.raises(RuntimeError):
        async with database.session() as session:
            emit(session, thing(1))
            raise RuntimeError("the change fails")
    await emit_many(database, [thing(2)])
    async with database.session(write=False) as session:
        stored = [
            row.data["n"]
            for row in await session.scalars(
                select(OutboxEvent).where(OutboxEvent.type == "test.thing")
            )
        ]
    assert stored == [2]


async def test_each_event_is_handled_once_in_order_and_effects_commit_with_the_position(
    app,
) -> None:
    database, seen = app.state.database, []

    async def handler(ctx: HandlerContext, event: Event) -> None:
        seen.append(event.data["n"])

    consumer = Consumer("test-order", handler, frozenset({"test.thing"}))
    runner = ConsumerRunner(database, app.state.settings, [consumer])
    async with database.session() as session:
        await ensure_registered(session, [consumer.name])
    await emit_many(database, [thing(n) for n in range(250)] + [thing(0, "test.other")])
    await drain(runner, consumer)
    await drain(runner, consumer)  # a second pass finds nothing new
    assert seen == list(range(250))
    async with database.session(write=False) as session:
        state = await session.get(EventConsumer, "test-order")
        newest = await session.scalar(select(OutboxEvent.id).order_by(OutboxEvent.id.desc()))
    assert state is not None and state.position == newest  # moved past the other type too


async def test_a_failing_handler_is_retried_then_parked_and_others_go_on(
    app_with, accounts_factory
):
    async with app_with(consumer_retry_seconds=0.01, consumer_max_attempts=3) as (app, _client):
        database, settings, effects, calls = app.state.database, app.state.settings, [], []

        async def picky(ctx: HandlerContext, event: Event) -> None:
            calls.append(event.data["n"])
            if event.data["n"] == 2:
                raise ValueError("cannot handle two")
            effects.append(event.data["n"])

        async def steady(ctx: HandlerContext, event: Event) -> None:
            effects.append(("steady", event.data["n"]))

        flaky = Consumer("test-flaky", picky, frozenset({"test.thing"}))
        other = Consumer("test-steady", steady, frozenset({"test.thing"}))
        app.state.registry.add_consumer(flaky)
        runner = ConsumerRunner(database, settings, [flaky, other])
        async with database.session() as session:
            await ensure_registered(session, [flaky.name, other.name])
        await emit_many(database, [thing(n) for n in range(1, 5)])

        await runner.run_once(other)
        assert [e for e in effects if isinstance(e, tuple)] == [("steady", n) for n in range(1, 5)]
        await runner.run_once(flaky)  # 1 handled, 2 fails: the consumer waits at 2
        assert [e for e in effects if not isinstance(e, tuple)] == [1]
        for _ in range(2):  # wait out the backoff, try again, fail again
            await _expire_retry(database, flaky.name)
            await runner.run_once(flaky)
        # Third failure: parked, and the consumer moved on to 3 and 4.
        assert calls == [1, 2, 2, 2, 3, 4]
        assert [e for e in effects if not isinstance(e, tuple)] == [1, 3, 4]

        people = accounts_factory(app)
        root = await people.sign_up("Root")
        member = await people.sign_up("Member")
        async with database.session() as session:
            await session.execute(
                update(User).where(User.id == uuid.UUID(root.id)).values(is_admin=True)
            )
        lag = (await root.client.get("/api/v1/events/consumers")).json()
        flaky_row = next(row for row in lag if row["name"] == "test-flaky")
        assert flaky_row["parked"] == 1 and flaky_row["lag"] == 0
        parked = (await root.client.get("/api/v1/events/parked?consumer=test-flaky")).json()
        assert len(parked) == 1 and parked[0]["attempts"] == 3
        assert "cannot handle two" in parked[0]["last_error"]
        assert (await member.client.get("/api/v1/events/parked")).status_code == 403

        # Still broken: the retry says so and nothing changes.
        failed = await root.client.post(f"/api/v1/events/parked/{parked[0]['id']}/retry")
        assert failed.status_code == 409 and failed.json()["code"] == "retry_failed"
        picky_fixed = Consumer("test-flaky", steady, frozenset({"test.thing"}))
        app.state.registry.consumers["test-flaky"] = picky_fixed
        retried = await root.client.post(f"/api/v1/events/parked/{parked[0]['id']}/retry")
        assert retried.status_code == 204, retried.text
        assert ("steady", 2) in effects[-1:]
        assert (await root.client.get("/api/v1/events/parked")).json() == []
        missing = await root.client.post("/api/v1/events/parked/999999/retry")
        assert missing.status_code == 404 and missing.json()["code"] == "parked_event_not_found"
        await people.close()


async def _expire_retry(database, name: str) -> None:
    async with database.session() as session:
        await session.execute(
            update(EventConsumer)
            .where(EventConsumer.name == name)
            .values(retry_at=utcnow() - timedelta(seconds=1))
        )


async def test_what_a_failed_handler_emitted_is_never_announced(app) -> None:
    database = app.state.database

    async def emits_then_fails(ctx: HandlerContext, event: Event) -> None:
        emit(ctx.session, thing(99, "test.echo"))
        raise RuntimeError("after emitting")

    consumer = Consumer("test-echo", emits_then_fails, frozenset({"test.thing"}))
    runner = ConsumerRunner(
        database, app.state.settings.model_copy(update={"consumer_max_attempts": 1}), [consumer]
    )
    async with database.session() as session:
        await ensure_registered(session, [consumer.name])
    await emit_many(database, [thing(1)])
    await runner.run_once(consumer)
    async with database.session(write=False) as session:
        echoes = list(
            await session.scalars(select(OutboxEvent).where(OutboxEvent.type == "test.echo"))
        )
        parked = list(await session.scalars(select(EventFailure)))
    assert echoes == [] and len(parked) == 1 and parked[0].parked


async def test_job_outcomes_reach_the_activity_feed_through_the_consumer(app, accounts) -> None:
    ada = await accounts.sign_up("Ada")
    job = (
        await ada.client.post("/api/v1/jobs", json={"circuits": [{"source": BELL}], "shots": 50})
    ).json()
    for _ in range(400):
        async with app.state.database.session(write=False) as session:
            verbs = list(
                await session.scalars(
                    select(ActivityEntry.verb)
                    .where(ActivityEntry.subject_id == job["id"])
                    .order_by(ActivityEntry.id)
                )
            )
            status = (await session.get(Job, uuid.UUID(job["id"]))).status
        if "job.completed" in verbs:
            break
        await asyncio.sleep(0.05)
    assert status == "completed"
    assert verbs == ["job.submitted", "job.completed"]
    feed = (await ada.client.get(f"/api/v1/workspaces/{ada.personal_workspace_id}/activity")).json()
    assert feed["items"][0]["summary"].endswith("completed")
    assert feed["items"][1]["summary"].startswith("Ada submitted")


async def test_old_events_every_consumer_passed_are_pruned(app) -> None:
    database, settings = app.state.database, app.state.settings
    await emit_many(database, [thing(n) for n in range(3)])
    consumer = Consumer("test-prune", lambda ctx, e: _nothing(), frozenset({"test.thing"}))
    runner = ConsumerRunner(database, settings, [consumer])
    async with database.session() as session:
        await ensure_registered(session, [consumer.name])
        await session.execute(
            update(OutboxEvent).values(
                created_at=utcnow() - timedelta(days=settings.event_retention_days + 1)
            )
        )
    assert await runner.prune() == 0  # the consumer has not passed them yet
    await drain(runner, consumer)
    # Pruning waits for every consumer, the app's own (activity) included.
    for other in app.state.registry.consumers.values():
        await drain(runner, other)
    assert await runner.prune() == 3


async def _nothing() -> None:
    return None
