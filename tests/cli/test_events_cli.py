"""``qdeck events``: an admin sees a parked event and retries it once its cause is fixed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from qdeck.config import Settings
from qdeck.db.engine import Database
from qdeck.domains import build_registry
from qdeck.events.bus import Event
from qdeck.events.consumers import ConsumerRunner, ensure_registered
from qdeck.events.outbox import emit
from tests.cli.test_admin_cli import _env, _qdeck
from tests.events.parking_plugin import KIND

PLUGIN = '["tests.events.parking_plugin"]'


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    values = {
        **_env(tmp_path),
        "QDECK_PLUGINS": PLUGIN,
        "QDECK_TEST_PARKING_MARKER": str(tmp_path / "down"),
        "QDECK_TEST_PARKING_LOG": str(tmp_path / "handled.log"),
        "QDECK_CONSUMER_MAX_ATTEMPTS": "1",
    }
    for name in ("QDECK_TEST_PARKING_MARKER", "QDECK_TEST_PARKING_LOG"):
        monkeypatch.setenv(name, values[name])
    upgraded = _qdeck(["db", "upgrade"], values)
    assert upgraded.returncode == 0, upgraded.stderr
    yield values
    if "QDECK_DATABASE_SCHEMA" in values:
        _qdeck(["db", "downgrade", "base"], values)


def _settings(env: dict[str, str]) -> Settings:
    fields = {
        "data_dir": env["QDECK_DATA_DIR"],
        "plugins": json.loads(PLUGIN),
        "consumer_max_attempts": 1,
        "secret_key": env["QDECK_SECRET_KEY"],
    }
    if "QDECK_DATABASE_URL" in env:
        fields |= {
            "database_url": env["QDECK_DATABASE_URL"],
            "database_schema": env["QDECK_DATABASE_SCHEMA"],
        }
    return Settings(**fields)


async def test_a_parked_event_is_listed_and_retried_from_the_command_line(env, tmp_path) -> None:
    (tmp_path / "down").touch()
    settings = _settings(env)
    database = Database(settings)
    try:
        consumer = build_registry(settings).consumers["test-parking"]
        async with database.session() as session:
            await ensure_registered(session, [consumer.name])
            for n in (1, 2, 3):
                emit(session, Event(type=KIND, workspace_id=None, data={"n": n}))
        runner = ConsumerRunner(database, settings, [consumer])
        while await runner.run_once(consumer):
            pass
    finally:
        await database.dispose()
    assert (tmp_path / "handled.log").read_text().split() == ["1", "3"]

    parked = _qdeck(["events", "parked", "--json"], env)
    assert parked.returncode == 0, parked.stderr
    [row] = json.loads(parked.stdout)
    assert row["consumer"] == "test-parking" and "downstream service is down" in row["last_error"]
    lag = json.loads(_qdeck(["events", "consumers", "--json"], env).stdout)
    assert next(c for c in lag if c["name"] == "test-parking")["parked"] == 1

    still_down = _qdeck(["events", "retry", str(row["id"])], env)
    assert still_down.returncode == 1 and "failed again" in still_down.stderr
    os.remove(tmp_path / "down")
    retried = _qdeck(["events", "retry", str(row["id"])], env)
    assert retried.returncode == 0, retried.stderr
    assert (tmp_path / "handled.log").read_text().split() == ["1", "3", "2"]
    assert json.loads(_qdeck(["events", "parked", "--json"], env).stdout) == []
    unknown = _qdeck(["events", "retry", "424242"], env)
    assert unknown.returncode == 1 and "No parked event" in unknown.stderr
