"""/api/v1/ws: live events over a WebSocket (protocol: docs/websocket.md).

The edge: it authenticates the socket with the same session and token rules as the REST
API and hands it to ``events.connection.LiveConnection``, which knows no domain."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid

from fastapi import APIRouter, WebSocket
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.websockets import WebSocketDisconnect

from qdeck.api.deps import SESSION_COOKIE
from qdeck.api.ws_guards import record_failed_token, refuse_foreign_origin, refuse_throttled_token
from qdeck.config import Settings
from qdeck.events.connection import CredentialCheck, LiveConnection
from qdeck.services import Services

router = APIRouter(tags=["live"])
CLOSE_NOT_AUTHENTICATED = 4401
AUTH_FRAME_SECONDS = 10.0


@router.websocket("/ws")
async def live_events(websocket: WebSocket) -> None:
    app = websocket.app
    await websocket.accept()
    if await refuse_foreign_origin(websocket):
        return
    found = await authenticate_socket(websocket)
    if found is None:
        return
    user_id, credential_valid = found
    connection = LiveConnection(
        websocket,
        user_id,
        app.state.database,
        app.state.bus,
        app.state.settings,
        app.state.registry,
        credential_valid,
    )
    await connection.run()
    with contextlib.suppress(Exception):
        await websocket.close()


async def authenticate_socket(
    websocket: WebSocket, *, auth_frame: bool = True
) -> tuple[uuid.UUID, CredentialCheck] | None:
    """The user behind the socket and how to ask later whether the session or token it
    was opened with still holds; or None after closing it with 4401 and a reason.
    ``auth_frame``: a socket with neither header nor cookie may send a JSON auth frame
    first (this protocol's; binary protocols such as y-websocket cannot)."""
    app = websocket.app
    header = websocket.headers.get("authorization", "")
    cookie = websocket.cookies.get(SESSION_COOKIE)
    token = None
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return await _refuse(websocket, "use 'Authorization: Bearer <API token>'")
    elif not cookie:
        token = await _auth_frame(websocket) if auth_frame else None
        if token is None:
            return await _refuse(
                websocket,
                'log in, send "Authorization: Bearer <API token>", or send '
                '{"type": "auth", "token": "<API token>"} first',
            )
    if token and await refuse_throttled_token(websocket):
        return None
    async with app.state.database.session(write=False) as session:
        auth = Services(session, app.state.settings).auth
        if token:
            found = await auth.user_for_api_token(token.strip())
            if found is None:
                await record_failed_token(websocket)
                return await _refuse(websocket, "the API token is invalid, expired or revoked")
            return found[0].id, _still_valid(app.state.settings, api_token=token.strip())
        user = await auth.user_for_session(cookie or "")
    if user is None:
        return await _refuse(websocket, "your session has ended; log in again")
    return user.id, _still_valid(app.state.settings, session_token=cookie or "")


def _still_valid(
    settings: Settings, *, api_token: str | None = None, session_token: str | None = None
) -> CredentialCheck:
    async def check(session: AsyncSession) -> bool:
        auth = Services(session, settings).auth
        if api_token is not None:
            return await auth.user_for_api_token(api_token) is not None
        return await auth.user_for_session(session_token or "") is not None

    return check


async def _auth_frame(websocket: WebSocket) -> str | None:
    try:
        text = await asyncio.wait_for(websocket.receive_text(), AUTH_FRAME_SECONDS)
        frame = json.loads(text)
    except (TimeoutError, ValueError, WebSocketDisconnect, RuntimeError):
        return None
    if (
        isinstance(frame, dict)
        and frame.get("type") == "auth"
        and isinstance(frame.get("token"), str)
    ):
        return frame["token"]
    return None


async def _refuse(websocket: WebSocket, reason: str) -> None:
    with contextlib.suppress(Exception):
        await websocket.close(CLOSE_NOT_AUTHENTICATED, reason)
    return None
