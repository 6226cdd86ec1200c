"""The notification centre and settings pages, through NiceGUI's simulated user: the
bell's count, filters, mark read, archive, and saving preferences."""

from __future__ import annotations

import asyncio
import uuid

from nicegui.testing import User
from sqlalchemy import select

from qdeck.notifications.models import NotificationPreference, NotificationSettings
from qdeck.notifications.service import notify
from tests.notifications.conftest import database, notifications, uid, unread


async def _seed(app, person, kind: str, title: str, link: str | None = None) -> None:
    async with database(app).session() as session:
        await notify(
            session,
            user_id=uid(person),
            workspace_id=uuid.UUID(person.personal_workspace_id),
            kind=kind,
            title=title,
            body=f"why {title} matters",
            link=link,
        )


async def _titles_become(user: User, expected: list[str]) -> None:
    """The centre's list (the bell's menu holds titles too)."""
    for _ in range(100):
        shown = (
            [e.text for e in user.find(marker="notification-title").elements]
            if (user._sees(None, None, "notification-title", None))
            else []
        )
        if sorted(shown) == sorted(expected):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the centre shows {shown}, not {expected}")


async def test_the_centre_lists_filters_marks_read_and_archives(
    user: User,
    api,
    log_in,
    ui_app,
) -> None:
    ada = await api.sign_up("Ada")
    await _seed(ui_app, ada, "job.failed", "deep failed on fake_kyiv", "/jobs")
    await _seed(ui_app, ada, "backend.offline", "fake_kyiv went offline")
    await log_in(user, ada)
    await user.open("/notifications")
    await user.should_see("deep failed on fake_kyiv")
    await user.should_see("why fake_kyiv went offline matters")
    assert user.find(marker="bell-count").elements.pop().text == "2"

    next(iter(user.find(marker="filter-severity").elements)).set_value("error")
    await _titles_become(user, ["deep failed on fake_kyiv"])

    user.find(marker="mark-read").click()
    await user.should_see("Mark unread", retries=100)
    assert await unread(ada.client) == 1

    user.find(marker="archive").click()
    await _titles_become(user, [])
    assert [n["title"] for n in await notifications(ada.client, archived=True)] == [
        "deep failed on fake_kyiv"
    ]

    await user.open("/notifications")
    user.find(marker="read-all").click()
    await user.should_see("1 marked read", retries=100)
    assert await unread(ada.client) == 0


async def test_settings_save_the_matrix_quiet_hours_and_say_email_is_off(
    user: User,
    api,
    log_in,
    ui_app,
) -> None:
    ada = await api.sign_up("Ada")
    await log_in(user, ada)
    await user.open("/notifications/settings")
    await user.should_see("E-mail is not configured on this server")
    await user.should_see("Job failed")
    user.find(marker="pref-job.completed-email").click()
    user.find(marker="quiet-hours").click()
    user.find(marker="save-notification-settings").click()
    await user.should_see("Notification settings saved", retries=100)
    async with database(ui_app).session(write=False) as session:
        stored = await session.get(NotificationPreference, (uid(ada), "job.completed", "email"))
        settings = await session.scalar(
            select(NotificationSettings).where(NotificationSettings.user_id == uid(ada))
        )
    assert stored is not None and stored.enabled is True
    assert settings is not None
    assert (settings.quiet_start_minute, settings.quiet_end_minute) == (22 * 60, 7 * 60)
    # Only the cell that changed was written; the others keep following the defaults.
    prefs = (await ada.client.get("/api/v1/notifications/preferences")).json()
    failed = next(t for t in prefs["event_types"] if t["key"] == "job.failed")
    assert failed["channels"]["email"] is True
