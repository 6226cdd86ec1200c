# ruff: noqa: F811 - the fixtures come from channel_fixtures (conftest.py is the core's)
"""Deliveries that share a batch key and fall due together go out as one digest: one
webhook (``notification.digest``) and one e-mail, each listing every notification."""

from __future__ import annotations

import uuid

from qdeck.db.types import utcnow
from qdeck.notifications import webhooks
from qdeck.notifications.delivery_models import Channel, Delivery
from tests.notifications.channel_fixtures import (  # noqa: F401 - fixtures
    channel_app,
    eventually,
    receiver,
    smtp,
)
from tests.notifications.receivers import SmtpSink, WebhookReceiver


async def _queue(app, channel: Channel, user_id: str, endpoint_id: str | None, titles: list[str]):
    """What the channels' consumer stores for notifications routed into one digest."""
    now = utcnow()
    async with app.state.database.session() as session:
        for title in titles:
            payload = webhooks.envelope(
                "job.completed",
                {
                    "notification": {
                        "title": title,
                        "body": f"{title}: 1024 shots",
                        "kind": "job.completed",
                    }
                },
                now,
            )
            session.add(
                Delivery(
                    channel=channel,
                    user_id=uuid.UUID(user_id),
                    endpoint_id=uuid.UUID(endpoint_id) if endpoint_id else None,
                    message_id=webhooks.new_message_id(),
                    dedupe_key=f"{channel}:{uuid.uuid4()}",
                    event_type="job.completed",
                    payload=payload,
                    next_attempt_at=now,
                    batch_key=f"digest:hourly:{channel}:{user_id}:{now.isoformat()}",
                )
            )


async def test_a_webhook_digest_is_one_request(channel_app, receiver: WebhookReceiver):
    async with channel_app() as (app, accounts):
        ada = await accounts.sign_up("Ada")
        made = await ada.client.post(
            "/api/v1/notifications/webhooks", json={"url": receiver.script("digest")}
        )
        endpoint = made.json()
        receiver.scripts["/digest"].secrets = [endpoint["secret"]]
        titles = [f"Job {n} completed" for n in range(3)]
        await _queue(app, Channel.WEBHOOK, ada.id, endpoint["id"], titles)

        [request] = await eventually(lambda: receiver.at("digest"), "the digest")
        assert request.verified[endpoint["secret"]]
        body = request.json()
        assert body["type"] == "notification.digest"
        assert [n["title"] for n in body["data"]["notifications"]] == titles

        async def all_delivered():
            rows = (
                await ada.client.get(f"/api/v1/notifications/webhooks/{endpoint['id']}/deliveries")
            ).json()
            return len(rows) == 3 and all(r["state"] == "delivered" for r in rows)

        await eventually(all_delivered, "the three deliveries marked delivered")
        assert len(receiver.at("digest")) == 1


async def test_an_email_digest_is_one_message(channel_app, smtp: SmtpSink):
    settings = {"smtp_host": "127.0.0.1", "smtp_port": smtp.port, "smtp_tls_mode": "none"}
    async with channel_app(**settings) as (app, accounts):
        ada = await accounts.sign_up("Ada")
        titles = [f"Job {n} completed" for n in range(4)]
        await _queue(app, Channel.EMAIL, ada.id, None, titles)

        [message] = await eventually(lambda: smtp.messages, "the digest e-mail")
        assert message["Subject"] == "[qdeck] 4 notifications"
        plain = message.get_body(("plain",)).get_content()
        assert all(title in plain for title in titles)
        # A digest's one-click link stops all notification e-mail, and says so.
        assert "Stop all qdeck notification e-mail" in plain
