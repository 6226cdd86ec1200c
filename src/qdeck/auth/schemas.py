from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import EmailStr, Field

from qdeck.api.names import Name
from qdeck.api.params import StrictInteger, StrictSwitch
from qdeck.api.schemas import InputModel, OutputModel

PASSWORD_MIN = 10
PASSWORD_MAX = 256


class SignupRequest(InputModel):
    email: EmailStr
    password: str = Field(min_length=PASSWORD_MIN, max_length=PASSWORD_MAX)
    display_name: Name = Field(min_length=1, max_length=100)


class LoginRequest(InputModel):
    email: EmailStr
    password: str = Field(min_length=1, max_length=PASSWORD_MAX)


class PasswordChange(InputModel):
    current_password: str = Field(min_length=1, max_length=PASSWORD_MAX)
    new_password: str = Field(min_length=PASSWORD_MIN, max_length=PASSWORD_MAX)
    # Every other browser session ends anyway; this also revokes every API token.
    revoke_tokens: StrictSwitch = False


class LogoutEverywhere(InputModel):
    # Keep the session making this request (end all the others).
    keep_this_session: StrictSwitch = False
    # Revoke every API token as well, including the one making this request.
    revoke_tokens: StrictSwitch = False


class SessionRead(OutputModel):
    id: uuid.UUID
    # "Firefox on Linux", from the user agent.
    device: str
    user_agent: str | None
    ip_address: str | None
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    # The session making this request.
    current: bool


class Preferences(InputModel):
    theme: Literal["light", "dark", "auto"] | None = None


class ProfileUpdate(InputModel):
    display_name: Name | None = Field(default=None, min_length=1, max_length=100)
    preferences: Preferences | None = None


class UserRead(OutputModel):
    id: uuid.UUID
    email: str
    display_name: str
    is_admin: bool
    created_at: datetime
    preferences: dict[str, Any]


class AuthResult(OutputModel):
    user: UserRead
    # Send back in the X-CSRF-Token header on every state-changing request made with the
    # session cookie. API-token clients do not need it.
    csrf_token: str


class MeRead(OutputModel):
    user: UserRead
    authenticated_by: Literal["session", "token"]
    csrf_token: str | None


class TokenCreate(InputModel):
    name: Name = Field(min_length=1, max_length=100)
    expires_in_days: StrictInteger | None = Field(default=None, ge=1, le=3650)


class TokenRead(OutputModel):
    id: uuid.UUID
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None


class TokenCreated(TokenRead):
    # The only time the token is shown; qdeck keeps just its hash.
    token: str
