"""The README's walk-throughs, run exactly as printed against a real server."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.live_server import LiveServer

README = Path(__file__).parents[1] / "README.md"
pytestmark = pytest.mark.slow


def section_blocks(title: str) -> list[str]:
    text = README.read_text()
    start = text.index(f"## {title}")
    end = text.find("\n## ", start + 1)
    section = text[start : end if end != -1 else None]
    return re.findall(r"```bash\n(.*?)```", section, flags=re.S)


def test_api_walkthrough_and_jobs_as_printed(tmp_path: Path) -> None:
    server = LiveServer(tmp_path / "data").start()
    try:
        # The walk-through invites Bob, who must already have an account.
        httpx.post(
            f"{server.url}/api/v1/auth/signup",
            json={
                "email": "bob@example.org",
                "password": "a long walk-through passphrase",
                "display_name": "Bob",
            },
        ).raise_for_status()
        script = "\n".join(
            section_blocks("First steps with the API") + section_blocks("Running quantum jobs")
        )
        script = script.replace("http://127.0.0.1:8000", server.url)
        # Wait for the noisy job before reading its results, as a person would.
        show = 'curl -s -H "$AUTH" $Q/jobs/$NOISY | python3 -m json.tool'
        until_done = (
            'until curl -s -H "$AUTH" $Q/jobs/$NOISY | grep -q \'"status":"completed"\'; '
            "do sleep 0.2; done\n"
        )
        script = script.replace(show, until_done + show)
        result = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stderr + result.stdout[-3000:]
        out = result.stdout
        assert '"email":"bob@example.org","display_name":"Bob","role":"member"' in out
        assert '"counts"' in out and '"transpiled"' in out
        assert "circuit,binding,bitstring,count,probability" in out
        assert (tmp_path / "noisy-jobs.csv").read_text().startswith("id,name,status")
        assert '"retry_of_id"' in out
        assert '"status": "completed"' in out or '"status":"completed"' in out
    finally:
        server.stop()
