"""A person in a real browser: a job fails while they look at the dashboard, the bell's
count rises without a reload, the notification centre lists the failure with its reason,
and marking it read clears the count. Screenshots in both themes."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.client.live import new_account, slow_circuit
from tests.live_server import LiveServer
from tests.ui.browser import LAPTOP, PHONE, screenshot

pytestmark = pytest.mark.browser
SLOW = slow_circuit(23, 30)


@pytest.fixture(scope="module")
def server(browser: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path_factory.mktemp("bell") / "data", QDECK_WORKERS="1").start()
    try:
        yield live
    finally:
        live.stop()


def test_the_bell_rises_live_when_a_job_fails_and_reading_clears_it(
    browser, server: LiveServer
) -> None:
    ada = new_account(server, "Ada")
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.goto(f"{server.url}/login")
    page.get_by_label("E-mail").fill(ada.email)
    page.get_by_label("Password", exact=True).fill(ada.password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/dashboard")
    page.get_by_role("button", name="Notifications", exact=True).wait_for()

    with httpx.Client(
        base_url=server.url, headers={"Authorization": f"Bearer {ada.token}"}, timeout=60
    ) as api:
        submitted = api.post(
            "/api/v1/jobs",
            json={
                "circuits": [{"source": SLOW}],
                "shots": 10,
                "name": "deep circuit",
                "timeout_seconds": 1,
            },
        )
        assert submitted.status_code == 201, submitted.text

    # No reload: the count arrives over the page's live connection.
    page.get_by_role("button", name="Notifications, 1 unread").wait_for(timeout=90_000)
    screenshot(page, "notifications-bell-light")

    page.get_by_role("link", name="Notifications", exact=True).first.click()
    page.wait_for_url("**/notifications")
    card = page.locator(".q-card", has_text="deep circuit failed on aer_simulator")
    card.wait_for()
    assert "1 s time limit" in card.inner_text()
    screenshot(page, "notifications-centre-light")

    page.get_by_role("button", name="Toggle dark mode").click()
    page.locator("body.body--dark").wait_for()
    screenshot(page, "notifications-centre-dark")

    card.get_by_role("button", name="Mark read").click()
    page.get_by_role("button", name="Notifications", exact=True).wait_for()
    card.get_by_role("button", name="Mark unread").wait_for()
    screenshot(page, "notifications-centre-read-dark")

    phone = browser.new_context(viewport=PHONE, storage_state=context.storage_state())
    small = phone.new_page()
    small.goto(f"{server.url}/notifications/settings")
    small.get_by_text("E-mail is not configured on this server").wait_for()
    screenshot(small, "notification-settings-phone")
    phone.close()
    context.close()
