"""Dependencies every router shares: the unit of work, the caller, paging parameters."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Literal

from fastapi import Depends, Query, Request
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.auth import credentials
from qdeck.auth.models import ApiToken, User
from qdeck.auth.service import ClientInfo
from qdeck.config import Settings
from qdeck.db.engine import Database
from qdeck.db.keyset import MAX_PAGE_SIZE, PageRequest
from qdeck.db.types import utcnow
from qdeck.errors import NotAuthenticated, PermissionDenied
from qdeck.services import Services

SESSION_COOKIE = "qdeck_session"
CSRF_COOKIE = "qdeck_csrf"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_database(request: Request) -> Database:
    return request.app.state.database


async def _unit_of_work(request: Request) -> AsyncIterator[AsyncSession]:
    """One transaction per request, committed before the response is sent."""
    database = get_database(request)
    async with database.session(write=request.method not in SAFE_METHODS) as session:
        yield session


SettingsDep = Annotated[Settings, Depends(get_settings)]
DatabaseDep = Annotated[Database, Depends(get_database)]
SessionDep = Annotated[AsyncSession, Depends(_unit_of_work, scope="function")]


def _services(request: Request, session: SessionDep, settings: SettingsDep) -> Services:
    """The request's services, sharing its unit of work (``qdeck.services``)."""
    return Services(session, settings, request.app.state.registry)


ServicesDep = Annotated[Services, Depends(_services)]


async def _writing_services(request: Request, settings: SettingsDep) -> AsyncIterator[Services]:
    """For the few reads that may have to write first (the chat channel list makes a
    workspace's ``#general`` on first use): a writing unit of work whatever the method."""
    async with get_database(request).session(write=True) as session:
        yield Services(session, settings, request.app.state.registry)


WritingServicesDep = Annotated[Services, Depends(_writing_services, scope="function")]


@dataclass
class Principal:
    user: User
    via: Literal["session", "token"]
    session_token: str | None = None
    api_token: ApiToken | None = None


def client_info(request: Request) -> ClientInfo:
    host = request.client.host if request.client else None
    return ClientInfo(ip=host, user_agent=request.headers.get("user-agent"))


async def _principal(
    request: Request, session: SessionDep, settings: SettingsDep, services: ServicesDep
) -> Principal:
    auth = services.auth
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise _unauthenticated("Use 'Authorization: Bearer <API token>'.")
        found = await auth.user_for_api_token(token.strip())
        if found is None:
            raise _unauthenticated("The API token is invalid, expired or revoked.")
        user, api_token = found
        await _touch_token(request, session, api_token)
        return Principal(user=user, via="token", api_token=api_token)
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        user = await auth.user_for_session(cookie)
        if user is None:
            raise _unauthenticated("Your session has ended; log in again.")
        if request.method not in SAFE_METHODS:
            presented = request.headers.get(CSRF_HEADER, "")
            if not credentials.csrf_matches(cookie, presented, settings.instance_secret):
                raise PermissionDenied(
                    f"Missing or wrong {CSRF_HEADER} header for a cookie-authenticated request.",
                    code="csrf_failed",
                )
        return Principal(user=user, via="session", session_token=cookie)
    raise _unauthenticated("Log in, or send an API token as 'Authorization: Bearer <token>'.")


async def _touch_token(request: Request, session: AsyncSession, token: ApiToken) -> None:
    now = utcnow()
    if token.last_used_at is not None and now - token.last_used_at < TOKEN_TOUCH_INTERVAL:
        return
    if request.method not in SAFE_METHODS:
        token.last_used_at = now
        return
    # A read request holds a read-only transaction; record the use in a short write of its own.
    async with get_database(request).session(write=True) as writer:
        found = await writer.get(ApiToken, token.id)
        if found is not None:
            found.last_used_at = now


def _unauthenticated(detail: str) -> NotAuthenticated:
    return NotAuthenticated(detail, headers={"WWW-Authenticate": "Bearer"})


PrincipalDep = Annotated[Principal, Depends(_principal)]


async def _current_user(principal: PrincipalDep) -> User:
    return principal.user


CurrentUser = Annotated[User, Depends(_current_user)]


def page_params(
    cursor: Annotated[
        str | None, Query(max_length=500, description="next_cursor of the previous page")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
) -> PageRequest:
    return PageRequest(cursor=cursor, limit=limit)


PageDep = Annotated[PageRequest, Depends(page_params)]
