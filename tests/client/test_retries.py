"""Retries through a faulty network in front of a real server: reads are retried, and a job
submission is never sent twice."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from qdeck.client import QDeckClient, ServerError, ServerUnreachable, SubmissionUncertain
from qdeck.testing.live_server import free_port
from tests.client.faulty_proxy import FaultyProxy
from tests.client.live import BELL, Account
from tests.live_server import LiveServer

# Jobs here only need storing, not running in parallel.
SERVER_WORKERS = 1


@pytest.fixture
def proxy(server: LiveServer) -> Iterator[FaultyProxy]:
    faulty = FaultyProxy(server.port).start()
    yield faulty
    faulty.stop()


def _through(proxy: FaultyProxy, ada: Account, **options) -> QDeckClient:
    return QDeckClient(proxy.url, ada.token, backoff=0.05, **options)


def _stored(qd: QDeckClient, name: str) -> list[str]:
    return [str(job.id) for job in qd.jobs.iter(q=name)]


def test_reads_are_retried_through_drops_and_gateway_errors(
    proxy: FaultyProxy, ada: Account
) -> None:
    proxy.plan.extend(["lose_response", "503", "502"])
    with _through(proxy, ada) as qd:
        assert qd.me().user.email == ada.email
    assert proxy.connections == ["lose_response", "503", "502", "forward"]


def test_a_submission_whose_response_was_lost_is_not_sent_again(
    proxy: FaultyProxy, ada: Account, qd: QDeckClient
) -> None:
    proxy.plan.append("lose_response")
    with _through(proxy, ada) as flaky, pytest.raises(SubmissionUncertain) as uncertain:
        flaky.jobs.submit(BELL, name="exactly once")
    assert "may or may not have been stored" in str(uncertain.value)
    assert proxy.connections == ["lose_response"]
    # The server did store it: a blind retry would have run the job twice.
    assert len(_stored(qd, "exactly once")) == 1


def test_a_gateway_error_on_submission_is_reported_not_retried(
    proxy: FaultyProxy, ada: Account, qd: QDeckClient
) -> None:
    proxy.plan.append("502")
    with _through(proxy, ada) as flaky, pytest.raises(ServerError) as gateway:
        flaky.jobs.submit(BELL, name="behind a gateway")
    assert gateway.value.status == 502
    assert "may or may not have been stored" in str(gateway.value)
    assert proxy.connections == ["502"]
    assert _stored(qd, "behind a gateway") == []


def test_a_submission_the_server_never_saw_is_retried(
    server: LiveServer, ada: Account, qd: QDeckClient
) -> None:
    # The port refuses connections until the "gateway" comes up a moment later.
    port = free_port()
    late = FaultyProxy(server.port, port=port)
    threading.Timer(0.3, late.start).start()
    try:
        with QDeckClient(late.url, ada.token, retries=6, backoff=0.1) as qd_late:
            job = qd_late.jobs.submit(BELL, name="after a refusal")
        assert _stored(qd, "after a refusal") == [job.id]
    finally:
        late.stop()


def test_timeouts_are_configurable(proxy: FaultyProxy, ada: Account) -> None:
    proxy.plan.extend(["stall", "stall"])
    started = time.monotonic()
    with (
        _through(proxy, ada, timeout=0.3, retries=1) as qd,
        pytest.raises(ServerUnreachable) as slow,
    ):
        qd.me()
    assert time.monotonic() - started < 3
    assert "no answer in time" in str(slow.value)


def test_an_unreachable_server_says_what_to_check() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with (
        QDeckClient(url, "qdk_x", retries=2, backoff=0.01) as qd,
        pytest.raises(ServerUnreachable) as down,
    ):
        qd.jobs.list()
    assert url in str(down.value)
    assert "check that the server is running" in str(down.value)
