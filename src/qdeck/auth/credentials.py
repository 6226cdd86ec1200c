"""Random credentials and their stored forms.

Session and API tokens carry 256 bits of randomness, so a plain SHA-256 is a safe stored
form (no salt or slow hash needed: there is nothing to guess). The CSRF token is an HMAC
of the session token under the instance secret, so it needs no storage.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

API_TOKEN_PREFIX = "qdk_"


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


def new_api_token() -> str:
    return API_TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_token_for(session_token: str, instance_secret: bytes) -> str:
    return hmac.new(instance_secret, b"csrf:" + session_token.encode(), hashlib.sha256).hexdigest()


def csrf_matches(session_token: str, presented: str, instance_secret: bytes) -> bool:
    return hmac.compare_digest(csrf_token_for(session_token, instance_secret), presented)
