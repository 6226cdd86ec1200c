"""Every HTML page carries a strict Content-Security-Policy with a fresh nonce; with an
https public URL, cookies are Secure and HSTS is sent. Against a real ``qdeck serve``,
gzip and all (the browser side is tests/security/test_csp_browser.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from tests.live_server import LiveServer

PAGES = ["/", "/login", "/signup", "/no-such-page"]
REQUIRED = {
    "default-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "style-src": "'self' 'unsafe-inline'",
    "connect-src": "'self' wss://qdeck.example.org",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = LiveServer(
        tmp_path_factory.mktemp("csp") / "data",
        QDECK_WORKERS="1",
        QDECK_PUBLIC_URL="https://qdeck.example.org",
    ).start()
    yield live
    live.stop()


def _policy(header: str) -> dict[str, str]:
    directives = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {d[0]: d[1] if len(d) > 1 else "" for d in directives}


@pytest.mark.parametrize("path", PAGES)
def test_every_html_page_has_a_strict_policy_with_its_own_nonce(
    server: LiveServer, path: str
) -> None:
    seen = set()
    for _ in range(2):
        response = httpx.get(server.url + path, headers={"Accept-Encoding": "gzip"}, timeout=60)
        assert response.headers["content-type"].startswith("text/html")
        policy = _policy(response.headers["content-security-policy"])
        for directive, value in REQUIRED.items():
            assert policy[directive] == value, directive
        nonce = re.fullmatch(r"'self' 'nonce-([\w-]+)' 'unsafe-eval'", policy["script-src"])
        assert nonce, policy["script-src"]
        seen.add(nonce.group(1))
        # Every script of the page carries the nonce, and nothing else is allowed inline.
        tags = re.findall(r"<script\b[^>]*>", response.text)
        assert tags and all(f'nonce="{nonce.group(1)}"' in tag for tag in tags)
        assert "unsafe-inline" not in policy["script-src"]
        assert response.headers["strict-transport-security"].startswith("max-age=")
    assert len(seen) == 2  # a new nonce for every response


def test_ui_cookies_are_secure_behind_an_https_public_url(server: LiveServer) -> None:
    response = httpx.get(server.url + "/login", timeout=60)
    cookies = [h for h in response.headers.get_list("set-cookie") if h.startswith("qdeck_ui=")]
    assert cookies and all("secure" in c.lower() and "httponly" in c.lower() for c in cookies)


def test_the_api_keeps_its_own_closed_policy(server: LiveServer) -> None:
    response = httpx.get(server.url + "/api/v1/backends", timeout=60)
    assert (
        response.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
    )
