"""notify(): preferences decide, duplicates collapse, bursts fold into one row, also when
two writers open the same group at once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from qdeck.notifications.models import Notification
from qdeck.notifications.service import notify
from tests.notifications.conftest import database, notifications, uid, unread

T0 = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


async def _notify(app, person, **fields):
    values = {
        "user_id": uid(person),
        "workspace_id": None,
        "kind": "achievement.earned",
        "title": "First Bell state",
        "body": "You ran your first entangled pair.",
        "now": T0,
    }
    values.update(fields)
    async with database(app).session() as session:
        row = await notify(session, **values)
        return row.id if row else None


async def _count(app, person) -> int:
    async with database(app).session(write=False) as session:
        return await session.scalar(select(func.count()).where(Notification.user_id == uid(person)))


async def test_a_duplicate_collapses_into_the_first(quiet_app, accounts_factory) -> None:
    accounts = accounts_factory(quiet_app)
    ada = await accounts.sign_up("Ada")
    first = await _notify(quiet_app, ada, dedupe_key="achievement:first-bell")
    again = await _notify(quiet_app, ada, dedupe_key="achievement:first-bell", title="Again")
    assert first is not None and again is None
    items = await notifications(ada.client)
    assert [n["title"] for n in items] == ["First Bell state"]
    assert await unread(ada.client) == 1
    # The key is per person: Grace gets her own.
    grace = await accounts.sign_up("Grace")
    assert await _notify(quiet_app, grace, dedupe_key="achievement:first-bell") is not None
    await accounts.close()


async def test_a_burst_within_the_window_is_one_notification_then_a_new_one_opens(
    quiet_app, accounts_factory
) -> None:
    accounts = accounts_factory(quiet_app)
    ada = await accounts.sign_up("Ada")
    group = {"group_key": "mentions:lab", "group_window": 60.0, "kind": "chat.mention"}
    first = await _notify(quiet_app, ada, title="Grace mentioned you", **group)
    for i in range(1, 5):
        folded = await _notify(
            quiet_app, ada, title="Grace mentioned you", now=T0 + timedelta(seconds=10 * i), **group
        )
        assert folded is None
    items = await notifications(ada.client)
    assert len(items) == 1 and items[0]["id"] == str(first)
    assert items[0]["count"] == 5 and "5 times" in items[0]["title"]
    # After the window a new burst starts its own notification.
    later = await _notify(
        quiet_app, ada, title="Grace mentioned you", now=T0 + timedelta(seconds=61), **group
    )
    assert later is not None and later != first
    assert await _count(quiet_app, ada) == 2
    await accounts.close()


async def test_two_writers_opening_the_same_group_make_one_notification(
    quiet_app, accounts_factory
) -> None:
    accounts = accounts_factory(quiet_app)
    ada = await accounts.sign_up("Ada")
    group = {"group_key": "mentions:lab", "group_window": 60.0, "kind": "chat.mention"}
    results = await asyncio.gather(
        *[_notify(quiet_app, ada, title=f"mention {i}", **group) for i in range(6)]
    )
    assert sum(r is not None for r in results) == 1
    items = await notifications(ada.client)
    assert len(items) == 1 and items[0]["count"] == 6
    await accounts.close()


async def test_off_everywhere_stores_nothing_and_email_only_stays_out_of_the_bell(
    quiet_app, accounts_factory
) -> None:
    accounts = accounts_factory(quiet_app)
    ada = await accounts.sign_up("Ada")
    off = {"achievement.earned": {"in_app": False, "email": False, "webhook": False}}
    put = await ada.client.put("/api/v1/notifications/preferences", json={"channels": off})
    assert put.status_code == 200, put.text
    assert await _notify(quiet_app, ada) is None
    assert await _count(quiet_app, ada) == 0

    email_only = {"achievement.earned": {"email": True}}
    await ada.client.put("/api/v1/notifications/preferences", json={"channels": email_only})
    assert await _notify(quiet_app, ada) is not None
    assert await unread(ada.client) == 0
    assert await notifications(ada.client) == []
    archived = await notifications(ada.client, archived=True)
    assert [n["title"] for n in archived] == ["First Bell state"]
    await accounts.close()


async def test_notify_many_reaches_everyone_across_rounds_of_reads_once(
    quiet_app, monkeypatch
) -> None:
    from qdeck.auth.models import User
    from qdeck.notifications import service

    monkeypatch.setattr(service, "FAN_OUT_CHUNK", 3)  # seven people: three rounds
    async with database(quiet_app).session() as session:
        people = [
            User(email=f"many{i}@example.org", display_name=f"M{i}", password_hash="x")
            for i in range(7)
        ]
        session.add_all(people)
        await session.flush()
        ids = [p.id for p in people]
    what = {
        "workspace_id": None,
        "kind": "backend.offline",
        "title": "fake_kyiv went offline",
        "body": "You used it in the last 7 days.",
        "dedupe_key": "bench:many",
        "now": T0,
    }
    async with database(quiet_app).session() as session:
        first = await service.notify_many(session, ids[:2], **what)
    async with database(quiet_app).session() as session:
        rest = await service.notify_many(session, [*ids, ids[4]], **what)  # one named twice
    assert {r.user_id for r in first} == set(ids[:2])
    assert sorted(str(r.user_id) for r in rest) == sorted(str(i) for i in ids[2:])
    async with database(quiet_app).session(write=False) as session:
        stored = await session.scalar(
            select(func.count()).where(Notification.dedupe_key == "bench:many")
        )
    assert stored == 7
