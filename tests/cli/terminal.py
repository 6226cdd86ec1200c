"""Run `qdeck` the way a person does: a separate process, with its own config directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# A client's settings must come only from what each test gives it.
CLIENT_VARIABLES = ("QDECK_URL", "QDECK_TOKEN", "QDECK_CONFIG_DIR")


def cli_env(config_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in CLIENT_VARIABLES}
    return {**env, "QDECK_CONFIG_DIR": str(config_dir), "COLUMNS": "160", **extra}


def qdeck(
    *args: str, env: dict[str, str], stdin: str = "", cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "qdeck.cli.main", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=180,
        check=False,
        # No controlling terminal: password prompts read standard input, as in a pipeline.
        start_new_session=True,
    )
