"""/api/v1/auth and /api/v1/tokens."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response, status

from qdeck.api.deps import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    CurrentUser,
    PageDep,
    PrincipalDep,
    ServicesDep,
    SessionDep,
    SettingsDep,
    client_info,
)
from qdeck.api.schemas import Page
from qdeck.auth import credentials
from qdeck.auth.schemas import (
    AuthResult,
    LoginRequest,
    LogoutEverywhere,
    MeRead,
    PasswordChange,
    ProfileUpdate,
    SessionRead,
    SignupRequest,
    TokenCreate,
    TokenCreated,
    TokenRead,
    UserRead,
)
from qdeck.auth.service import LoggedIn
from qdeck.config import Settings

router = APIRouter(tags=["auth"])


def _set_cookies(response: Response, logged_in: LoggedIn, settings: Settings) -> None:
    max_age = settings.session_ttl_hours * 3600
    response.set_cookie(
        SESSION_COOKIE,
        logged_in.session_token,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=settings.cookies_secure,
        path="/",
    )
    # Readable by the page's own scripts so they can echo it in X-CSRF-Token.
    response.set_cookie(
        CSRF_COOKIE,
        logged_in.csrf_token,
        max_age=max_age,
        httponly=False,
        samesite="lax",
        secure=settings.cookies_secure,
        path="/",
    )


@router.post("/auth/signup", status_code=status.HTTP_201_CREATED, response_model=AuthResult)
async def signup(
    body: SignupRequest,
    request: Request,
    response: Response,
    services: ServicesDep,
    settings: SettingsDep,
) -> AuthResult:
    """Create an account (with its personal workspace) and log in."""
    logged_in = await services.auth.signup(
        body.email, body.password, body.display_name, client_info(request)
    )
    _set_cookies(response, logged_in, settings)
    return AuthResult(user=UserRead.model_validate(logged_in.user), csrf_token=logged_in.csrf_token)


@router.post("/auth/login", response_model=AuthResult)
async def login(
    body: LoginRequest,
    request: Request,
    response: Response,
    services: ServicesDep,
    settings: SettingsDep,
) -> AuthResult:
    """Log in with e-mail and password. Repeated failures from one address, for one
    account from that address, or for one account from unfamiliar addresses make further
    attempts wait (429 with Retry-After, doubling); see docs/security.md."""
    logged_in = await services.auth.login(body.email, body.password, client_info(request))
    _set_cookies(response, logged_in, settings)
    return AuthResult(user=UserRead.model_validate(logged_in.user), csrf_token=logged_in.csrf_token)


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(principal: PrincipalDep, response: Response, services: ServicesDep) -> Response:
    if principal.session_token:
        await services.auth.logout(principal.session_token)
    response.status_code = status.HTTP_204_NO_CONTENT
    _clear_cookies(response)
    return response


def _clear_cookies(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")


@router.post("/auth/logout-everywhere", status_code=status.HTTP_204_NO_CONTENT)
async def logout_everywhere(
    body: LogoutEverywhere,
    principal: PrincipalDep,
    response: Response,
    session: SessionDep,
    services: ServicesDep,
) -> Response:
    """End every browser session of yours, this one too unless ``keep_this_session``;
    with ``revoke_tokens`` every API token as well. Open pages and sockets close at once."""
    keep = principal.session_token if body.keep_this_session else None
    await services.browser_sessions.log_out_everywhere(
        principal.user, keep_session_token=keep, revoke_tokens=body.revoke_tokens
    )
    response.status_code = status.HTTP_204_NO_CONTENT
    if principal.session_token and keep is None:
        _clear_cookies(response)
    return response


@router.get("/auth/sessions", response_model=list[SessionRead])
async def list_sessions(principal: PrincipalDep, services: ServicesDep) -> list[SessionRead]:
    """Your active browser sessions, most recently used first (at most 100)."""
    return await services.browser_sessions.list_sessions(
        principal.user, current_token=principal.session_token
    )


@router.delete("/auth/sessions/{session_id}", status_code=status.HTTP_204_NO_CONTENT)
async def revoke_session(session_id: uuid.UUID, user: CurrentUser, services: ServicesDep) -> None:
    """End one of your browser sessions; its open pages and sockets close at once."""
    await services.browser_sessions.revoke_session(user, session_id)


@router.get("/auth/me", response_model=MeRead)
async def me(principal: PrincipalDep, settings: SettingsDep) -> MeRead:
    csrf = (
        credentials.csrf_token_for(principal.session_token, settings.instance_secret)
        if principal.session_token
        else None
    )
    return MeRead(
        user=UserRead.model_validate(principal.user),
        authenticated_by=principal.via,
        csrf_token=csrf,
    )


@router.patch("/auth/me", response_model=UserRead)
async def update_me(body: ProfileUpdate, user: CurrentUser, services: ServicesDep) -> UserRead:
    preferences = body.preferences.model_dump(exclude_none=True) if body.preferences else None
    updated = await services.auth.update_profile(
        user, display_name=body.display_name, preferences=preferences
    )
    return UserRead.model_validate(updated)


@router.post("/auth/password", status_code=status.HTTP_204_NO_CONTENT)
async def change_password(
    body: PasswordChange, principal: PrincipalDep, session: SessionDep, services: ServicesDep
) -> None:
    """Change your password; every other browser session of yours is logged out, and
    with ``revoke_tokens`` every API token is revoked."""
    await services.auth.change_password(
        principal.user,
        body.current_password,
        body.new_password,
        keep_session_token=principal.session_token,
        revoke_tokens=body.revoke_tokens,
    )


@router.get("/tokens", response_model=Page[TokenRead], tags=["tokens"])
async def list_tokens(user: CurrentUser, services: ServicesDep, page: PageDep) -> Page[TokenRead]:
    tokens, cursor = await services.auth.list_api_tokens(user, page)
    return Page(items=[TokenRead.model_validate(t) for t in tokens], next_cursor=cursor)


@router.post(
    "/tokens", status_code=status.HTTP_201_CREATED, response_model=TokenCreated, tags=["tokens"]
)
async def create_token(body: TokenCreate, user: CurrentUser, services: ServicesDep) -> TokenCreated:
    """Create a personal API token. The token is in this response only; store it now."""
    token, plain = await services.auth.create_api_token(user, body.name, body.expires_in_days)
    return TokenCreated.model_validate(
        {**TokenRead.model_validate(token).model_dump(), "token": plain}
    )


@router.delete("/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT, tags=["tokens"])
async def revoke_token(token_id: uuid.UUID, user: CurrentUser, services: ServicesDep) -> None:
    await services.auth.revoke_api_token(user, token_id)
