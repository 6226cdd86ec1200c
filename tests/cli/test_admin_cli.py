"""The administrator's commands, run as a person would run them: as a process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import PG_URL, make_settings


def _qdeck(args: list[str], env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "qdeck.cli.main", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def _env(tmp_path: Path) -> dict[str, str]:
    settings = make_settings(tmp_path)
    env = {**os.environ, "QDECK_DATA_DIR": str(tmp_path), "QDECK_SECRET_KEY": "cli-test"}
    if PG_URL:
        env["QDECK_DATABASE_URL"] = PG_URL
        env["QDECK_DATABASE_SCHEMA"] = f"{settings.database_schema}_cli"
    return env


def test_db_upgrade_current_and_user_create(tmp_path: Path) -> None:
    env = _env(tmp_path)
    assert "needs 'qdeck db upgrade'" in _qdeck(["db", "current"], env).stdout or PG_URL
    upgraded = _qdeck(["db", "upgrade"], env)
    assert upgraded.returncode == 0, upgraded.stderr
    assert "up to date" in _qdeck(["db", "current"], env).stdout

    created = _qdeck(
        ["user", "create", "Root@Example.org", "--admin", "--password-stdin"],
        env,
        stdin="a long enough password\n",
    )
    assert created.returncode == 0, created.stderr
    assert "created admin user root@example.org" in created.stdout
    again = _qdeck(
        ["user", "create", "root@example.org", "--password-stdin"],
        env,
        stdin="a long enough password\n",
    )
    assert again.returncode == 1
    assert "already exists" in again.stderr
    short = _qdeck(["user", "create", "x@example.org", "--password-stdin"], env, stdin="short\n")
    assert short.returncode == 2
    assert "at least 10 characters" in short.stderr
    if PG_URL:
        _qdeck(["db", "downgrade", "base"], env)
