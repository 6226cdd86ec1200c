"""Live events over the WebSocket of a real server: authentication, the protocol, following
a job, catching up after a reconnect, and never seeing another team's events."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from qdeck.testing.live_server import api_client
from tests.accounts import PASSWORD
from tests.events.live_client import LiveClient
from tests.jobs.conftest import BELL
from tests.live_server import LiveServer

FINAL = ("completed", "failed", "cancelled")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    data = tmp_path_factory.mktemp("ws") / "data"
    live = LiveServer(
        data, QDECK_WORKERS="1", QDECK_WS_MAX_SUBSCRIPTIONS="3", QDECK_WS_HEARTBEAT_SECONDS="1"
    ).start()
    yield live
    live.stop()


_people = iter(range(10_000))


def person(server: LiveServer) -> tuple[httpx.Client, str]:
    """A new account: its API client and its token."""
    api = api_client(server, f"p{next(_people)}@example.org", PASSWORD)
    return api, api.headers["Authorization"].removeprefix("Bearer ")


def personal_workspace(api: httpx.Client) -> str:
    return next(w["id"] for w in api.get("/api/v1/workspaces").json()["items"] if w["is_personal"])


def submit(api: httpx.Client, **fields) -> str:
    response = api.post(
        "/api/v1/jobs", json={"circuits": [{"source": BELL}], "shots": 100, **fields}
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def wait_final(api: httpx.Client, job_id: str) -> dict:
    for _ in range(600):
        job = (await asyncio.to_thread(api.get, f"/api/v1/jobs/{job_id}")).json()
        if job["status"] in FINAL:
            return job
        await asyncio.sleep(0.05)
    raise AssertionError("job did not finish")


async def closed_with(client: LiveClient) -> tuple[int | None, str]:
    with pytest.raises(ConnectionClosed) as closed:
        await client.next(limit_seconds=15)
    return closed.value.rcvd.code if closed.value.rcvd else None, (
        closed.value.rcvd.reason if closed.value.rcvd else ""
    )


async def test_bad_or_missing_credentials_close_with_4401(server) -> None:
    bad = await LiveClient.open(server.url, "qdk_not_a_real_token", welcome=False)
    code, reason = await closed_with(bad)
    assert code == 4401 and "invalid" in reason

    anonymous = await LiveClient.open(server.url)
    await anonymous.send({"type": "subscribe", "topic": "notifications"})
    code, reason = await closed_with(anonymous)
    assert code == 4401 and "Authorization" in reason


async def test_token_in_the_first_frame(server) -> None:
    _, token = person(server)
    client = await LiveClient.open(server.url)
    await client.send({"type": "auth", "token": token})
    assert (await client.next())["type"] == "welcome"
    await client.close()


async def test_a_bad_frame_gets_an_error_and_the_socket_stays_usable(server) -> None:
    _, token = person(server)
    client = await LiveClient.open(server.url, token)
    assert client.welcome["max_subscriptions"] == 3
    for frame, code in (
        ("{not json", "malformed_frame"),
        ("[1, 2]", "malformed_frame"),
        ({"type": "dance"}, "unknown_type"),
        ({"type": "subscribe", "topic": "jobs:everything"}, "invalid_topic"),
        ({"type": "subscribe", "topic": "notifications", "since": "yesterday"}, "malformed_frame"),
        ("x" * 70_000, "frame_too_large"),
    ):
        await client.send(frame)
        answer = await client.next()
        assert (answer["type"], answer["code"]) == ("error", code), answer
    await client.send({"type": "ping", "ref": "still there?"})
    assert await client.next() == {"type": "pong", "ref": "still there?"}
    await client.close()


async def test_subscription_limit(server) -> None:
    api, token = person(server)
    workspace = personal_workspace(api)
    job_id = submit(api)
    await wait_final(api, job_id)  # so that no event comes between requests and answers
    client = await LiveClient.open(server.url, token)
    for topic in (f"workspace:{workspace}", f"activity:{workspace}", "notifications"):
        assert (await client.subscribe(topic))["type"] == "subscribed"
    fourth = await client.subscribe(f"job:{job_id}")
    assert fourth["code"] == "too_many_subscriptions"
    await client.close()


async def test_following_a_job_sees_every_change_in_order(server) -> None:
    api, token = person(server)
    client = await LiveClient.open(server.url, token)
    job_id = submit(api)
    subscribed = await client.subscribe(f"job:{job_id}", since=0)
    assert subscribed["type"] == "subscribed"
    frames = await client.events_until(lambda f: f["data"]["status"] in FINAL)
    stored = [e["id"] for e in api.get(f"/api/v1/jobs/{job_id}/events").json()]
    assert [f["seq"] for f in frames] == stored
    assert frames[0]["event"] == "job.submitted"
    assert [f["data"]["status"] for f in frames][-1] == "completed"
    assert [f["data"]["phase"] for f in frames if f["event"] == "job.progress"] == [
        "transpiling",
        "executing",
        "post_processing",
    ]
    await client.close()


async def test_reconnecting_with_since_replays_what_was_missed_once(server) -> None:
    api, token = person(server)
    workspace = personal_workspace(api)
    first_job = submit(api)
    await wait_final(api, first_job)
    client = await LiveClient.open(server.url, token)
    await client.subscribe(f"workspace:{workspace}", since=0)
    seen = await client.events_until(lambda f: f["data"]["status"] == "completed")
    last = seen[-1]["seq"]
    await client.close()

    # While disconnected, a job runs from start to finish.
    missed_job = submit(api)
    await wait_final(api, missed_job)

    client = await LiveClient.open(server.url, token)
    subscribed = await client.subscribe(f"workspace:{workspace}", since=last)
    replayed = await client.events_until(lambda f: f["data"]["status"] == "completed")
    expected = [e["id"] for e in api.get(f"/api/v1/jobs/{missed_job}/events").json()]
    assert subscribed["replayed"] == len(expected)
    assert [f["seq"] for f in replayed] == expected
    assert all(f["data"]["job_id"] == missed_job for f in replayed)
    # Then live events follow, with nothing repeated.
    live_job = submit(api)
    live = await client.events_until(lambda f: f["data"]["status"] == "completed")
    assert {f["data"]["job_id"] for f in live} == {live_job}
    assert live[0]["seq"] > replayed[-1]["seq"]
    await client.close()


async def test_activity_topic(server) -> None:
    api, token = person(server)
    workspace = personal_workspace(api)
    client = await LiveClient.open(server.url, token)
    await client.subscribe(f"activity:{workspace}")
    job_id = submit(api, name="activity probe")
    frames = await client.events_until(lambda f: f["data"]["verb"] == "job.completed")
    verbs = [f["data"]["verb"] for f in frames]
    assert verbs == ["job.submitted", "job.completed"]
    assert all(f["data"]["subject_id"] == job_id for f in frames)
    page = api.get(f"/api/v1/workspaces/{workspace}/activity").json()["items"]
    assert [e["id"] for e in page[:2]] == [frames[1]["seq"], frames[0]["seq"]]
    await client.close()


async def test_other_teams_events_never_arrive(server) -> None:
    ada, _ = person(server)
    eve_api, eve_token = person(server)
    ada_workspace = personal_workspace(ada)
    job_id = submit(ada)
    eve = await LiveClient.open(server.url, eve_token)
    for topic in (f"workspace:{ada_workspace}", f"job:{job_id}", f"activity:{ada_workspace}"):
        answer = await eve.subscribe(topic, since=0)
        assert (answer["type"], answer["code"]) == ("error", "not_found"), answer
    await eve.subscribe(f"workspace:{personal_workspace(eve_api)}")
    await wait_final(ada, submit(ada))
    await eve.send({"type": "ping", "ref": "end"})
    assert await eve.next() == {"type": "pong", "ref": "end"}  # nothing of Ada's came first
    await eve.close()


async def test_a_removed_member_stops_receiving(server) -> None:
    ada, _ = person(server)
    bob_api, bob_token = person(server)
    lab = ada.post("/api/v1/workspaces", json={"name": "Lab"}).json()["id"]
    bob_email = bob_api.get("/api/v1/auth/me").json()["user"]["email"]
    bob_id = bob_api.get("/api/v1/auth/me").json()["user"]["id"]
    ada.post(f"/api/v1/workspaces/{lab}/members", json={"email": bob_email})
    bob = await LiveClient.open(server.url, bob_token)
    assert (await bob.subscribe(f"workspace:{lab}"))["type"] == "subscribed"
    ada.delete(f"/api/v1/workspaces/{lab}/members/{bob_id}")
    gone = await bob.next()
    assert gone["type"] == "unsubscribed" and gone["topic"] == f"workspace:{lab}"
    assert "removed you" in gone["reason"]
    submit(ada, workspace_id=lab)
    await bob.send({"type": "ping", "ref": "after"})
    assert await bob.next() == {"type": "pong", "ref": "after"}
    await bob.close()


async def test_heartbeats_arrive(server) -> None:
    _, token = person(server)
    client = await LiveClient.open(server.url, token)
    frame = json.loads(await asyncio.wait_for(client.connection.recv(), 5))
    assert frame["type"] == "heartbeat"
    await client.close()


async def test_no_event_is_lost_between_subscribing_and_replaying(server) -> None:
    """Subscribing races the job: whatever commits meanwhile comes from the replay or live."""
    api, token = person(server)
    client = await LiveClient.open(server.url, token)
    for _ in range(60):
        job_id = submit(api)
        seen = (await asyncio.to_thread(api.get, f"/api/v1/jobs/{job_id}/events")).json()
        await client.subscribe(f"job:{job_id}", since=seen[-1]["id"])
        if seen[-1]["to_status"] in FINAL:
            await client.send({"type": "unsubscribe", "topic": f"job:{job_id}"})
            assert (await client.next())["type"] == "unsubscribed"
            continue
        frames = await client.events_until(lambda f: f["data"]["status"] in FINAL, 20)
        assert frames[-1]["data"]["status"] == "completed"
        await client.send({"type": "unsubscribe", "topic": f"job:{job_id}"})
        assert (await client.next())["type"] == "unsubscribed"
    await client.close()
