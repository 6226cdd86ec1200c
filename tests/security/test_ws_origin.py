"""Cross-site WebSocket hijacking: a page on another origin cannot ride the session cookie.

Against a real ``qdeck serve``: cookie-authenticated handshakes must come from the
instance's own origin (or a configured one), token-authenticated scripts are unaffected,
and a refused handshake closes with 4403. Wrong API tokens count against the address like
wrong passwords, with the same limiter as the log-in form.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from qdeck.api.origins import origin_allowed
from qdeck.config import Settings
from tests.accounts import PASSWORD
from tests.live_server import LiveServer


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path_factory.mktemp("ws-origin") / "data", QDECK_WORKERS="1").start()
    yield live
    live.stop()


@pytest.fixture(scope="module")
def cookie(server: LiveServer) -> str:
    response = httpx.post(
        f"{server.url}/api/v1/auth/signup",
        json={"email": "ws@example.org", "password": PASSWORD, "display_name": "Wes"},
    )
    assert response.status_code == 201, response.text
    return response.cookies["qdeck_session"]


async def _first_frame(server: LiveServer, headers: dict[str, str], origin: str | None):
    """The first frame, or the close code and reason if the server closes instead."""
    url = server.url.replace("http://", "ws://") + "/api/v1/ws"
    extra = {"origin": origin} if origin else {}
    async with connect(url, additional_headers=headers, **extra) as socket:
        try:
            return json.loads(await socket.recv())
        except ConnectionClosed as closed:
            return (closed.rcvd.code, closed.rcvd.reason) if closed.rcvd else None


async def test_a_foreign_origin_cannot_use_the_session_cookie(server, cookie) -> None:
    for evil in ("http://evil.example", f"http://127.0.0.1:{server.port + 1}", "null"):
        answer = await _first_frame(server, {"Cookie": f"qdeck_session={cookie}"}, evil)
        assert answer == (4403, "this origin may not use your session cookie"), evil


async def test_the_instance_own_pages_and_non_browsers_may(server, cookie) -> None:
    own = await _first_frame(server, {"Cookie": f"qdeck_session={cookie}"}, server.url)
    assert own["type"] == "welcome"
    no_origin = await _first_frame(server, {"Cookie": f"qdeck_session={cookie}"}, None)
    assert no_origin["type"] == "welcome"


@pytest.fixture(scope="module")
def token(server: LiveServer, cookie: str) -> str:
    cookies = {"qdeck_session": cookie}
    csrf = httpx.get(f"{server.url}/api/v1/auth/me", cookies=cookies).json()["csrf_token"]
    created = httpx.post(
        f"{server.url}/api/v1/tokens",
        json={"name": "script"},
        cookies=cookies,
        headers={"X-CSRF-Token": csrf},
    )
    return created.json()["token"]


async def test_token_authenticated_scripts_are_unaffected_by_origin(server, token) -> None:
    answer = await _first_frame(server, {"Authorization": f"Bearer {token}"}, "http://x.example")
    assert answer["type"] == "welcome"


def test_configured_origins_and_the_public_url_decide() -> None:
    public = Settings(
        public_url="https://qdeck.example.org", ws_allowed_origins="https://lab.example.org"
    )
    check = lambda origin, host="qdeck.example.org": origin_allowed(  # noqa: E731
        origin, host=host, secure=True, settings=public
    )
    assert check("https://qdeck.example.org")
    assert check("https://QDECK.example.org:443")
    assert check("https://lab.example.org")
    assert not check("http://qdeck.example.org")  # another scheme is another origin
    assert not check("https://sub.qdeck.example.org")
    # With a public URL the Host header (which a client controls) decides nothing.
    assert not check("https://attacker.example", host="attacker.example")
    cors = Settings(cors_origins="http://localhost:5173")
    assert origin_allowed(
        "http://localhost:5173", host="127.0.0.1:8000", secure=False, settings=cors
    )


def test_wrong_tokens_are_throttled_per_address_like_passwords(tmp_path) -> None:
    with LiveServer(
        tmp_path / "data", QDECK_WORKERS="1", QDECK_LOGIN_ADDRESS_MAX_FAILURES="3"
    ) as live:

        async def guess() -> object:
            return await _first_frame(live, {"Authorization": "Bearer qdk_guess"}, None)

        answers = [asyncio.run(guess()) for _ in range(4)]
        assert [a[0] for a in answers] == [4401, 4401, 4401, 4429]
        # The same limiter guards the log-in: that address now waits there too.
        login = httpx.post(
            f"{live.url}/api/v1/auth/login",
            json={"email": "a@example.org", "password": "whatever it is"},
        )
        assert login.status_code == 429
        assert int(login.headers["Retry-After"]) >= 1
