from __future__ import annotations

from collections.abc import Iterator

import pytest

from qdeck.client import QDeckClient
from tests.client.live import Account, new_account, running_server
from tests.live_server import LiveServer


@pytest.fixture(scope="module")
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """One real server per test module (SERVER_WORKERS in the module: its worker count)."""
    workers = getattr(request.module, "SERVER_WORKERS", 2)
    with running_server(tmp_path_factory, workers) as live:
        yield live


@pytest.fixture(scope="module")
def ada(server: LiveServer) -> Account:
    return new_account(server, "Ada")


@pytest.fixture(scope="module")
def qd(server: LiveServer, ada: Account) -> Iterator[QDeckClient]:
    with QDeckClient(server.url, ada.token) as client:
        yield client
