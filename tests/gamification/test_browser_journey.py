"""In a real browser against a real ``qdeck serve``: with the progress page open, solving
a Quest level (over the API, as a script or another tab would) shows the achievement
toast and the new XP without a reload; the page also works at phone width in dark mode."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.live_server import LiveServer
from tests.ui.browser import LAPTOP, PHONE, screenshot
from tests.ui.conftest import browser

__all__ = ["browser"]
pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"
BELL = 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\nh q[0];\ncx q[0],q[1];\n'


@pytest.fixture(scope="module")
def server(browser: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path_factory.mktemp("gamification") / "data").start(limit_seconds=300)
    try:
        yield live
    finally:
        live.stop()


def test_solving_a_level_updates_xp_and_shows_the_toast_without_reload(
    browser, server: LiveServer
) -> None:
    with httpx.Client(base_url=server.url, timeout=60) as api:
        signed = api.post(
            "/api/v1/auth/signup",
            json={"email": "gail@example.org", "password": PASSWORD, "display_name": "Gail"},
        )
        assert signed.status_code == 201, signed.text
        api.headers["X-CSRF-Token"] = signed.json()["csrf_token"]
        token = api.post("/api/v1/tokens", json={"name": "script"}).json()["token"]

    context = browser.new_context(viewport=LAPTOP)
    context.set_default_timeout(60_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{server.url}/login")
    page.get_by_label("E-mail").fill("gail@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/dashboard")
    page.get_by_role("link", name="Progress").first.click()
    page.wait_for_url("**/progress")
    page.get_by_text("How XP works").first.wait_for()
    assert page.locator(".nicegui-content").get_by_text("Total XP").count() == 1
    screenshot(page, "gamification-progress-empty-light")

    with httpx.Client(
        base_url=server.url, timeout=60, headers={"Authorization": f"Bearer {token}"}
    ) as script:
        solved = script.post("/api/v1/quest/levels/bell/attempts", json={"qasm": BELL})
        assert solved.status_code == 200 and solved.json()["stars"] == 3, solved.text

    # No reload: the toast arrives and the page shows the new total (30 for three stars,
    # 10 for the bronze "First steps").
    page.get_by_text("Achievement unlocked: First steps").wait_for(timeout=60_000)
    page.wait_for_function(
        "[...document.querySelectorAll('.text-3xl')].some(e => e.innerText.trim() === '40')"
    )
    screenshot(page, "gamification-progress-toast-light")

    # Phone width, dark theme: the same page, nothing wider than the screen.
    phone = browser.new_context(
        viewport=PHONE, color_scheme="dark", storage_state=context.storage_state()
    )
    small = phone.new_page()
    small.goto(f"{server.url}/progress")
    small.get_by_text("First steps").first.wait_for()
    width = small.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"the page is {width}px wide on a phone"
    screenshot(small, "gamification-progress-phone")
    phone.close()
    context.close()
    assert not errors, errors
