"""Tickets for a page's document socket. The web UI keeps its session server-side, so the
browser has no credential a WebSocket could carry; the page hands its editor a ticket:
the person, the document, the browser session it was issued under (as its stored hash)
and an expiry, signed with the instance secret. The socket checks the signature and the
expiry once, then keeps checking that session like any other credential."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid

TICKET_SECONDS = 300


def _sign(secret: bytes, payload: bytes) -> str:
    mac = hmac.new(secret, b"document-sync:" + payload, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def issue(secret: bytes, user_id: uuid.UUID, document_id: uuid.UUID, session_hash: str) -> str:
    payload = json.dumps(
        {"u": str(user_id), "d": str(document_id), "s": session_hash,
         "e": int(time.time()) + TICKET_SECONDS},
        separators=(",", ":"),
    ).encode()  # fmt: skip
    body = base64.urlsafe_b64encode(payload).decode().rstrip("=")
    return f"{body}.{_sign(secret, payload)}"


def verify(secret: bytes, ticket: str, document_id: uuid.UUID) -> tuple[uuid.UUID, str] | None:
    """(user id, session hash) of a valid ticket for this document, else None."""
    body, _, signature = ticket.partition(".")
    try:
        payload = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        if not hmac.compare_digest(_sign(secret, payload), signature):
            return None
        fields = json.loads(payload)
        if fields["d"] != str(document_id) or int(fields["e"]) < time.time():
            return None
        return uuid.UUID(fields["u"]), str(fields["s"])
    except (ValueError, KeyError, TypeError):
        return None
