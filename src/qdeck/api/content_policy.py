"""The Content-Security-Policy of the web UI's HTML pages, and the nonce it relies on.

Measured with Chromium against NiceGUI 3 (tests/security/test_csp_browser.py reports
every violation on every page), this is the strictest policy the UI works under:

- ``script-src 'self' 'nonce-…' 'unsafe-eval'``: NiceGUI's page template has inline
  scripts (the import map, the element tree, start-up), so each HTML response gets a
  fresh nonce, added to its own ``<script>`` tags here. No ``'unsafe-inline'``: a script
  injected into a page has no nonce and is blocked. ``'unsafe-eval'`` cannot go: Vue
  compiles NiceGUI's component templates in the browser (``new Function``), and
  NiceGUI's ``:prop`` bindings and ``run_javascript`` are evaluated strings.
- ``style-src 'self' 'unsafe-inline'``: Quasar and Vue set ``style`` attributes and
  NiceGUI adds ``<style>`` elements from script; no nonce can cover those. CSS cannot run
  script, and ``img-src``/``font-src``/``connect-src`` stop it from calling out.
- ``connect-src 'self'`` plus the page's own WebSocket origin (NiceGUI's Socket.IO),
  ``img-src 'self' data: blob:`` (inline SVG icons, chart downloads), ``font-src 'self'
  data:``, ``object-src 'none'``, ``base-uri 'self'``, ``form-action 'self'``,
  ``frame-ancestors 'none'``.

Element data in NiceGUI's page is HTML-escaped (``<`` becomes ``&lt;``), so the only
``<script`` tags in a page are the template's own; user content never gets a nonce.
"""

from __future__ import annotations

import re
import secrets
from urllib.parse import urlsplit

_SCRIPT_TAG = re.compile(rb"<script(?=[\s>])")


def new_nonce() -> str:
    return secrets.token_urlsafe(18)


def websocket_origin(public_url: str | None, host: str | None, secure: bool) -> str | None:
    """``ws(s)://host[:port]`` of the page's own Socket.IO connection."""
    if public_url:
        parts = urlsplit(public_url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        return f"{scheme}://{parts.netloc}" if parts.netloc else None
    if not host or not re.fullmatch(r"[A-Za-z0-9.\-:\[\]]{1,255}", host):
        return None
    return f"{'wss' if secure else 'ws'}://{host}"


def page_policy(nonce: str, ws_origin: str | None) -> str:
    connect = "'self'" + (f" {ws_origin}" if ws_origin else "")
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}' 'unsafe-eval'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            f"connect-src {connect}",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def add_nonce(html: bytes, nonce: str) -> bytes:
    return _SCRIPT_TAG.sub(b'<script nonce="' + nonce.encode() + b'"', html)
