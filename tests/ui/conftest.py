"""NiceGUI's ``User`` against the real qdeck app.

NiceGUI's own ``user`` fixture runs a ``main.py``; qdeck's UI lives inside
``create_app(settings, runner=...)``, so this fixture does what NiceGUI's
``user_simulation`` does (reset NiceGUI's globals, mark the run as a simulation) and then
builds the app with the test database and the shared workers. ``mount_ui`` configures
NiceGUI afresh after the reset, and the app's lifespan starts and stops it.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

import httpx
import pytest
from nicegui import ui
from nicegui.functions.download import download
from nicegui.functions.navigate import Navigate
from nicegui.functions.notify import notify
from nicegui.testing import User
from nicegui.testing.general import nicegui_reset_globals

from qdeck.app import create_app
from qdeck.config import Settings
from qdeck.engine.local_runner import LocalProcessRunner
from tests.accounts import PASSWORD, Accounts, Person
from tests.ui.browser import launch

NewUser = Callable[[], User]


@pytest.fixture
async def ui_app(settings: Settings, runner: LocalProcessRunner) -> AsyncIterator[object]:
    with nicegui_reset_globals():
        os.environ["NICEGUI_USER_SIMULATION"] = "true"
        try:
            application = create_app(settings, runner=runner)
            async with application.router.lifespan_context(application):
                yield application
        finally:
            os.environ.pop("NICEGUI_USER_SIMULATION", None)
            ui.navigate = Navigate()
            ui.notify = notify
            ui.download = download
    for job_id in list(runner.worker_pids()):
        await runner.cancel(job_id)
    await runner.wait_ready()


@pytest.fixture
async def new_user(ui_app: object) -> AsyncIterator[NewUser]:
    """Browsers: each call is another person with their own cookies."""
    clients: list[httpx.AsyncClient] = []

    def make() -> User:
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=ui_app),  # type: ignore[arg-type]
            base_url="http://testserver",
        )
        clients.append(client)
        return User(client)

    yield make
    for client in clients:
        await client.aclose()


@pytest.fixture
async def user(new_user: NewUser) -> User:
    return new_user()


@pytest.fixture
async def api(ui_app: object) -> AsyncIterator[Accounts]:
    """People using the REST API (or the CLI) next to the browser."""
    registry = Accounts(ui_app)
    yield registry
    await registry.close()


LogIn = Callable[[User, Person], Awaitable[None]]


@pytest.fixture
def log_in() -> LogIn:
    async def do(user: User, person: Person) -> None:
        await user.open("/login")
        user.find(marker="email").type(person.email)
        user.find(marker="password").type(PASSWORD)
        user.find(marker="log-in").click()
        await user.should_see("Hello,", retries=30)

    return do


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium for one module's browser journeys (tests/ui/browser.py)."""
    yield from launch()
