"""Webhooks in the browser: an endpoint created, its secret shown once, a test event sent
and seen in the delivery log live, verified by a real receiver with standardwebhooks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.live_server import LiveServer
from tests.notifications.receivers import WebhookReceiver
from tests.ui.browser import screenshot
from tests.ui.test_team_journey import LAPTOP, shoot_both_themes, sign_up

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def receiver() -> Iterator[WebhookReceiver]:
    server = WebhookReceiver().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def server(browser: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    # The receiver is on loopback over http: allowed for this server only.
    live = LiveServer(
        tmp_path_factory.mktemp("webhooks") / "data",
        QDECK_WEBHOOK_ALLOW_HTTP="true",
        QDECK_WEBHOOK_ALLOW_PRIVATE="true",
    ).start()
    try:
        yield live
    finally:
        live.stop()


def test_an_endpoint_gets_a_test_event_seen_in_the_log(
    browser, server: LiveServer, receiver: WebhookReceiver
) -> None:
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    try:
        sign_up(page, server, "Grace Hopper", "grace@example.org")
        page.get_by_role("link", name="Webhooks").first.click()
        page.wait_for_url("**/notifications/webhooks")
        page.get_by_text("No endpoints yet").wait_for()

        url = receiver.script("browser")
        page.get_by_label("URL").fill(url)
        page.get_by_role("button", name="Add endpoint").click()
        shown = page.get_by_text("whsec_")
        shown.wait_for()
        secret = shown.inner_text().strip()
        assert secret.startswith("whsec_")
        receiver.scripts["/browser"].secrets = [secret]
        screenshot(page, "webhooks-secret-once-light-1366")
        page.get_by_role("button", name="Done").click()
        # Shown once: gone from the page, not there after a reload either.
        page.get_by_text(url).wait_for()
        page.reload()
        page.get_by_text(url).wait_for()
        assert page.get_by_text("whsec_").count() == 0

        page.get_by_role("button", name="Send test event").click()
        # The log follows the delivery live: no reload.
        page.get_by_text("webhook.test · HTTP 200").wait_for(timeout=20_000)
        page.get_by_text("status 200 from the test receiver").wait_for()
        [request] = receiver.at("browser")
        assert request.verified == {secret: True}
        assert request.json()["type"] == "webhook.test"

        shoot_both_themes(page, server, {"webhooks": "/notifications/webhooks"})
    finally:
        screenshot(page, "webhooks-journey-last")
        context.close()
