"""route(): which channels and when, in the person's time zone, with a clock the test
chooses (DST nights included)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from qdeck.notifications.models import DigestMode
from qdeck.notifications.routing import route
from qdeck.notifications.service import notify
from qdeck.notifications.timing import digest_due, quiet_until
from tests.notifications.conftest import database, uid


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- the clock arithmetic itself ---


def test_quiet_hours_end_in_the_persons_zone_across_the_spring_forward_night() -> None:
    # Berlin, 28 March 2026 23:30 CET (22:30 UTC); clocks jump 02:00 -> 03:00 that night.
    end = quiet_until(utc(2026, 3, 28, 22, 30), "Europe/Berlin", 22 * 60, 7 * 60)
    assert end == utc(2026, 3, 29, 5, 0)  # 07:00 CEST, not 06:00 UTC
    # Outside the quiet hours nothing waits.
    assert quiet_until(utc(2026, 3, 28, 12, 0), "Europe/Berlin", 22 * 60, 7 * 60) is None


def test_a_quiet_end_that_the_clock_skips_is_the_first_moment_after_the_gap() -> None:
    # 02:30 does not exist in Berlin on 29 March 2026; quiet 01:00-02:30 ends at 03:00 CEST.
    end = quiet_until(utc(2026, 3, 29, 0, 15), "Europe/Berlin", 60, 150)
    assert end is not None and end.astimezone(UTC) == utc(2026, 3, 29, 1, 30)
    assert end > utc(2026, 3, 29, 0, 15)


def test_a_quiet_end_that_happens_twice_is_its_first_occurrence() -> None:
    # New York falls back 02:00 EDT -> 01:00 EST on 1 November 2026: 01:30 happens twice.
    end = quiet_until(utc(2026, 11, 1, 4, 10), "America/New_York", 0, 90)  # 00:10 EDT
    assert end == utc(2026, 11, 1, 5, 30)  # 01:30 EDT, the first one


def test_hourly_digests_close_on_the_persons_full_hour_and_daily_at_their_hour() -> None:
    # Kolkata is UTC+5:30: 15:40 IST -> the window closes at 16:00 IST = 10:30 UTC.
    assert digest_due(utc(2026, 6, 1, 10, 10), "Asia/Kolkata", DigestMode.HOURLY, 8) == utc(
        2026, 6, 1, 10, 30
    )
    # Daily at 08:00 New York (EDT, UTC-4): 13:00 UTC is past it, so the next day.
    assert digest_due(utc(2026, 6, 1, 13, 0), "America/New_York", DigestMode.DAILY, 8) == utc(
        2026, 6, 2, 12, 0
    )
    now = utc(2026, 6, 1, 13, 0)
    assert digest_due(now, "UTC", DigestMode.IMMEDIATE, 8) == now


# --- route() on stored notifications and stored preferences ---


async def _routes(app, person, kind: str, now: datetime, **fields):
    async with database(app).session() as session:
        row = await notify(
            session,
            user_id=uid(person),
            workspace_id=uuid.UUID(ws) if (ws := fields.pop("workspace_id", None)) else None,
            kind=kind,
            title=f"{kind} for the test",
            body="why it matters",
            now=now,
            **fields,
        )
        assert row is not None
        return await route(session, row, now=now)


async def _prefs(person, body) -> None:
    response = await person.client.put("/api/v1/notifications/preferences", json=body)
    assert response.status_code == 200, response.text


@pytest.fixture
async def ada(quiet_app, accounts_factory):
    accounts = accounts_factory(quiet_app)
    person = await accounts.sign_up("Ada")
    yield person
    await accounts.close()


async def test_severity_drives_the_default_channels(quiet_app, ada) -> None:
    now = utc(2026, 6, 1, 12, 0)
    # An info event stays in the app; an error also goes by e-mail and webhook.
    assert await _routes(quiet_app, ada, "job.completed", now) == []
    failed = await _routes(quiet_app, ada, "job.failed", now)
    assert {(r.channel, r.due_at, r.batch_key) for r in failed} == {
        ("email", now, None),
        ("webhook", now, None),
    }


async def test_non_urgent_mail_waits_for_quiet_hours_to_end_and_urgent_does_not(
    quiet_app, ada
) -> None:
    await _prefs(
        ada, {"time_zone": "Europe/Berlin", "quiet_hours": {"start": "22:00", "end": "07:00"}}
    )
    night = utc(2026, 3, 28, 22, 30)  # 23:30 in Berlin
    held = await _routes(quiet_app, ada, "job.failed", night)
    assert {r.due_at for r in held} == {utc(2026, 3, 29, 5, 0)}
    # Everything held back by one night goes out as one message per channel.
    assert {r.batch_key for r in held} == {
        f"quiet:email:{ada.id}:2026-03-29T05:00:00+00:00",
        f"quiet:webhook:{ada.id}:2026-03-29T05:00:00+00:00",
    }
    urgent = await _routes(quiet_app, ada, "usage.quota_100", night)
    assert urgent and {r.due_at for r in urgent} == {night}
    assert {r.batch_key for r in urgent} == {None}


async def test_a_digest_batches_one_window_and_moves_out_of_quiet_hours(quiet_app, ada) -> None:
    await _prefs(
        ada,
        {
            "time_zone": "Asia/Kolkata",
            "digests": {"email": "hourly", "webhook": "daily"},
            "daily_digest_hour": 23,
            "quiet_hours": {"start": "22:30", "end": "06:00"},
        },
    )
    first = await _routes(quiet_app, ada, "job.failed", utc(2026, 6, 1, 10, 10))
    second = await _routes(quiet_app, ada, "job.failed", utc(2026, 6, 1, 10, 25))
    mail = [r for r in first + second if r.channel == "email"]
    assert {r.due_at for r in mail} == {utc(2026, 6, 1, 10, 30)}  # 16:00 IST
    assert len({r.batch_key for r in mail}) == 1 and mail[0].batch_key.startswith("digest:hourly")
    # The daily digest at 23:00 IST falls in the quiet hours: it waits until 06:00 IST.
    hook = [r for r in first if r.channel == "webhook"]
    assert hook[0].due_at == utc(2026, 6, 2, 0, 30)
    assert hook[0].batch_key.startswith("digest:daily:webhook")


async def test_a_workspace_override_wins_over_the_persons_own_choice(quiet_app, ada) -> None:
    now = utc(2026, 6, 1, 12, 0)
    ws = ada.personal_workspace_id
    await _prefs(
        ada,
        {
            "channels": {"job.failed": {"webhook": False}},
            "workspaces": {ws: {"job.failed": {"email": False}, "job.completed": {"email": True}}},
        },
    )
    inside = await _routes(quiet_app, ada, "job.failed", now, workspace_id=ws)
    assert inside == []
    elsewhere = await _routes(quiet_app, ada, "job.failed", now)
    assert [r.channel for r in elsewhere] == ["email"]
    completed = await _routes(quiet_app, ada, "job.completed", now, workspace_id=ws)
    assert [r.channel for r in completed] == ["email"]


async def test_an_open_burst_is_routed_for_when_its_group_closes(quiet_app, ada) -> None:
    now = utc(2026, 6, 1, 12, 0)
    routes = await _routes(
        quiet_app, ada, "job.failed", now, group_key="jobs:x:burst", group_window=60.0
    )
    assert {r.due_at for r in routes} == {now + timedelta(seconds=60)}
