# ruff: noqa: F811 - the fixtures come from channel_fixtures (conftest.py is the core's)
"""Webhooks end to end: a real receiver on loopback checks every request with the
``standardwebhooks`` library; retries keep the webhook-id; 410 disables; rotation."""

from __future__ import annotations

from sqlalchemy import select

from qdeck.notifications.models import Notification
from tests.notifications.channel_fixtures import (  # noqa: F401 - fixtures
    channel_app,
    eventually,
    receiver,
    smtp,
    store_notification,
)
from tests.notifications.receivers import WebhookReceiver


async def _endpoint(person, url: str, **body) -> dict:
    response = await person.client.post("/api/v1/notifications/webhooks", json={"url": url, **body})
    assert response.status_code == 201, response.text
    return response.json()


async def _log(person, endpoint_id: str) -> list[dict]:
    response = await person.client.get(f"/api/v1/notifications/webhooks/{endpoint_id}/deliveries")
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_failed_job_reaches_the_endpoint_signed(channel_app, receiver: WebhookReceiver):
    async with channel_app() as (app, accounts):
        ada = await accounts.sign_up("Ada")
        url = receiver.script("ada")
        endpoint = await _endpoint(ada, url, event_types=["job.failed"])
        assert endpoint["secret"].startswith("whsec_")
        receiver.scripts["/ada"].secrets = [endpoint["secret"]]
        # The secret is shown once: reading the endpoint again does not give it.
        again = await ada.client.get(f"/api/v1/notifications/webhooks/{endpoint['id']}")
        assert "secret" not in again.json()

        await store_notification(app, ada.id)
        [request] = await eventually(lambda: receiver.at("ada"), "the webhook")
        assert request.verified == {endpoint["secret"]: True}
        payload = request.json()
        assert payload["type"] == "job.failed"
        assert payload["version"] == 1
        note = payload["data"]["notification"]
        assert note["title"] == "Job bell-1 failed"
        assert note["severity"] == "error"
        assert note["link"].endswith("/jobs")

        [logged] = await eventually(
            lambda: _delivered(ada, endpoint["id"]), "the log to show it delivered"
        )
        assert logged["message_id"] == request.id
        assert logged["last_status_code"] == 200
        assert logged["last_latency_ms"] is not None
        assert "test receiver" in logged["last_response"]


async def _delivered(person, endpoint_id: str) -> list[dict] | None:
    log = await _log(person, endpoint_id)
    return log if log and all(d["state"] == "delivered" for d in log) else None


async def test_a_receiver_failing_twice_sees_the_same_id_three_times(
    channel_app, receiver: WebhookReceiver
):
    async with channel_app() as (app, accounts):
        ada = await accounts.sign_up("Ada")
        url = receiver.script("flaky", statuses=[500, 503])
        endpoint = await _endpoint(ada, url)
        receiver.scripts["/flaky"].secrets = [endpoint["secret"]]
        await store_notification(app, ada.id)

        await eventually(lambda: _delivered(ada, endpoint["id"]), "delivery after two failures")
        requests = receiver.at("flaky")
        assert [r.status for r in requests] == [500, 503, 200]
        assert len({r.id for r in requests}) == 1
        assert all(r.verified[endpoint["secret"]] for r in requests)

        [delivery] = await _log(ada, endpoint["id"])
        detail = (
            await ada.client.get(
                f"/api/v1/notifications/webhooks/{endpoint['id']}/deliveries/{delivery['id']}"
            )
        ).json()
        assert [a["status_code"] for a in detail["attempt_log"]] == [500, 503, 200]
        assert [a["ok"] for a in detail["attempt_log"]] == [False, False, True]
        assert detail["attempt_log"][0]["error"] == "HTTP 500"


async def test_410_gone_disables_the_endpoint_and_tells_its_owner(
    channel_app, receiver: WebhookReceiver
):
    async with channel_app() as (app, accounts):
        ada = await accounts.sign_up("Ada")
        endpoint = await _endpoint(ada, receiver.script("gone", then=410))
        await store_notification(app, ada.id)

        async def disabled():
            found = await ada.client.get(f"/api/v1/notifications/webhooks/{endpoint['id']}")
            return found.json() if found.json()["state"] == "disabled" else None

        state = await eventually(disabled, "the endpoint to be disabled")
        assert "410" in state["disabled_reason"]
        assert len(receiver.at("gone")) == 1  # never retried
        [delivery] = await _log(ada, endpoint["id"])
        assert delivery["state"] == "disabled"
        async with app.state.database.session(write=False) as session:
            kinds = list(
                await session.scalars(
                    select(Notification.kind).where(Notification.user_id == delivery_user(ada))
                )
            )
        assert "webhook.disabled" in kinds

        # A disabled endpoint takes no test events until it is enabled again.
        test = await ada.client.post(f"/api/v1/notifications/webhooks/{endpoint['id']}/test")
        assert test.status_code == 409
        enabled = await ada.client.patch(
            f"/api/v1/notifications/webhooks/{endpoint['id']}", json={"enabled": True}
        )
        assert enabled.json()["state"] == "active"


def delivery_user(person):
    import uuid

    return uuid.UUID(person.id)


async def test_rotation_keeps_the_old_secret_valid_during_the_overlap(
    channel_app, receiver: WebhookReceiver
):
    async with channel_app() as (_, accounts):
        ada = await accounts.sign_up("Ada")
        endpoint = await _endpoint(ada, receiver.script("rotating"))
        old = endpoint["secret"]
        rotated = await ada.client.post(
            f"/api/v1/notifications/webhooks/{endpoint['id']}/rotate", json={"overlap_hours": 1}
        )
        assert rotated.status_code == 200, rotated.text
        new = rotated.json()["secret"]
        assert new != old and new.startswith("whsec_")
        receiver.scripts["/rotating"].secrets = [old, new]

        sent = await ada.client.post(f"/api/v1/notifications/webhooks/{endpoint['id']}/test")
        assert sent.status_code == 202, sent.text
        [request] = await eventually(lambda: receiver.at("rotating"), "the test event")
        # A receiver still holding the old secret accepts it, and one with the new.
        assert request.verified == {old: True, new: True}
        assert request.json()["type"] == "webhook.test"

        # Without an overlap the old secret stops at once.
        rotated = await ada.client.post(
            f"/api/v1/notifications/webhooks/{endpoint['id']}/rotate", json={"overlap_hours": 0}
        )
        newest = rotated.json()["secret"]
        receiver.scripts["/rotating"].secrets = [new, newest]
        await ada.client.post(f"/api/v1/notifications/webhooks/{endpoint['id']}/test")
        requests = await eventually(lambda: receiver.at("rotating")[1:], "the second test event")
        assert requests[0].verified == {new: False, newest: True}
