"""Standard Webhooks: secrets, signatures and the versioned payload envelope.

A message is signed as ``{webhook-id}.{webhook-timestamp}.{body}`` with HMAC-SHA256 under
the base64-decoded part of a ``whsec_`` secret, and sent as ``webhook-signature: v1,<b64>``.
During a rotation's overlap the header carries one signature per secret (space
separated), so a receiver holding either secret accepts the message.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import uuid
from datetime import datetime
from typing import Any

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32
# The payload format; a breaking change to "data" gets a new number.
PAYLOAD_VERSION = 1
TEST_EVENT = "webhook.test"
DIGEST_EVENT = "notification.digest"


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def secret_key(secret: str) -> bytes:
    """The HMAC key inside a ``whsec_`` secret; ValueError for anything else."""
    if not secret.startswith(SECRET_PREFIX):
        raise ValueError("a webhook secret starts with whsec_")
    try:
        key = base64.b64decode(secret[len(SECRET_PREFIX) :], validate=True)
    except ValueError:
        raise ValueError("a webhook secret is whsec_ followed by base64") from None
    if len(key) < 16:
        raise ValueError("a webhook secret holds at least 16 bytes")
    return key


def new_message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(secrets_: list[str], message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The three Standard Webhooks headers, signed with every secret given."""
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(sign(s, message_id, timestamp, body) for s in secrets_),
        "content-type": "application/json",
        "user-agent": "qdeck-webhooks/1",
    }


def envelope(event_type: str, data: dict[str, Any], at: datetime) -> dict[str, Any]:
    """The versioned payload every webhook carries."""
    return {
        "type": event_type,
        "timestamp": at.isoformat().replace("+00:00", "Z"),
        "version": PAYLOAD_VERSION,
        "data": data,
    }


def encode(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, separators=(",", ":"), sort_keys=True, default=str).encode()
