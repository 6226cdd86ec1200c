"""The gamification pages with NiceGUI's simulated user against the real app: a real job
on Aer earns XP, the progress page shows it and the achievement, the toast arrives live
on an open page, and the public badge page needs no sign-in."""

from __future__ import annotations

import asyncio

from nicegui.testing import User

from tests.accounts import Accounts
from tests.gamification.conftest import BELL
from tests.ui.conftest import LogIn, api, log_in, new_user, ui_app, user

__all__ = ["api", "log_in", "new_user", "ui_app", "user"]


async def _xp(person) -> int:
    return (await person.client.get("/api/v1/gamification/me")).json()["xp"]


async def _until(check, seconds: float = 60.0):
    for _ in range(int(seconds * 10)):
        if value := await check():
            return value
        await asyncio.sleep(0.1)
    raise AssertionError("never happened")


async def test_finishing_a_job_shows_the_toast_live_and_the_progress_page(
    user: User, api: Accounts, log_in: LogIn
) -> None:
    ada = await api.sign_up("Ada")
    await log_in(user, ada)
    await user.open("/progress")
    await user.should_see("Your progress")
    await user.should_see("How XP works")
    await user.should_see("0 / 1")  # First light, not yet earned

    submitted = await ada.client.post(
        "/api/v1/jobs", json={"circuits": [{"source": BELL}], "shots": 200}
    )
    assert submitted.status_code in (200, 201, 202), submitted.text
    await _until(lambda: _xp(ada))
    # Without a reload: the toast and the new numbers.
    await user.should_see("Achievement unlocked: First light", retries=100)
    await user.should_see(marker="xp-total", retries=50)
    assert await _xp(ada) == 35

    await user.open("/leaderboards")
    await user.should_see("Ada (you)")
    await user.open("/challenges")
    await user.should_see("this week")

    award = next(
        a
        for a in (await ada.client.get("/api/v1/gamification/progress")).json()["achievements"]
        if a["key"] == "first-job"
    )
    await user.open(f"/badges/{award['award_id']}")
    await user.should_see("First light")
    await user.should_see("Valid: signed by this qdeck instance (Ed25519) and not revoked")
