"""job.wait(): live over the WebSocket, by polling when the socket cannot be opened."""

from __future__ import annotations

import time

import pytest

from qdeck.client import AsyncQDeckClient, JobFailed, Progress, QDeckClient, WaitTimeout
from qdeck.testing.live_server import free_port
from tests.client.live import BELL, Account, slow_circuit, websocket_available
from tests.live_server import LiveServer

# A job's life in order; what a follower reports must never go backwards in it.
LIFE = [
    ("queued", None),
    ("running", None),
    ("running", "transpiling"),
    ("running", "executing"),
    ("running", "post_processing"),
    ("completed", None),
]
# Seconds of simulation ahead of the followed job in its quantum session (one job at a
# time), so the whole life of the followed job happens after the socket subscribed.
BLOCKER = slow_circuit(22, 8)


@pytest.fixture(scope="module")
def live(server: LiveServer, ada: Account) -> None:
    if not websocket_available(server, ada):
        pytest.skip("this server has no /api/v1/ws yet")


def assert_followed_live(updates: list[Progress]) -> None:
    # While queued, only the queue position changes; everything after arrives live.
    seen = [(u.status, u.phase) for u in updates]
    assert [s for k, s in enumerate(seen) if k == 0 or s != seen[k - 1]] == LIFE, seen
    assert all(u.via == "websocket" for u in updates if u.status != "queued"), updates


def test_wait_follows_every_phase_over_the_websocket(qd: QDeckClient, live: None) -> None:
    session = qd.sessions.open("aer_simulator", name="one at a time")
    qd.jobs.submit(BLOCKER, shots=10, session_id=session.id)
    job = qd.jobs.submit(BELL, shots=100, session_id=session.id)
    updates: list[Progress] = []
    result = job.wait(timeout=120, on_progress=updates.append)
    qd.sessions.close(session.id)
    assert result.followed_by == "websocket"
    assert sum(result.counts.values()) == 100
    assert_followed_live(updates)


async def test_async_wait_follows_the_websocket_too(
    server: LiveServer, ada: Account, live: None
) -> None:
    updates: list[Progress] = []
    async with AsyncQDeckClient(server.url, ada.token) as qd:
        session = await qd.sessions.open("aer_simulator", name="one at a time")
        await qd.jobs.submit(BLOCKER, shots=10, session_id=session.id)
        job = await qd.jobs.submit(BELL, shots=100, session_id=session.id)
        result = await job.wait(on_progress=updates.append)
        await qd.sessions.close(session.id)
    assert result.followed_by == "websocket"
    assert_followed_live(updates)


def test_wait_polls_when_the_socket_cannot_be_opened(server: LiveServer, ada: Account) -> None:
    # Nothing listens on this port: as with a proxy that refuses WebSocket upgrades.
    closed = f"ws://127.0.0.1:{free_port()}/api/v1/ws"
    updates: list[Progress] = []
    with QDeckClient(server.url, ada.token, websocket_url=closed) as qd:
        result = qd.jobs.submit(BELL, shots=300).wait(timeout=120, on_progress=updates.append)
    assert result.followed_by == "polling"
    assert sum(result.counts.values()) == 300
    assert updates[-1].status == "completed" and updates[-1].via == "polling"

    with QDeckClient(server.url, ada.token, live_updates=False) as qd:
        assert qd.jobs.submit(BELL, shots=10).wait(timeout=120).followed_by == "polling"


def test_wait_gives_up_after_its_timeout_and_the_job_keeps_running(qd: QDeckClient) -> None:
    job = qd.jobs.submit(slow_circuit(), shots=10)
    started = time.monotonic()
    with pytest.raises(WaitTimeout) as late:
        job.wait(timeout=1.0)
    assert time.monotonic() - started < 5
    assert "keeps running" in str(late.value)
    assert job.refresh().status in ("queued", "running")
    job.cancel()


def test_a_failed_job_raises_with_the_servers_reason(qd: QDeckClient) -> None:
    job = qd.jobs.submit(slow_circuit(), shots=10, timeout_seconds=1)
    with pytest.raises(JobFailed) as failed:
        job.wait(timeout=120)
    assert failed.value.code == "timeout"
    assert "time limit" in str(failed.value)
    assert job.status == "failed"
