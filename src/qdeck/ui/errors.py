"""Friendly error pages (404, 500) in qdeck's frame, and the UI's handling of domain errors."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar

import structlog
from fastapi import Request, Response
from fastapi.exception_handlers import http_exception_handler
from nicegui import Client, app, core, ui
from starlette.exceptions import HTTPException as StarletteHTTPException

from qdeck.errors import QdeckError
from qdeck.ui.theme import apply_theme

log = structlog.get_logger("qdeck.ui")
T = TypeVar("T")


def install_error_pages() -> None:
    core.app.exception_handlers[404] = _not_found
    app.on_page_exception(_server_error)


async def _not_found(request: Request, exception: Exception) -> Response:
    endpoint = request.scope.get("endpoint")
    is_page = bool(request.scope.get("nicegui_page_path"))
    if (
        endpoint is not None
        and endpoint is not core.app
        and not is_page
        and isinstance(exception, StarletteHTTPException)
    ):
        return await http_exception_handler(request, exception)  # NiceGUI's own files
    viewer = await _signed_in_viewer(request)
    with Client(ui.page(""), request=request) as client:
        if viewer is None:
            error_shell(404)
        else:
            # A signed-in user keeps their header, sidebar and theme: only the content is
            # the error.
            from qdeck.ui.layout import frame

            with frame(viewer, MESSAGES[404][0], active=""):
                error_content(404)
    return client.build_response(request, 404)


async def _signed_in_viewer(request: Request):
    from qdeck.ui.session import current_viewer

    try:
        return await current_viewer(request)
    except Exception:
        log.warning("404 page without a viewer", exc_info=True)
        return None


def _server_error(exception: Exception) -> None:
    log.error("page failed", error=repr(exception))
    error_shell(500)


MESSAGES = {
    404: ("Page not found", "The page you asked for does not exist, or you cannot see it."),
    500: ("Something went wrong", "qdeck hit an unexpected error. It has been logged."),
}


def error_shell(status: int) -> None:
    """A whole error page: qdeck's header and a message with ways out."""
    from qdeck.ui.layout import brand

    apply_theme()
    ui.page_title(f"{MESSAGES[status][0]} · qdeck")
    with ui.header().classes("qd-header px-4 py-2 items-center"):
        brand("/")
    with ui.column().classes("w-full items-center"):
        error_content(status)


def error_content(status: int, detail: str = "") -> None:
    """The message block, also used inside a page's frame (a job that does not exist)."""
    title, message = MESSAGES.get(status, MESSAGES[500])
    with ui.column().classes("w-full max-w-xl mx-auto items-center text-center gap-3 py-16"):
        ui.label(str(status)).classes("text-7xl font-black qd-gradient-text")
        ui.label(title).classes("text-2xl font-bold").props('role="heading" aria-level="1"')
        ui.label(detail or message).classes("qd-muted")
        with ui.row().classes("gap-2 mt-2"):
            ui.button(
                "Go to the dashboard",
                icon="space_dashboard",
                on_click=lambda: ui.navigate.to("/dashboard"),
            ).props("unelevated")
            ui.button("Home", on_click=lambda: ui.navigate.to("/")).props("flat")


async def attempt(action: Awaitable[T], *, success: str = "") -> T | None:
    """Run a UI action; a domain error becomes the same message the API would give."""
    try:
        result = await action
    except QdeckError as exc:
        ui.notify(exc.detail, type="negative", multi_line=True)
        return None
    if success:
        ui.notify(success, type="positive")
    return result
