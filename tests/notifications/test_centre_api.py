"""/api/v1/notifications: a person's list with filters and keyset pages, read, all read,
archive; another person's notification is not found."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from qdeck.notifications.service import notify
from tests.notifications.conftest import database, notifications, uid, unread

T0 = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


async def _seed(app, person, items: list[tuple[str, str | None]]) -> list[str]:
    """(kind, workspace id) per notification, one minute apart, oldest first."""
    ids = []
    async with database(app).session() as session:
        for i, (kind, workspace) in enumerate(items):
            row = await notify(
                session,
                user_id=uid(person),
                workspace_id=uuid.UUID(workspace) if workspace else None,
                kind=kind,
                title=f"{kind} #{i}",
                body="why",
                link=f"/jobs/{uuid.uuid4()}",
                now=T0 + timedelta(minutes=i),
            )
            ids.append(str(row.id))
    return ids


@pytest.fixture
async def people(quiet_app, accounts_factory):
    accounts = accounts_factory(quiet_app)
    ada = await accounts.sign_up("Ada")
    grace = await accounts.sign_up("Grace")
    yield ada, grace
    await accounts.close()


async def test_filters_pages_and_marks(quiet_app, people) -> None:
    ada, _ = people
    ws = ada.personal_workspace_id
    kinds = [("job.failed", ws), ("job.completed", ws), ("backend.offline", None)] * 3
    ids = await _seed(quiet_app, ada, kinds)
    assert await unread(ada.client) == 9

    # Newest first, in keyset pages.
    first = (await ada.client.get("/api/v1/notifications", params={"limit": 4})).json()
    second = (
        await ada.client.get(
            "/api/v1/notifications", params={"limit": 4, "cursor": first["next_cursor"]}
        )
    ).json()
    seen = [n["id"] for n in first["items"] + second["items"]]
    assert seen == list(reversed(ids))[:8]

    failed = await notifications(ada.client, kind="job.failed")
    assert [n["severity"] for n in failed] == ["error"] * 3
    assert len(await notifications(ada.client, severity="warning")) == 3  # backend.offline
    assert len(await notifications(ada.client, workspace_id=ws)) == 6

    read = await ada.client.post(f"/api/v1/notifications/{ids[0]}/read")
    assert read.status_code == 200 and read.json()["read_at"] is not None
    assert await unread(ada.client) == 8
    assert ids[0] not in [n["id"] for n in await notifications(ada.client, unread=True)]
    assert [n["id"] for n in await notifications(ada.client, unread=False)] == [ids[0]]

    archived = await ada.client.post(f"/api/v1/notifications/{ids[1]}/archive")
    assert archived.status_code == 200
    assert ids[1] not in [n["id"] for n in await notifications(ada.client, limit=50)]
    assert [n["id"] for n in await notifications(ada.client, archived=True)] == [ids[1]]
    assert await unread(ada.client) == 7

    only_ws = await ada.client.post("/api/v1/notifications/read-all", params={"workspace_id": ws})
    assert only_ws.json() == {"marked": 4, "unread": 3}
    everything = await ada.client.post("/api/v1/notifications/read-all")
    assert everything.json() == {"marked": 3, "unread": 0}


async def test_another_persons_notification_is_not_found(quiet_app, people) -> None:
    ada, grace = people
    (mine,) = await _seed(quiet_app, ada, [("job.failed", None)])
    for method, path in (
        ("GET", f"/api/v1/notifications/{mine}"),
        ("POST", f"/api/v1/notifications/{mine}/read"),
        ("POST", f"/api/v1/notifications/{mine}/unread"),
        ("POST", f"/api/v1/notifications/{mine}/archive"),
        ("POST", f"/api/v1/notifications/{mine}/unarchive"),
        ("GET", f"/api/v1/notifications/{uuid.uuid4()}"),
    ):
        response = await grace.client.request(method, path)
        assert response.status_code == 404, (method, path, response.text)
        assert response.json()["code"] == "notification_not_found"
    assert await notifications(grace.client) == []
    assert (await grace.client.post("/api/v1/notifications/read-all")).json()["marked"] == 0
    assert await unread(ada.client) == 1


async def test_bad_filters_are_a_422_naming_them(people) -> None:
    ada, _ = people
    for params, field in (
        ({"kind": "job.exploded"}, "kind"),
        ({"severity": "fatal"}, "severity"),
        ({"workspace_id": "not-a-uuid"}, "workspace_id"),
        ({"cursor": "garbage"}, "cursor"),
    ):
        response = await ada.client.get("/api/v1/notifications", params=params)
        assert response.status_code == 422, (params, response.text)
        assert field in response.text
