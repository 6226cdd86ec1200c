"""A circuit in a URL: its OpenQASM 2, deflated and base64url-encoded.

Used by the composer's share link and by "open in Submit"; decoding is bounded, so a
crafted link cannot make the server inflate megabytes.
"""

from __future__ import annotations

import base64
import binascii
import zlib

from qdeck.quest.composer.circuit import CircuitError
from qdeck.quest.composer.qasm import MAX_SOURCE_CHARS

MAX_TOKEN_CHARS = 16_000


def encode(qasm: str) -> str:
    packed = zlib.compress(qasm.encode(), level=9)
    return base64.urlsafe_b64encode(packed).decode().rstrip("=")


def decode(token: str) -> str:
    """The QASM in a share token, or ``CircuitError`` when the link is damaged."""
    if len(token) > MAX_TOKEN_CHARS:
        raise CircuitError("the shared circuit is too long")
    try:
        padded = token + "=" * (-len(token) % 4)
        packed = base64.b64decode(padded, altchars=b"-_", validate=True)
        inflater = zlib.decompressobj()
        raw = inflater.decompress(packed, MAX_SOURCE_CHARS + 1)
        if len(raw) > MAX_SOURCE_CHARS or inflater.unconsumed_tail:
            raise CircuitError("the shared circuit is too long")
        if not inflater.eof:
            raise CircuitError("the shared circuit's link is damaged or incomplete")
        return raw.decode()
    except (binascii.Error, zlib.error, UnicodeDecodeError, ValueError) as exc:
        if isinstance(exc, CircuitError):
            raise
        raise CircuitError("the shared circuit's link is damaged or incomplete") from exc
