"""kill -9 the server with 100 webhook deliveries pending, start it again: every one is
delivered, none twice in effect (the receiver de-duplicates by webhook-id)."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from qdeck.testing.live_server import api_client
from tests.accounts import PASSWORD
from tests.live_server import LiveServer
from tests.notifications.receivers import WebhookReceiver

pytestmark = pytest.mark.slow
COUNT = 100


def _wait(predicate, limit: float, what: str):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_kill_dash_nine_with_deliveries_pending_delivers_each_once(tmp_path: Path) -> None:
    receiver = WebhookReceiver().start()
    env = {
        "QDECK_WEBHOOK_ALLOW_HTTP": "true",
        "QDECK_WEBHOOK_ALLOW_PRIVATE": "true",
        # A claim left by the killed server runs out quickly; retries come fast.
        "QDECK_DELIVERY_CLAIM_SECONDS": "3",
        "QDECK_DELIVERY_RETRY_SCALE": "0.01",
        "QDECK_ENGINE_ENABLED": "false",
    }
    # First without a delivery worker, so the 100 deliveries are stored and waiting.
    server = LiveServer(tmp_path / "data", QDECK_DELIVERY_ENABLED="false", **env).start()
    try:
        api = api_client(server, "crash@example.org", PASSWORD)
        # The receiver answers slowly, so the server dies with sends in flight.
        url = receiver.script("crash", delay=0.3)
        endpoint = api.post("/api/v1/notifications/webhooks", json={"url": url}).json()
        receiver.scripts["/crash"].secrets = [endpoint["secret"]]
        hooks = f"/api/v1/notifications/webhooks/{endpoint['id']}"
        for _ in range(COUNT):
            assert api.post(f"{hooks}/test").status_code == 202
        server.stop()

        server = LiveServer(tmp_path / "data", fresh=False, **env).start()
        _wait(lambda: len(receiver.at("crash")) >= 10, 60, "the first deliveries")
        server.kill()
        before = len(receiver.at("crash"))
        assert before < COUNT, "everything went out before the kill; the test proves nothing"

        server.start()
        api = httpx.Client(base_url=server.url, timeout=30, headers=dict(api.headers))

        def all_delivered():
            rows = api.get(f"{hooks}/deliveries").json()
            return (
                rows
                if len(rows) == COUNT and all(r["state"] == "delivered" for r in rows)
                else None
            )

        rows = _wait(all_delivered, 180, "every delivery after the restart")
        requests = receiver.at("crash")
        ids = {r.id for r in requests}
        # Exactly the 100 messages, each under its stable id; a resend after the kill
        # repeats an id, which the receiver's de-duplication absorbs.
        assert ids == {r["message_id"] for r in rows}
        assert len(ids) == COUNT
        assert all(r.verified[endpoint["secret"]] for r in requests)
    finally:
        server.stop()
        receiver.stop()
