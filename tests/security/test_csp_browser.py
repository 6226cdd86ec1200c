"""In Chromium, against a real ``qdeck serve``: the UI works under its Content-Security-
Policy (no violation on any page, light and dark, laptop and phone), a script injected
into a page is blocked (a ``securitypolicyviolation`` event is seen), the log-in and
sign-up fields sit in real forms for password managers, and logging out lands on /login.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest

from tests.live_server import LiveServer
from tests.ui.browser import LAPTOP, PHONE, screenshot

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"
# Installed before any page script runs; records every violation the page reports.
WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(
  {directive: e.effectiveDirective, blocked: e.blockedURI, line: e.lineNumber}));
"""
PAGES = [
    "/dashboard",
    "/jobs",
    "/submit",
    "/backends",
    "/sessions",
    "/account",
    "/account/security",
    "/no-such-page",
]


@pytest.fixture(scope="module")
def server(browser: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path_factory.mktemp("csp-browser") / "data", QDECK_WORKERS="1").start()
    try:
        yield live
    finally:
        live.stop()


def _violations(page) -> list[dict]:
    return page.evaluate("window.__csp")


def test_the_ui_works_under_its_policy_and_injected_script_is_blocked(browser, server) -> None:
    context = browser.new_context(viewport=LAPTOP)
    context.add_init_script(WATCH)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto(f"{server.url}/signup")
    page.get_by_text("Create your account").wait_for()
    # Real forms with the autocomplete hints password managers look for.
    assert page.locator("form input[autocomplete=name]").count() == 1
    assert page.locator("form input[type=email][autocomplete=username]").count() == 1
    assert page.locator("form input[type=password][autocomplete=new-password]").count() == 1
    page.get_by_label("Your name").fill("Ada Lovelace")
    page.get_by_label("E-mail").fill("ada@example.org")
    page.get_by_label("Password", exact=True).fill("password12")
    page.get_by_text("one of the most common passwords").wait_for()
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_text("Very strong").wait_for()
    screenshot(page, "security-signup-strength")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/dashboard")
    page.get_by_text("Hello, Ada").wait_for()

    page.goto(f"{server.url}/submit")
    page.get_by_role("button", name="Bell state").click()
    page.get_by_text("Parsed: 2 qubits").wait_for(timeout=30_000)
    page.get_by_role("button", name="Submit job").click()
    page.wait_for_url("**/jobs/*")
    # The server's first job: its worker may still be warming up on a busy CI machine.
    page.get_by_text("completed", exact=True).first.wait_for(timeout=90_000)
    assert _violations(page) == []

    for path in PAGES:
        page.goto(server.url + path)
        page.wait_for_load_state("networkidle")
        assert _violations(page) == [], path
    page.get_by_text("Sessions and security")  # the security page rendered before the 404
    assert errors == []

    # A script that slipped into the page has no nonce: Chromium refuses it and says so.
    page.goto(f"{server.url}/account/security")
    page.get_by_text("This browser").wait_for()
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__pwned = true'; document.body.append(s); }"
    )
    page.wait_for_function("window.__csp.length > 0")
    assert page.evaluate("window.__pwned") is None
    assert _violations(page)[0]["directive"] == "script-src-elem"
    context.close()


def test_log_in_form_and_log_out_lands_on_login_in_the_dark_on_a_phone(browser, server) -> None:
    context = browser.new_context(viewport=PHONE, color_scheme="dark")
    context.add_init_script(WATCH)
    page = context.new_page()
    signed_up = httpx.post(
        f"{server.url}/api/v1/auth/signup",
        json={"email": "grace@example.org", "password": PASSWORD, "display_name": "Grace"},
        timeout=60,
    )
    assert signed_up.status_code == 201, signed_up.text
    page.goto(f"{server.url}/login")
    assert page.locator("form input[type=email][autocomplete=username]").count() == 1
    assert page.locator("form input[type=password][autocomplete=current-password]").count() == 1
    page.get_by_label("E-mail").fill("grace@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password", exact=True).press("Enter")
    page.wait_for_url("**/dashboard")
    page.goto(f"{server.url}/account/security")
    page.get_by_text("This browser").wait_for()
    screenshot(page, "security-page-phone-dark")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("button", name="Log out everywhere", exact=True).click()
    page.get_by_role("dialog").get_by_role("button", name="Log out everywhere").click()
    # Wherever the ending is noticed first (this action or the live channel), the browser
    # lands on the log-in page, and the account's sessions are gone.
    page.get_by_text("Welcome back").wait_for(timeout=30_000)
    assert urlsplit(page.url).path == "/login"
    assert _violations(page) == []
    context.close()
