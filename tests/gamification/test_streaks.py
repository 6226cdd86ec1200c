"""Streaks in the person's own calendar: time zones, DST, freezes earned, capped and
spent, with a clock the test controls."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from qdeck.gamification import streaks
from qdeck.gamification.streaks import Streak, advance, local_day, standing, zone
from tests.gamification.conftest import circuit, me, run_job, settle


def walk(days: list[date]) -> Streak:
    streak = Streak()
    for day in days:
        streak = advance(streak, day)
    return streak


def test_a_week_in_a_row_earns_a_freeze_and_at_most_two_are_held() -> None:
    start = date(2026, 3, 1)
    week = walk([start + timedelta(days=i) for i in range(7)])
    assert (week.current, week.freezes) == (7, 1)
    month = walk([start + timedelta(days=i) for i in range(28)])
    assert (month.current, month.freezes, month.longest) == (28, 2, 28)


def test_missed_days_spend_freezes_automatically_and_too_many_end_the_streak() -> None:
    start = date(2026, 3, 1)
    fourteen = walk([start + timedelta(days=i) for i in range(14)])
    assert fourteen.freezes == 2
    # Two missed days: both freezes are spent when the person comes back.
    back = advance(fourteen, start + timedelta(days=16))
    assert (back.current, back.freezes, back.freezes_used) == (15, 0, 2)
    # Shown on the day after a miss with no freeze left: broken.
    assert standing(back, start + timedelta(days=18)) == 0
    assert standing(back, start + timedelta(days=17)) == 15
    broken = advance(back, start + timedelta(days=18))
    assert (broken.current, broken.longest) == (1, 15)
    # A day already counted, or a late event from before it, changes nothing.
    assert advance(broken, start + timedelta(days=3)) == broken


def test_days_follow_the_local_calendar_across_time_zones_and_dst() -> None:
    tokyo, new_york = zone("Asia/Tokyo"), zone("America/New_York")
    late = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    assert local_day(late, tokyo) == date(2026, 3, 2)
    assert local_day(late, new_york) == date(2026, 3, 1)
    # New York springs forward on 8 March 2026: 23:30 local is 03:30 UTC before and
    # after alike, the 23-hour day still counts as one day.
    evenings = [
        datetime(2026, 3, 7, 23, 30) + timedelta(days=i) for i in range(3)
    ]  # naive local times
    moments = [e.replace(tzinfo=new_york).astimezone(UTC) for e in evenings]
    assert [local_day(m, new_york) for m in moments] == [
        date(2026, 3, 7),
        date(2026, 3, 8),
        date(2026, 3, 9),
    ]
    assert walk([local_day(m, new_york) for m in moments]).current == 3
    assert streaks.zone("Not/AZone") == zone("UTC")


async def test_a_streak_uses_the_time_zone_from_notification_settings(still_app, people):
    ada = await people.sign_up("Ada")
    put = await ada.client.put(
        "/api/v1/notifications/preferences", json={"time_zone": "Pacific/Auckland"}
    )
    assert put.status_code == 200, put.text
    # Two jobs on one UTC day, 09:59 and 12:00 UTC, fall on two days in Auckland
    # (UTC+13 in December): 22:59 on the 1st and 01:00 on the 2nd.
    first = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    await run_job(still_app, ada, qasm=circuit(1), submitted_at=first - timedelta(minutes=1))
    await run_job(still_app, ada, qasm=circuit(2), submitted_at=first + timedelta(hours=2))
    await settle(still_app)
    mine = await me(ada)
    assert mine["streak"]["longest"] == 2
    assert mine["streak"]["last_active_day"] == "2026-12-02"
