"""When a message may go out, in a person's own time zone: quiet hours and digest
windows. Pure functions of ``now`` so tests control the clock (DST included)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from qdeck.notifications.models import DigestMode


def zone(name: str) -> ZoneInfo:
    """The zone, falling back to UTC for a name that stopped existing after it was stored."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def is_known_zone(name: str) -> bool:
    if not name or len(name) > 64 or name.startswith("/") or ".." in name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def zone_names() -> list[str]:
    return sorted(available_timezones())


def _at_local(day: datetime, minute: int, tz: ZoneInfo) -> datetime:
    """``minute`` past local midnight of ``day``'s date, as UTC. A wall time that a DST
    change skips maps to the first moment after the gap; one that happens twice, to the
    first occurrence."""
    naive = datetime.combine(day.date(), time(minute // 60, minute % 60))
    return naive.replace(tzinfo=tz).astimezone(UTC)


def quiet_until(
    now: datetime, tz_name: str, start_minute: int | None, end_minute: int | None
) -> datetime | None:
    """The end of the quiet hours ``now`` falls in, or None when it is not quiet."""
    if start_minute is None or end_minute is None or start_minute == end_minute:
        return None
    tz = zone(tz_name)
    local = now.astimezone(tz)
    minute = local.hour * 60 + local.minute
    if start_minute < end_minute:
        inside = start_minute <= minute < end_minute
        end_day = local
    else:  # spans midnight, e.g. 22:00-07:00
        inside = minute >= start_minute or minute < end_minute
        end_day = local + timedelta(days=1) if minute >= start_minute else local
    if not inside:
        return None
    end = _at_local(end_day, end_minute, tz)
    return end if end > now else _at_local(end_day + timedelta(days=1), end_minute, tz)


def digest_due(now: datetime, tz_name: str, mode: DigestMode, daily_hour: int) -> datetime:
    """When the digest window containing ``now`` closes (``now`` itself for immediate)."""
    if mode == DigestMode.IMMEDIATE:
        return now
    tz = zone(tz_name)
    local = now.astimezone(tz)
    if mode == DigestMode.HOURLY:
        # The next full local hour (not UTC: zones such as Asia/Kolkata are off by 30 min).
        start = local.replace(minute=0, second=0, microsecond=0)
        due = (start.replace(tzinfo=None) + timedelta(hours=1)).replace(tzinfo=tz)
        due_utc = due.astimezone(UTC)
        return due_utc if due_utc > now else due_utc + timedelta(hours=1)
    due = _at_local(local, daily_hour * 60, tz)
    return due if due > now else _at_local(local + timedelta(days=1), daily_hour * 60, tz)
