"""A job's events leave each topic in their stored order, whatever order they arrive in."""

from __future__ import annotations

import uuid

from qdeck.events.bus import Event
from qdeck.events.ordering import JobOrder

JOB = str(uuid.uuid4())


def event(seq: int, prev: int | None, job: str = JOB) -> Event:
    kind = "job.submitted" if prev is None else "job.status_changed"
    return Event(
        type=kind,
        workspace_id=None,
        job_id=uuid.UUID(job),
        seq=seq,
        data={"job_id": job, "prev_seq": prev},
    )


def seqs(events: list[Event]) -> list[int | None]:
    return [e.seq for e in events]


def test_a_successor_waits_for_its_predecessor() -> None:
    order = JobOrder(floor=0)
    assert seqs(order.accept(event(9, None))) == [9]
    assert seqs(order.accept(event(15, 10))) == []  # arrived before 10
    assert seqs(order.accept(event(10, 9))) == [10, 15]
    assert seqs(order.accept(event(16, 15))) == [16]


def test_events_from_before_the_subscription_are_not_waited_for() -> None:
    order = JobOrder(floor=100)
    assert seqs(order.accept(event(105, 90))) == [105]
    assert seqs(order.accept(event(95, 90))) == []  # older than the starting point


def test_duplicates_are_sent_once_and_jobs_are_independent() -> None:
    order = JobOrder(floor=0)
    other = str(uuid.uuid4())
    assert seqs(order.accept(event(1, None))) == [1]
    assert seqs(order.accept(event(1, None))) == []
    assert seqs(order.accept(event(3, 2, job=other))) == []
    assert seqs(order.accept(event(4, 1))) == [4]
    assert order.stalled(patience_seconds=0) == [(other, 0)]
