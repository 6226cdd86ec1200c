# ruff: noqa: F811 - the fixtures come from channel_fixtures (conftest.py is the core's)
"""Managing endpoints: bad input changes nothing, others' endpoints are not found,
workspace endpoints are for admins and get a fanned-out event once."""

from __future__ import annotations

from tests.notifications.channel_fixtures import (  # noqa: F401 - fixtures
    anonymous,
    channel_app,
    eventually,
    receiver,
    store_notification,
)
from tests.notifications.receivers import WebhookReceiver, free_port

OWN = "/api/v1/notifications/webhooks"


async def test_bad_input_is_a_422_naming_the_field_and_changes_nothing(channel_app):
    async with channel_app(webhook_allow_http=False) as (_, accounts):
        ada = await accounts.sign_up("Ada")
        for body, field, words in (
            ({"url": "not a url"}, "url", "spaces"),
            ({"url": "http://example.org/hook"}, "url", "https"),
            (
                {"url": "https://example.org/h", "event_types": ["job.exploded"]},
                "event_types",
                "job.exploded",
            ),
        ):
            response = await ada.client.post(OWN, json=body)
            assert response.status_code == 422, response.text
            problem = response.json()
            assert problem["errors"][0]["field"] == field
            assert words in problem["detail"]
        assert (await ada.client.get(OWN)).json() == []

        made = (await ada.client.post(OWN, json={"url": "https://example.org/h"})).json()
        changed = await ada.client.patch(f"{OWN}/{made['id']}", json={"url": "ftp://x/"})
        assert changed.status_code == 422
        assert (await ada.client.get(f"{OWN}/{made['id']}")).json()[
            "url"
        ] == "https://example.org/h"

        huge = {"data": {"blob": "x" * 20_000}}
        test = await ada.client.post(f"{OWN}/{made['id']}/test", json=huge)
        assert test.status_code == 422
        assert test.json()["errors"][0]["field"] == "data"
        assert (await ada.client.get(f"{OWN}/{made['id']}/deliveries")).json() == []


async def test_someone_elses_endpoint_is_not_found(channel_app):
    async with channel_app() as (_, accounts):
        ada, bob = await accounts.sign_up("Ada"), await accounts.sign_up("Bob")
        made = (await ada.client.post(OWN, json={"url": "https://example.org/h"})).json()
        for method, path in (
            ("GET", f"{OWN}/{made['id']}"),
            ("PATCH", f"{OWN}/{made['id']}"),
            ("DELETE", f"{OWN}/{made['id']}"),
            ("POST", f"{OWN}/{made['id']}/rotate"),
            ("POST", f"{OWN}/{made['id']}/test"),
            ("GET", f"{OWN}/{made['id']}/deliveries"),
        ):
            body = {} if method in ("PATCH",) else None
            response = await bob.client.request(method, path, json=body)
            assert response.status_code == 404, (method, path, response.text)
            assert response.json()["code"] == "webhook_endpoint_not_found"
        assert (await bob.client.get(OWN)).json() == []
        assert len((await ada.client.get(OWN)).json()) == 1


async def test_a_workspace_endpoint_gets_an_event_told_to_many_members_once(
    channel_app, receiver: WebhookReceiver
):
    async with channel_app() as (app, accounts):
        owner, member = await accounts.sign_up("Owner"), await accounts.sign_up("Member")
        team = (await owner.client.post("/api/v1/workspaces", json={"name": "Lab"})).json()["id"]
        await owner.client.post(
            f"/api/v1/workspaces/{team}/members", json={"email": member.email, "role": "member"}
        )
        hooks = f"/api/v1/workspaces/{team}/webhooks"
        refused = await member.client.post(hooks, json={"url": receiver.script("team")})
        assert refused.status_code == 403
        endpoint = (await owner.client.post(hooks, json={"url": receiver.script("team")})).json()
        receiver.scripts["/team"].secrets = [endpoint["secret"]]
        assert endpoint["scope"] == "workspace"
        # The workspace endpoint is not among the owner's own.
        assert (await owner.client.get(OWN)).json() == []
        assert (await member.client.get(hooks)).status_code == 403

        # One backend outage, told to both members: one notification each.
        for person in (owner, member):
            await store_notification(
                app,
                person.id,
                kind="backend.offline",
                title="fake_kyiv went offline",
                workspace_id=team,
                source_event_id=4242,
            )
        [request] = await eventually(lambda: receiver.at("team"), "the workspace webhook")
        assert request.verified == {endpoint["secret"]: True}
        assert request.json()["type"] == "backend.offline"
        log = await eventually(
            lambda: _delivered((owner.client, f"{hooks}/{endpoint['id']}/deliveries")), "the log"
        )
        assert len(log) == 1
        assert len(receiver.at("team")) == 1

        # A type the endpoint did not subscribe to stays away.
        await owner.client.patch(f"{hooks}/{endpoint['id']}", json={"event_types": ["job.failed"]})
        await store_notification(
            app, owner.id, kind="backend.online", workspace_id=team, source_event_id=4243
        )
        await store_notification(
            app, owner.id, kind="job.failed", workspace_id=team, source_event_id=4244
        )
        await eventually(lambda: len(receiver.at("team")) == 2, "the job.failed webhook")
        assert [r.json()["type"] for r in receiver.at("team")] == ["backend.offline", "job.failed"]


async def _delivered(where):
    client, path = where
    rows = (await client.get(path)).json()
    return rows if rows and all(r["state"] == "delivered" for r in rows) else None


async def test_an_unreachable_receiver_is_retried_and_shown_in_the_log(channel_app):
    async with channel_app() as (_, accounts):
        ada = await accounts.sign_up("Ada")
        url = f"http://127.0.0.1:{free_port()}/nobody"
        made = (await ada.client.post(OWN, json={"url": url})).json()
        await ada.client.post(f"{OWN}/{made['id']}/test")

        async def retried():
            rows = (await ada.client.get(f"{OWN}/{made['id']}/deliveries")).json()
            return rows if rows and rows[0]["attempts"] >= 2 else None

        [row] = await eventually(retried, "two failed attempts")
        assert row["state"] in ("pending", "delivering")
        assert "ConnectError" in row["last_error"]
        detail = (await ada.client.get(f"{OWN}/{made['id']}/deliveries/{row['id']}")).json()
        assert all(not a["ok"] for a in detail["attempt_log"])
        assert (await ada.client.get(f"{OWN}/{made['id']}")).json()["failing_since"]


async def test_manual_redeliver_sends_the_same_message_again(
    channel_app, receiver: WebhookReceiver
):
    async with channel_app() as (_, accounts):
        ada = await accounts.sign_up("Ada")
        made = (await ada.client.post(OWN, json={"url": receiver.script("again")})).json()
        sent = (await ada.client.post(f"{OWN}/{made['id']}/test")).json()
        await eventually(lambda: receiver.at("again"), "the first delivery")
        path = f"{OWN}/{made['id']}/deliveries/{sent['id']}"

        async def done():
            return (await ada.client.get(path)).json()["state"] == "delivered"

        await eventually(done, "delivered")
        again = await ada.client.post(f"{path}/redeliver")
        assert again.status_code == 202, again.text
        requests = await eventually(lambda: receiver.at("again")[1:], "the redelivery")
        assert requests[0].id == receiver.at("again")[0].id == sent["message_id"]
        await eventually(done, "delivered again")
        detail = (await ada.client.get(path)).json()
        assert [a["attempt"] for a in detail["attempt_log"]] == [1, 2]


async def test_the_openapi_document_describes_every_payload(channel_app):
    async with channel_app() as (app, _):
        web = anonymous(app)
        spec = (await web.get("/api/openapi.json")).json()
        await web.aclose()
    hooks = spec["webhooks"]
    assert {"job.failed", "notification.digest", "webhook.test"} <= set(hooks)
    body = hooks["job.failed"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"]["$ref"].endswith("/NotificationWebhook")
    envelope = spec["components"]["schemas"]["NotificationWebhook"]
    assert {"type", "timestamp", "version", "data"} <= set(envelope["properties"])
    assert "webhook-signature" in hooks["job.failed"]["post"]["description"]
