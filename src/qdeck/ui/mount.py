"""Serve the web UI from the qdeck FastAPI app.

NiceGUI is a process-wide singleton: one ``core.app`` holding every page, mounted into the
qdeck app. Production has one qdeck app per process, but the test suite builds many, one
after another and sometimes two at once, so NiceGUI is configured once per process (again
only after the test harness resets it) and then mounted into each app. Pages never hold
a reference to an app: each request says which qdeck app served it (``qdeck_for``).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from fastapi import FastAPI
from nicegui import Client, background_tasks, core, helpers, run, ui
from nicegui import app as nicegui_app
from nicegui.nicegui import _shutdown, _startup
from nicegui.storage import Storage
from starlette.routing import Match, Mount
from starlette.types import Scope

from qdeck.config import Settings
from qdeck.ui import compute
from qdeck.ui.components.samples import BELL as WARM_UP
from qdeck.ui.context import SCOPE_KEY
from qdeck.ui.errors import install_error_pages
from qdeck.ui.pages import register_pages
from qdeck.ui.theme import FAVICON

# Paths the UI never answers: the API keeps its own 404 and 405 problem documents.
API_PREFIXES = ("/api/", "/healthz", "/readyz")


class UiMount(Mount):
    """NiceGUI at every path except the API's; tells each request which app served it."""

    def __init__(self, qdeck: FastAPI) -> None:
        super().__init__("", app=core.app)
        self.qdeck = qdeck

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] in ("http", "websocket") and scope["path"].startswith(API_PREFIXES):
            return Match.NONE, {}
        match, child = super().matches(scope)
        if match != Match.NONE:
            child[SCOPE_KEY] = self.qdeck
        return match, child


def mount_ui(app: FastAPI, settings: Settings) -> None:
    """Add the web UI (pages, static files, NiceGUI's socket) to ``app``."""
    if not core.app.config.has_run_config:
        _configure_nicegui(settings)
    app.router.routes.append(UiMount(app))
    app.router.lifespan_context = _with_nicegui(app.router.lifespan_context)


def storage_secret(settings: Settings) -> str:
    """The key signing NiceGUI's browser-session cookie, derived from the instance secret."""
    return hmac.new(settings.instance_secret, b"qdeck-ui-storage", hashlib.sha256).hexdigest()


def _configure_nicegui(settings: Settings) -> None:
    # ui.run_with configures NiceGUI and mounts it; qdeck mounts it itself (UiMount), so
    # the configuration is applied through a throwaway app.
    _forget_earlier_configuration()
    storage = settings.data_dir / "ui-sessions"
    storage.mkdir(parents=True, exist_ok=True, mode=0o700)
    Storage.path = storage
    run.process_pool_start_method = "spawn"
    ui.button.default_props("no-caps")
    register_pages()
    install_error_pages()
    nicegui_app.on_startup(_warm_worker_processes)
    ui.run_with(
        FastAPI(),
        title="qdeck",
        favicon=FAVICON,
        dark=None,
        storage_secret=storage_secret(settings),
        session_middleware_kwargs={
            "session_cookie": "qdeck_ui",
            "max_age": settings.session_ttl_hours * 3600,
            "same_site": "lax",
            "https_only": settings.cookies_secure,
        },
        language="en-US",  # also the <html lang> screen readers need
        show_welcome_message=False,
        reconnect_timeout=10.0,
    )


async def _warm_worker_processes() -> None:
    """Start the CPU workers and import Qiskit there now, not on a user's first keystroke.
    Skipped under pytest, where NiceGUI restarts for every test."""
    if helpers.is_pytest():
        return
    for _ in range(2):
        background_tasks.create(run.cpu_bound(compute.check_circuit, WARM_UP), name="warm up")


def _forget_earlier_configuration() -> None:
    """NiceGUI's test harness resets its run config but keeps middleware and page routes;
    start from a clean slate so they are not added twice."""
    core.app.middleware_stack = None
    core.app.user_middleware.clear()
    pages = set(Client.page_routes.values())
    core.app.router.routes[:] = [
        route for route in core.app.router.routes if getattr(route, "path", None) not in pages
    ]
    Client.page_routes.clear()


# How many qdeck apps in this process are running; NiceGUI starts with the first and
# stops with the last.
_running = 0


def _with_nicegui(
    inner: Callable[[Any], AbstractAsyncContextManager[Any]],
) -> Callable[[Any], AbstractAsyncContextManager[Any]]:
    @asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[Any]:
        global _running
        if _running == 0:
            await _startup()
        _running += 1
        try:
            async with inner(app) as state:
                yield state
        finally:
            _running -= 1
            if _running == 0:
                await _shutdown()

    return lifespan
