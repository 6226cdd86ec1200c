"""Daily streaks in the person's own calendar, with freezes (Duolingo's rules).

A day counts when the person did real work that day in their time zone (anything that
earned or would have earned XP; refused jobs do not count). A 7th, 14th, 21st ... day in
a row earns a freeze, at most 2 held. Missed days are covered by held freezes, spent
automatically when the person is next active; more missed days than freezes ends the
streak. Pure functions of the days, so a replay or a backfill reaches the same state.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

FREEZE_EVERY = 7
MAX_FREEZES = 2


@dataclass(frozen=True)
class Streak:
    current: int = 0
    longest: int = 0
    freezes: int = 0
    freezes_used: int = 0
    last_day: date | None = None


def advance(streak: Streak, day: date) -> Streak:
    """The streak after activity on ``day``. Activity on a day already counted (or
    before it, arriving late) changes nothing."""
    if streak.last_day is not None and day <= streak.last_day:
        return streak
    freezes, used = streak.freezes, streak.freezes_used
    if streak.last_day is None:
        current = 1
    else:
        missed = (day - streak.last_day).days - 1
        if missed == 0:
            current = streak.current + 1
        elif missed <= freezes:
            freezes -= missed
            used += missed
            current = streak.current + 1
        else:
            current = 1
    if current % FREEZE_EVERY == 0:
        freezes = min(MAX_FREEZES, freezes + 1)
    return replace(
        streak,
        current=current,
        longest=max(streak.longest, current),
        freezes=freezes,
        freezes_used=used,
        last_day=day,
    )


def standing(streak: Streak, today: date) -> int:
    """The streak as it stands on ``today``: alive while the missed days since the last
    active one are covered by held freezes, else 0."""
    if streak.last_day is None:
        return 0
    missed = (today - streak.last_day).days - 1
    return streak.current if missed <= streak.freezes else 0


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_day(at: datetime, tz: ZoneInfo) -> date:
    return at.astimezone(tz).date()
