"""``qdeck me`` against a real server (a real job on Aer earns the XP it shows) and
``qdeck gamification backfill`` on a local database."""

from __future__ import annotations

import os
import time
from pathlib import Path

from tests.cli.test_admin_cli import _env, _qdeck
from tests.client.conftest import ada, qd, server
from tests.gamification.conftest import BELL

__all__ = ["ada", "qd", "server"]


def test_qdeck_me_shows_level_xp_and_streak(server, ada, qd) -> None:
    job = qd.jobs.submit(BELL, shots=200)
    job.wait(timeout=120)
    deadline = time.monotonic() + 60
    while qd.gamification.me().xp == 0 and time.monotonic() < deadline:
        time.sleep(0.2)
    env = {**os.environ, "QDECK_URL": server.url, "QDECK_TOKEN": ada.token}
    shown = _qdeck(["me"], env)
    assert shown.returncode == 0, shown.stderr
    assert "level 1" in shown.stdout and "35 XP" in shown.stdout
    assert "streak 1 day" in shown.stdout and "job XP today 25/200" in shown.stdout
    scripted = _qdeck(["me", "--json"], env)
    assert '"xp": 35' in scripted.stdout


async def test_the_async_client_reads_the_same_level_progress_and_board(server, ada, qd) -> None:
    from qdeck.client import AsyncQDeckClient

    workspace = qd.workspaces.personal().id
    async with AsyncQDeckClient(server.url, ada.token) as client:
        me = await client.gamification.me()
        progress = await client.gamification.progress()
        board = await client.gamification.workspace_board(str(workspace), "all")
    assert me == qd.gamification.me()
    assert progress == qd.gamification.progress()
    assert board == qd.gamification.workspace_board(str(workspace), "all")


def test_backfill_runs_on_the_local_database_and_twice_changes_nothing(tmp_path: Path) -> None:
    env = _env(tmp_path)
    assert _qdeck(["db", "upgrade"], env).returncode == 0
    first = _qdeck(["gamification", "backfill"], env)
    assert first.returncode == 0, first.stderr
    assert "0 facts in history, 0 newly applied" in first.stdout
    again = _qdeck(["gamification", "backfill", "--rebuild"], env)
    assert again.returncode == 0 and "0 newly applied" in again.stdout
    if "QDECK_DATABASE_SCHEMA" in env:
        _qdeck(["db", "downgrade", "base"], env)


async def test_the_gamification_topic_carries_your_own_xp_live_and_nobody_elses(
    server, ada, qd
) -> None:
    from tests.events.live_client import LiveClient
    from tests.gamification.conftest import circuit

    me = qd.gamification.me()
    live = await LiveClient.open(server.url, ada.token)
    try:
        other = await live.subscribe(f"gamification:{__import__('uuid').uuid4()}")
        assert other["type"] == "error"
        subscribed = await live.subscribe(f"gamification:{me.user_id}")
        assert subscribed["type"] == "subscribed", subscribed
        qd.jobs.submit(circuit(77), shots=100)
        frames = await live.events_until(lambda f: f["event"] == "gamification.xp")
        xp = frames[-1]["data"]
        assert xp["xp"] == 5 and xp["total"] == me.xp + 5
    finally:
        await live.close()
