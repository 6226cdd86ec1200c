"""Accounts: sign-up, log-in with per-account throttling, sessions, passwords, API tokens."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import structlog
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from qdeck.audit.service import record_audit
from qdeck.auth import credentials
from qdeck.auth.models import ApiToken, AuthSession, User
from qdeck.auth.password_policy import assess_off_loop
from qdeck.auth.passwords import burn_verification, hash_password, needs_rehash, verify_password
from qdeck.auth.repository import (
    ApiTokenRepository,
    AuthSessionRepository,
    UserRepository,
    touch_session,
)
from qdeck.auth.session_service import SessionService
from qdeck.auth.throttle import CredentialThrottle
from qdeck.config import Settings
from qdeck.db.engine import after_commit, keep_on_error
from qdeck.db.keyset import PageRequest
from qdeck.db.types import utcnow
from qdeck.errors import Conflict, InvalidInput, NotAuthenticated, NotFound
from qdeck.events.access import AccessChange, announce_access_change
from qdeck.workspaces.service import WorkspaceService

INVALID_CREDENTIALS = "E-mail or password is wrong."
# "Last seen" is a hint for the sessions list; one write a minute per session is plenty.
SESSION_TOUCH_INTERVAL = timedelta(minutes=1)
log = structlog.get_logger("qdeck.auth")


@dataclass
class LoggedIn:
    user: User
    session_token: str
    csrf_token: str


@dataclass
class ClientInfo:
    ip: str | None = None
    user_agent: str | None = None


class AuthService:
    def __init__(self, session: AsyncSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings
        self.users = UserRepository(session)
        self.sessions = AuthSessionRepository(session)
        self.tokens = ApiTokenRepository(session)
        self.throttle = CredentialThrottle(session, settings)

    async def create_user(
        self, email: str, password: str, display_name: str, *, is_admin: bool = False
    ) -> User:
        """A new account with its personal workspace."""
        email = email.lower()
        await require_acceptable_password(password, email, display_name, field="password")
        if await self.users.get_by_email(email) is not None:
            raise Conflict("An account with this e-mail already exists.", code="email_taken")
        user = User(
            email=email,
            display_name=display_name,
            password_hash=await hash_password(password),
            is_admin=is_admin,
            preferences={},
        )
        try:
            await self.users.add(user)
        except IntegrityError:
            # Two sign-ups with one e-mail at the same moment: the second loses.
            raise Conflict(
                "An account with this e-mail already exists.", code="email_taken"
            ) from None
        await WorkspaceService(self.session).create_personal(user)
        await record_audit(self.session, "auth.signed_up", actor_id=user.id)
        return user

    async def signup(
        self, email: str, password: str, display_name: str, client: ClientInfo
    ) -> LoggedIn:
        """Limited per address (docs/security.md); a refused sign-up counts too."""
        await self.throttle.check_signup(client.ip)
        await self.throttle.record_signup(email.lower(), client.ip)
        # Refusals below happen before anything else is written, so the attempt may stand.
        keep_on_error(self.session)
        await require_acceptable_password(password, email, display_name, field="password")
        if await self.users.get_by_email(email.lower()) is not None:
            raise Conflict("An account with this e-mail already exists.", code="email_taken")
        # From here a failure (e.g. a concurrent sign-up's unique violation) undoes it all.
        self.session.info.pop("keep_on_error", None)
        user = await self.create_user(email, password, display_name)
        return await self._start_session(user, client)

    async def login(self, email: str, password: str, client: ClientInfo) -> LoggedIn:
        """Same answer for an unknown e-mail and a wrong password; throttled per account
        and address (qdeck.auth.throttle)."""
        email = email.lower()
        await self.throttle.check_login(email, client.ip)
        user = await self.users.get_by_email(email)
        if user is None or not user.is_active:
            await burn_verification(password)
            ok = False
        else:
            ok = await verify_password(user.password_hash, password)
        await self.throttle.record_login(email, client.ip, succeeded=ok)
        if not ok or user is None:
            keep_on_error(self.session)
            raise NotAuthenticated(INVALID_CREDENTIALS, code="invalid_credentials")
        if needs_rehash(user.password_hash):
            user.password_hash = await hash_password(password)
        user.last_login_at = utcnow()
        await record_audit(self.session, "auth.login", actor_id=user.id, ip=client.ip)
        return await self._start_session(user, client)

    async def logout(self, session_token: str) -> None:
        found = await self.sessions.by_token_hash(credentials.token_hash(session_token))
        if found is None:
            return
        await self.sessions.delete(found)
        announce_access_change(
            self.session, AccessChange.SESSIONS_ENDED, reason="logged out", user_id=found.user_id
        )

    async def user_for_session(self, session_token: str) -> User | None:
        """The user of a live session: not expired, not idle (``session_idle_hours``).

        Use is recorded in ``last_seen_at`` at most once a minute, after this unit of work.
        """
        found = await self.sessions.by_token_hash(credentials.token_hash(session_token))
        now = utcnow()
        if found is None or not SessionService(self.session, self.settings).is_alive(found, now):
            return None
        user = await self.users.get(found.user_id)
        if user is None or not user.is_active:
            return None
        if now - found.last_seen_at >= SESSION_TOUCH_INTERVAL:
            self._touch_after_commit(found.id, now)
        return user

    def _touch_after_commit(self, session_id: uuid.UUID, now: datetime) -> None:
        bind = self.session.bind

        async def touch() -> None:
            try:
                await touch_session(bind, session_id, now)  # type: ignore[arg-type]
            except SQLAlchemyError:
                # Only a "last seen" time; the request it came with has already succeeded.
                log.warning("session_touch_failed", exc_info=True)

        after_commit(self.session, touch)

    async def user_for_api_token(self, token: str) -> tuple[User, ApiToken] | None:
        found = await self.tokens.by_hash(credentials.token_hash(token))
        if found is None or found.revoked_at is not None:
            return None
        if found.expires_at is not None and found.expires_at <= utcnow():
            return None
        user = await self.users.get(found.user_id)
        if user is None or not user.is_active:
            return None
        return user, found

    async def update_profile(
        self, user: User, *, display_name: str | None, preferences: dict[str, Any] | None
    ) -> User:
        """Rename, and merge preference changes into what the user has (e.g. the theme)."""
        if display_name is not None:
            user.display_name = display_name
        if preferences:
            user.preferences = {**(user.preferences or {}), **preferences}
        await self.session.flush()
        return user

    async def change_password(
        self,
        user: User,
        current: str,
        new: str,
        *,
        keep_session_token: str | None,
        revoke_tokens: bool = False,
    ) -> None:
        """Every other browser session ends; with ``revoke_tokens`` every API token too."""
        if not await verify_password(user.password_hash, current):
            raise InvalidInput(
                "The current password is wrong.",
                code="wrong_password",
                errors=[{"field": "current_password", "message": "does not match"}],
            )
        await require_acceptable_password(new, user.email, user.display_name, field="new_password")
        user.password_hash = await hash_password(new)
        user.password_changed_at = utcnow()
        # Anyone holding an old session (e.g. whoever learned the old password) is logged out.
        sessions = SessionService(self.session, self.settings)
        await sessions.end_sessions(
            user, keep_session_token=keep_session_token, reason="password changed"
        )
        if revoke_tokens:
            await sessions.revoke_all_tokens(user, reason="password changed")
        await record_audit(self.session, "auth.password_changed", actor_id=user.id)

    async def create_api_token(
        self, user: User, name: str, expires_in_days: int | None
    ) -> tuple[ApiToken, str]:
        plain = credentials.new_api_token()
        token = ApiToken(
            user_id=user.id,
            name=name,
            token_hash=credentials.token_hash(plain),
            prefix=plain[:12],
            expires_at=utcnow() + timedelta(days=expires_in_days) if expires_in_days else None,
        )
        await self.tokens.add(token)
        await record_audit(
            self.session, "token.created", actor_id=user.id, target_type="token", target_id=token.id
        )
        return token, plain

    async def list_api_tokens(
        self, user: User, page: PageRequest
    ) -> tuple[list[ApiToken], str | None]:
        return await self.tokens.list_page(user.id, page)

    async def revoke_api_token(self, user: User, token_id: uuid.UUID) -> None:
        token = await self.tokens.get_for_user(user.id, token_id)
        if token is None or token.revoked_at is not None:
            raise NotFound("API token not found.", code="token_not_found")
        token.revoked_at = utcnow()
        await record_audit(
            self.session, "token.revoked", actor_id=user.id, target_type="token", target_id=token_id
        )
        announce_access_change(
            self.session, AccessChange.TOKEN_REVOKED, reason="token revoked", user_id=user.id
        )

    async def _start_session(self, user: User, client: ClientInfo) -> LoggedIn:
        token = credentials.new_session_token()
        now = utcnow()
        await self.sessions.add(
            AuthSession(
                user_id=user.id,
                token_hash=credentials.token_hash(token),
                expires_at=now + timedelta(hours=self.settings.session_ttl_hours),
                last_seen_at=now,
                ip_address=client.ip,
                user_agent=(client.user_agent or "")[:300] or None,
            )
        )
        csrf = credentials.csrf_token_for(token, self.settings.instance_secret)
        return LoggedIn(user=user, session_token=token, csrf_token=csrf)


async def require_acceptable_password(
    password: str, email: str | None, display_name: str | None, *, field: str
) -> None:
    """Raise a 422 naming ``field`` when the password policy refuses ``password``."""
    assessment = await assess_off_loop(password, email=email, display_name=display_name)
    if assessment.acceptable:
        return
    message = "The password " + " and ".join(assessment.problems) + "."
    hint = " ".join(assessment.suggestions)
    raise InvalidInput(
        message + (f" {hint}" if hint else ""),
        code="weak_password",
        errors=[{"field": field, "message": message}],
    )
