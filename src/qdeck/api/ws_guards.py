"""Checks the WebSocket edge (api/live.py) makes before it trusts a handshake.

Each guard closes the socket itself with a policy code and a reason, and says whether it
did, so the edge needs one line per guard (codes: docs/websocket.md).
"""

from __future__ import annotations

import contextlib

from starlette.websockets import WebSocket

from qdeck.api.deps import SESSION_COOKIE
from qdeck.api.origins import origin_allowed
from qdeck.auth.throttle import CredentialThrottle
from qdeck.errors import RateLimited

CLOSE_ORIGIN_REFUSED = 4403
CLOSE_TOO_MANY_ATTEMPTS = 4429


async def refuse_foreign_origin(websocket: WebSocket) -> bool:
    """Close a cookie-authenticated handshake from an origin that is not allowed."""
    if websocket.headers.get("authorization") or not websocket.cookies.get(SESSION_COOKIE):
        return False
    allowed = origin_allowed(
        websocket.headers.get("origin"),
        host=websocket.headers.get("host"),
        secure=websocket.url.scheme == "wss",
        settings=websocket.app.state.settings,
    )
    if allowed:
        return False
    await _close(websocket, CLOSE_ORIGIN_REFUSED, "this origin may not use your session cookie")
    return True


async def refuse_throttled_token(websocket: WebSocket) -> bool:
    """Close the socket when its address made too many failed credential attempts."""
    app = websocket.app
    async with app.state.database.session(write=False) as session:
        try:
            await CredentialThrottle(session, app.state.settings).check_token(_address(websocket))
        except RateLimited as exc:
            retry = exc.headers.get("Retry-After", "")
            await _close(
                websocket,
                CLOSE_TOO_MANY_ATTEMPTS,
                f"too many failed attempts from your address; retry in {retry} s",
            )
            return True
    return False


async def record_failed_token(websocket: WebSocket) -> None:
    """Count a wrong API token against the address, like a wrong password."""
    app = websocket.app
    async with app.state.database.session(write=True) as session:
        await CredentialThrottle(session, app.state.settings).record_token_failure(
            _address(websocket)
        )


def _address(websocket: WebSocket) -> str | None:
    return websocket.client.host if websocket.client else None


async def _close(websocket: WebSocket, code: int, reason: str) -> None:
    with contextlib.suppress(Exception):
        await websocket.close(code, reason)
