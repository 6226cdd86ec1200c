"""`qdeck analyze`, `review`, `explain` and `insights` as processes against a real server."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from qdeck.client import QDeckClient
from tests.cli.terminal import cli_env, qdeck
from tests.client.live import BELL, Account
from tests.live_server import LiveServer

USAGE, ERRORS_FOUND = 2, 1
BROKEN = BELL.replace('include "qelib1.inc";\n', "") + "x q[0];\n"


@pytest.fixture(scope="module")
def env(server: LiveServer, ada: Account, tmp_path_factory: pytest.TempPathFactory):
    config = tmp_path_factory.mktemp("config")
    return cli_env(config, QDECK_URL=server.url, QDECK_TOKEN=ada.token)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("circuits")
    (folder / "bell.qasm").write_text(BELL)
    (folder / "broken.qasm").write_text(BROKEN)
    return {"bell": folder / "bell.qasm", "broken": folder / "broken.qasm"}


def test_analyze_prints_the_recommendation_and_json_for_scripts(env, files) -> None:
    args = ["analyze", str(files["bell"]), "-b", "fake_manila", "-d", "fake_lima"]
    shown = qdeck(*args, env=env)
    assert shown.returncode == 0, shown.stderr
    assert "2 qubits, depth 3, 1 two-qubit gates" in shown.stdout
    assert "Recommended: fake_" in shown.stdout
    data = json.loads(qdeck(*args, "--json", env=env).stdout)
    backends = {c["backend"] for c in data["candidates"]}
    assert backends == {"aer_simulator", "fake_manila", "fake_lima"}
    assert data["requested_backend"]["backend"] == "fake_manila"


def test_review_points_at_lines_and_fails_on_errors(env, files) -> None:
    clean = qdeck("review", str(files["bell"]), env=env)
    assert clean.returncode == 0 and "no findings" in clean.stdout
    broken = qdeck("review", str(files["broken"]), env=env)
    assert broken.returncode == ERRORS_FOUND
    assert f"{files['broken']}:4:1: error [missing_include]" in broken.stdout
    assert 'rewrite: include "qelib1.inc";' in broken.stdout
    assert f"{files['broken']}:7:1: warning [gate_after_measurement]" in broken.stdout


def test_an_unknown_backend_is_a_usage_error(env, files) -> None:
    result = qdeck("analyze", str(files["bell"]), "-b", "fake_nowhere", env=env)
    assert result.returncode == USAGE
    assert "fake_nowhere" in result.stderr and "[unknown_backend]" in result.stderr


def test_explain_a_finished_job_and_a_missing_one(env, server, ada) -> None:
    with QDeckClient(server.url, ada.token) as client:
        job = client.jobs.submit(BELL, shots=500, seed=1)
        job.wait(timeout=120)
    shown = qdeck("explain", job.id, env=env)
    assert shown.returncode == 0, shown.stderr
    assert "completed" in shown.stdout and "Hellinger fidelity" in shown.stdout
    missing = qdeck("explain", str(uuid.uuid4()), env=env)
    assert missing.returncode == USAGE and "Job not found." in missing.stderr


def test_insights_for_this_week(env) -> None:
    data = json.loads(qdeck("insights", "--json", env=env).stdout)
    assert data["jobs"] >= 1 and len(data["trend"]) == 9
