"""The `qdeck` client commands, run as processes against a real `qdeck serve`."""

from __future__ import annotations

import csv
import io
import json
import re
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from qiskit import QuantumCircuit, qpy
from typer.testing import CliRunner

from qdeck.cli.main import app
from qdeck.client import QDeckClient
from qdeck.testing.live_server import free_port
from tests.cli.terminal import cli_env, qdeck
from tests.client.live import BELL, Account, new_account, slow_circuit
from tests.live_server import LiveServer

UNREACHABLE, USAGE, JOB_FAILED = 3, 2, 1


@pytest.fixture(scope="module")
def env(server: LiveServer, ada: Account, tmp_path_factory: pytest.TempPathFactory):
    """A terminal logged in as Ada (through QDECK_URL / QDECK_TOKEN)."""
    config = tmp_path_factory.mktemp("config")
    return cli_env(config, QDECK_URL=server.url, QDECK_TOKEN=ada.token)


@pytest.fixture(scope="module")
def bell(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("circuits") / "bell.qasm"
    path.write_text(BELL)
    return path


def test_login_with_a_token_whoami_and_logout(
    server: LiveServer, ada: Account, tmp_path: Path
) -> None:
    env = cli_env(tmp_path / "config")
    before = qdeck("whoami", env=env)
    assert before.returncode == UNREACHABLE
    assert "not logged in" in before.stderr and "qdeck login URL" in before.stderr

    login = qdeck("login", server.url, env=env, stdin=f"{ada.token}\n")
    assert login.returncode == 0, login.stderr
    assert f"Logged in to {server.url} as Ada <{ada.email}>" in login.stdout
    stored = tmp_path / "config" / "login.json"
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert json.loads(stored.read_text())["token"] == ada.token

    whoami = qdeck("whoami", env=env)
    assert whoami.returncode == 0
    assert f"Ada <{ada.email}> at {server.url}" in whoami.stdout
    assert "credentials: stored login" in whoami.stdout

    bob = new_account(server, "Bob")
    as_bob = qdeck("whoami", "--json", env={**env, "QDECK_TOKEN": bob.token})
    assert json.loads(as_bob.stdout)["user"]["email"] == bob.email
    assert json.loads(as_bob.stdout)["token_from"] == "QDECK_TOKEN"

    logout = qdeck("logout", env=env)
    assert logout.returncode == 0 and f"Logged out of {server.url}." in logout.stdout
    assert not stored.exists()
    # A token the user pasted in is theirs: logging out does not revoke it.
    with QDeckClient(server.url, ada.token) as still:
        assert still.me().user.email == ada.email


def test_login_with_a_password_creates_a_token_and_logout_revokes_it(
    server: LiveServer, tmp_path: Path
) -> None:
    grace = new_account(server, "Grace")
    env = cli_env(tmp_path / "config")
    wrong = qdeck("login", server.url, "--email", grace.email, "--password-stdin", env=env,
                  stdin="not the password\n")  # fmt: skip
    assert wrong.returncode == UNREACHABLE
    assert "refused the credentials" in wrong.stderr

    login = qdeck("login", server.url, "--email", grace.email, "--password-stdin", env=env,
                  stdin=f"{grace.password}\n")  # fmt: skip
    assert login.returncode == 0, login.stderr
    with QDeckClient(server.url, grace.token) as qd:
        names = [t.name for t in qd.tokens.list()]
        assert any(name.startswith("qdeck CLI on ") for name in names)
        logout = qdeck("logout", env=env)
        assert "revoked its token" in logout.stdout
        assert [t.name for t in qd.tokens.list()] == ["tests"]


def test_logout_everywhere_ends_browser_sessions_and_revokes_every_token(
    server: LiveServer, tmp_path: Path
) -> None:
    import httpx

    lin = new_account(server, "Lin")
    browser = httpx.Client(base_url=server.url, timeout=30)
    browser.post(
        "/api/v1/auth/login", json={"email": lin.email, "password": lin.password}
    ).raise_for_status()
    assert browser.get("/api/v1/auth/me").status_code == 200
    env = cli_env(tmp_path / "config")
    assert qdeck("login", server.url, env=env, stdin=f"{lin.token}\n").returncode == 0
    logout = qdeck("logout", "--everywhere", env=env)
    assert logout.returncode == 0, logout.stderr
    assert "ended every browser session and revoked every API token" in logout.stdout
    assert browser.get("/api/v1/auth/me").status_code == 401
    token_client = httpx.Client(base_url=server.url, timeout=30)
    me = token_client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {lin.token}"})
    assert me.status_code == 401


def test_submit_and_wait_follows_the_phases_and_draws_the_counts(
    env: dict[str, str], bell: Path
) -> None:
    done = qdeck("submit", str(bell), "--shots", "2000", "--tag", "cli", "--wait", env=env)
    assert done.returncode == 0, done.stderr
    life = ["queued", "running", "transpiling", "executing", "post processing", "completed"]
    followed = re.findall(r"^\d\d:\d\d:\d\d  (?:\w+: )?([\w ]+?)(?: \(position \d+\))?$",
                          done.stdout, re.M)  # fmt: skip
    assert followed[-1] == "completed"
    assert [life.index(state) for state in followed] == sorted({life.index(s) for s in followed})
    assert re.search(r"completed \S+ in [\d.]+ s on aer_simulator", done.stdout)
    bars = re.findall(r"^\s*(00|11)\s+█+\S*\s+(\d+)\s+([\d.]+)%", done.stdout, re.M)
    assert {b[0] for b in bars} == {"00", "11"}
    assert sum(int(b[1]) for b in bars) == 2000

    quick = qdeck("submit", str(bell), "--backend", "fake_manila", "--json", env=env)
    job = json.loads(quick.stdout)
    assert (job["backend"], job["name"], job["status"]) == ("fake_manila", "bell", "queued")


def test_submit_a_qpy_file_and_from_stdin(env: dict[str, str], bell: Path, tmp_path: Path) -> None:
    ghz = QuantumCircuit(3)
    ghz.h(0)
    ghz.cx(0, 1)
    ghz.cx(1, 2)
    ghz.measure_all()
    with (tmp_path / "ghz.qpy").open("wb") as handle:
        qpy.dump(ghz, handle)
    from_qpy = qdeck("submit", str(tmp_path / "ghz.qpy"), "--wait", "--json", env=env)
    assert from_qpy.returncode == 0, from_qpy.stderr
    counts = json.loads(from_qpy.stdout)["result"]["pubs"][0]["data"][0]["counts"]
    assert set(counts) == {"000", "111"}
    piped = qdeck("submit", "-", "--name", "piped", "--json", env=env, stdin=bell.read_text())
    assert json.loads(piped.stdout)["name"] == "piped"


def test_list_show_watch_and_export(
    env: dict[str, str], bell: Path, qd: QDeckClient, tmp_path: Path
) -> None:
    ids = [qd.jobs.submit(BELL, shots=100, name=f"listed {k}", tags=["listing"]).id for k in "ab"]
    watched = qdeck("jobs", "watch", ids[1], env=env)
    assert watched.returncode == 0 and "completed" in watched.stdout
    qd.jobs.wait(ids[0], timeout=120)

    table = qdeck("jobs", "list", "--tag", "listing", env=env)
    assert table.returncode == 0
    assert table.stdout.index(ids[1]) < table.stdout.index(ids[0])  # newest first
    assert "listed a" in table.stdout and "completed" in table.stdout
    listed = json.loads(qdeck("jobs", "list", "--tag", "listing", "--json", env=env).stdout)
    assert [j["id"] for j in listed] == ids[::-1]
    one = json.loads(
        qdeck("jobs", "list", "--tag", "listing", "--limit", "1", "--json", env=env).stdout
    )
    assert [j["id"] for j in one] == [ids[1]]

    shown = qdeck("jobs", "show", ids[0], env=env)
    assert "listed a" in shown.stdout and "history" in shown.stdout
    assert "post_processing" in shown.stdout and "█" in shown.stdout

    out = tmp_path / "listing.csv"
    exported = qdeck(
        "jobs", "export", "--format", "csv", "--tag", "listing", "-o", str(out), env=env
    )
    assert exported.returncode == 0 and f"wrote {out}" in exported.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert sorted(r["id"] for r in rows) == sorted(ids)
    outcomes = qdeck("jobs", "export", ids[0], "--format", "json", env=env)
    assert (
        sum(json.loads(outcomes.stdout)["result"]["pubs"][0]["data"][0]["counts"].values()) == 100
    )


def test_cancel_by_filter_and_by_id_then_retry(env: dict[str, str], qd: QDeckClient) -> None:
    slow = [qd.jobs.submit(slow_circuit(), shots=10, tags=["doomed"]) for _ in range(2)]
    by_filter = qdeck("jobs", "cancel", "--filter", "tag=doomed", env=env)
    assert by_filter.returncode == 0, by_filter.stderr
    for job in slow:
        assert job.id in by_filter.stdout
        assert job.refresh().status in ("cancelling", "cancelled")

    finished = qd.jobs.submit(BELL, shots=10, name="finished")
    finished.wait(timeout=120)
    again = qdeck("jobs", "cancel", finished.id, env=env)
    assert f"skipped   {finished.id}: already completed" in again.stdout

    retried = qdeck("jobs", "retry", finished.id, "--wait", env=env)
    assert retried.returncode == 0
    new_id = re.search(r"retrying as (\S+)", retried.stdout).group(1)
    assert str(qd.jobs.get(new_id).info.retry_of_id) == finished.id


def test_a_failed_job_exits_1_and_says_why(env: dict[str, str], qd: QDeckClient) -> None:
    job = qd.jobs.submit(slow_circuit(), shots=10, timeout_seconds=1)
    watched = qdeck("jobs", "watch", job.id, env=env)
    assert watched.returncode == JOB_FAILED
    assert "failed while" in watched.stderr and "[timeout]" in watched.stderr


def test_usage_errors_exit_2_and_say_what_is_wrong(
    env: dict[str, str], tmp_path: Path, bell: Path
) -> None:
    bad = tmp_path / "bad.qasm"
    bad.write_text('OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[1];\nfoo q[0];\n')
    commands = {
        "circuit": ["submit", str(bad)],
        "missing": ["submit", str(tmp_path / "nowhere.qasm")],
        "option": ["submit", str(bell), "--shots", "0"],
        "nothing": ["jobs", "cancel"],
        "filter": ["jobs", "cancel", "--filter", "colour=red"],
        "unknown": ["jobs", "show", "00000000-0000-0000-0000-000000000000"],
    }
    with ThreadPoolExecutor(4) as pool:
        runs = dict(
            zip(commands, pool.map(lambda a: qdeck(*a, env=env), commands.values()), strict=True)
        )
    assert all(run.returncode == USAGE for run in runs.values()), runs
    assert "line 4, column 1" in runs["circuit"].stderr
    assert "no such file" in runs["missing"].stderr
    assert "--shots" in runs["option"].stderr
    assert "give job ids or --filter" in runs["nothing"].stderr
    assert "bad filter 'colour=red'" in runs["filter"].stderr
    assert "Job not found. [job_not_found]" in runs["unknown"].stderr


def test_unreachable_or_refused_exits_3(env: dict[str, str]) -> None:
    down = qdeck("jobs", "list", env={**env, "QDECK_URL": f"http://127.0.0.1:{free_port()}"})
    assert down.returncode == UNREACHABLE
    assert "cannot reach qdeck at" in down.stderr
    refused = qdeck("whoami", env={**env, "QDECK_TOKEN": "qdk_revoked"})
    assert refused.returncode == UNREACHABLE
    assert "qdeck login URL" in refused.stderr


def test_backends_list_and_show(env: dict[str, str]) -> None:
    table = qdeck("backends", "list", "--min-qubits", "127", env=env)
    assert "fake_sherbrooke" in table.stdout and "fake_manila" not in table.stdout
    shown = json.loads(qdeck("backends", "show", "fake_sherbrooke", "--json", env=env).stdout)
    assert shown["num_qubits"] == 127 and shown["coupling_map"]


def test_every_command_has_help_with_an_example() -> None:
    # Static text: read in-process, sparing sixteen interpreter start-ups.
    runner = CliRunner()
    commands = [
        [], ["login"], ["logout"], ["whoami"], ["submit"], ["demo"], ["jobs"], ["backends"],
        ["jobs", "list"], ["jobs", "show"], ["jobs", "watch"], ["jobs", "cancel"],
        ["jobs", "retry"], ["jobs", "export"], ["backends", "list"], ["backends", "show"],
    ]  # fmt: skip
    for command in commands:
        shown = runner.invoke(app, [*command, "--help"], terminal_width=160)
        assert shown.exit_code == 0, command
        example = "Example: qdeck " + (" ".join(command) or "login")
        assert example in " ".join(shown.output.split()), command
    assert "Exit codes: 0 success, 1 the job failed" in runner.invoke(app, ["--help"]).output


def test_shell_completion_can_be_installed(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("qdeck")
    shown = subprocess.run(
        [str(script), "--show-completion", "bash"],
        capture_output=True, text=True, timeout=60, check=False, env=cli_env(tmp_path),
    )  # fmt: skip
    assert shown.returncode == 0
    assert "_QDECK_COMPLETE" in shown.stdout and "complete " in shown.stdout
