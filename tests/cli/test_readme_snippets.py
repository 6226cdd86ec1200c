"""The README's terminal, Python and Qiskit snippets, run exactly as printed on a fresh server."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from qdeck.client import QDeckClient
from tests.cli.terminal import cli_env
from tests.client.live import Account, new_account, running_server
from tests.live_server import LiveServer

README = Path(__file__).parents[2] / "README.md"
SECTION = "From the terminal, Python and Qiskit"
README_URL = "http://127.0.0.1:8000"


def blocks(title: str, language: str) -> list[str]:
    text = README.read_text()
    start = text.index(f"## {title}")
    end = text.find("\n## ", start + 1)
    return re.findall(rf"```{language}\n(.*?)```", text[start : end if end != -1 else None], re.S)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with running_server(tmp_path_factory) as live:
        yield live


@pytest.fixture(scope="module")
def ada(server: LiveServer) -> Account:
    return new_account(server, "Ada")


def _run(command: list[str], cwd: Path, env: dict[str, str], stdin: str = ""):
    return subprocess.run(
        command, cwd=cwd, env=env, input=stdin, capture_output=True, text=True,
        timeout=300, check=False, start_new_session=True,
    )  # fmt: skip


def test_the_snippets_run_as_printed(server: LiveServer, ada: Account, tmp_path: Path) -> None:
    [terminal] = blocks(SECTION, "bash")
    python = blocks(SECTION, "python")
    assert len(python) == 3
    env = cli_env(
        tmp_path / "config",
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    )
    # bell.qasm as the README's "Running quantum jobs" section saves it.
    save_bell = blocks("Running quantum jobs", "bash")[0]
    assert "cat > bell.qasm" in save_bell
    assert _run(["bash", "-c", save_bell], tmp_path, env).returncode == 0

    # `qdeck login` asks for the token; a person pastes it.
    script = terminal.replace(README_URL, server.url)
    shell = _run(["bash", "-euo", "pipefail", "-c", script], tmp_path, env, f"{ada.token}\n")
    assert shell.returncode == 0, shell.stderr + shell.stdout
    out = shell.stdout
    assert f"Logged in to {server.url} as Ada <{ada.email}>" in out
    assert re.search(r"completed \S+ in [\d.]+ s on fake_sherbrooke", out)
    bars = dict(re.findall(r"^\s*([01]{2})\s+█\S*\s+(\d+)\s+[\d.]+%", out, re.M))
    assert bars.keys() >= {"00", "11"}
    assert int(bars["00"]) + int(bars["11"]) > 1800  # a noisy Bell pair, mostly 00 and 11
    assert (tmp_path / "noisy.csv").read_text().startswith("id,name,status")
    assert "Long simulation (cancelled)" in out and "Over its time limit" in out

    with QDeckClient(server.url, ada.token) as qd:
        demo = {job.name: job.status for job in qd.jobs.iter(tag="demo")}
    assert len(demo) == 8
    assert demo["Long simulation (cancelled)"] == "cancelled"
    assert demo["Over its time limit"] == "failed"
    assert sorted(set(demo.values())) == ["cancelled", "completed", "failed"]

    # The Python snippets use the login stored by `qdeck login` above.
    for k, snippet in enumerate(python):
        (tmp_path / f"snippet_{k}.py").write_text(snippet)
    with ThreadPoolExecutor(3) as pool:
        runs = list(
            pool.map(lambda k: _run([sys.executable, f"snippet_{k}.py"], tmp_path, env), range(3))
        )
    for run in runs:
        assert run.returncode == 0, run.stderr
    client, sampler, estimator = (run.stdout.splitlines() for run in runs)

    counts = ast.literal_eval(client[0])
    assert sum(counts.values()) == 2000 and counts.keys() >= {"00", "11"}
    assert "bell fake_sherbrooke 2000" in client[1:]  # the job `qdeck submit` tagged noisy
    noisy = ast.literal_eval(sampler[0])
    assert sum(noisy.values()) == 2000 and noisy["00"] + noisy["11"] > 1800
    evs = [float(v) for v in " ".join(estimator).strip("[]").split()]
    assert [round(v, 2) for v in evs] == [0.0, 0.71, 1.0, 0.71, 0.0]
