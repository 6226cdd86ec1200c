"""Which browser origins may open a cookie-authenticated WebSocket.

Browsers attach cookies to a WebSocket handshake whatever page opens it, and SameSite=Lax
treats other ports and subdomains of the same site as same-site; the CSRF token that
guards cookie-authenticated REST writes has no place in a handshake. So a handshake that
would be authenticated by the session cookie must come from an allowed origin:

- the origin of ``public_url`` when it is set, otherwise the origin the request was sent
  to (its Host header: the page was served by this very server);
- any origin in ``ws_allowed_origins`` or ``cors_origins`` (an origin trusted with
  credentialed REST calls is trusted here too).

A handshake without an Origin header is not made by a browser, so it cannot carry a
victim's cookie without its owner's intent; it is allowed. Sockets authenticated by an
API token (header or first frame) are not affected: a token is never sent by the
browser on its own.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from qdeck.config import Settings

DEFAULT_PORTS = {"http": 80, "https": 443}


def normalize_origin(value: str) -> str | None:
    """``scheme://host[:port]`` in lower case without a default port; None if not an origin."""
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    host = parts.hostname.lower()
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    if port is None or port == DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def allowed_origins(settings: Settings) -> set[str]:
    configured = [settings.public_url or "", *settings.ws_allowed_origins, *settings.cors_origins]
    return {origin for value in configured if (origin := normalize_origin(value))}


def origin_allowed(
    origin: str | None, *, host: str | None, secure: bool, settings: Settings
) -> bool:
    """Whether a cookie-authenticated handshake with this Origin header may proceed."""
    if origin is None:
        return True
    presented = normalize_origin(origin)
    if presented is None:  # "null" (sandboxed frames, file: pages) or garbage
        return False
    if presented in allowed_origins(settings):
        return True
    if settings.public_url or not host:
        return False
    served_at = normalize_origin(f"{'https' if secure else 'http'}://{host}")
    return presented == served_at
