"""Quest from a terminal and from Python, against a real `qdeck serve`."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from qdeck.client import AsyncQDeckClient, InvalidRequestError, NotFoundError, QDeckClient
from tests.cli.terminal import cli_env, qdeck
from tests.client.conftest import ada, qd, server
from tests.client.live import Account, new_account
from tests.live_server import LiveServer
from tests.quest.conftest import program

__all__ = ["ada", "qd", "server"]
SERVER_WORKERS = 1
BELL = program(2, "h q[0];", "cx q[0],q[1];")
USAGE, NOT_PASSED = 2, 1


@pytest.fixture(scope="module")
def env(server: LiveServer, tmp_path_factory: pytest.TempPathFactory):
    learner = new_account(server, "Lin")
    config = tmp_path_factory.mktemp("config")
    return cli_env(config, QDECK_URL=server.url, QDECK_TOKEN=learner.token)


def test_a_learner_in_the_terminal(env, tmp_path: Path) -> None:
    listing = qdeck("quest", "list", env=env)
    assert listing.returncode == 0, listing.stderr
    assert "Superposition" in listing.stdout and "0/" in listing.stdout
    assert "Carry on with: qdeck quest show flip" in listing.stdout

    shown = qdeck("quest", "show", "bell", env=env)
    assert shown.returncode == 0 and "Prepare" in shown.stdout
    assert "reference solution" not in shown.stdout
    lesson = json.loads(qdeck("quest", "show", "entanglement", "--json", env=env).stdout)
    assert lesson["key"] == "entanglement" and lesson["levels"][0]["key"] == "bell"

    hint = qdeck("quest", "hint", "bell", env=env)
    assert hint.returncode == 0 and hint.stdout.startswith("hint 1/3: ")

    wrong = tmp_path / "half.qasm"
    wrong.write_text(program(2, "h q[0];"))
    failed = qdeck("quest", "submit", "bell", str(wrong), env=env)
    assert failed.returncode == NOT_PASSED and "not yet" in failed.stdout

    right = tmp_path / "bell.qasm"
    right.write_text(BELL)
    passed = qdeck("quest", "submit", "bell", str(right), "--seconds", "30", env=env)
    assert passed.returncode == 0, passed.stderr
    assert (
        "solved ★★★" in passed.stdout and "Next: qdeck quest show anti-correlated" in passed.stdout
    )
    piped = qdeck("quest", "submit", "bell", "-", "--json", env=env, stdin=BELL)
    assert json.loads(piped.stdout)["stars"] == 3

    solved = qdeck("quest", "show", "bell", env=env)
    assert "reference solution" in solved.stdout

    broken = tmp_path / "broken.qasm"
    broken.write_text(program(2, "h q[0];", "cx q[0] q[1];"))
    refused = qdeck("quest", "submit", "bell", str(broken), env=env)
    assert refused.returncode == USAGE
    assert "circuit_parse_error" in refused.stderr and "line 5" in refused.stderr

    unknown = qdeck("quest", "show", "no-such-level", env=env)
    assert unknown.returncode == USAGE and "no level or lesson" in unknown.stderr
    missing = qdeck("quest", "submit", "bell", str(tmp_path / "nope.qasm"), env=env)
    assert missing.returncode == USAGE

    progress = json.loads(qdeck("quest", "progress", "--json", env=env).stdout)
    assert progress["levels_solved"] == 1 and progress["levels"][0]["seconds_spent"] >= 30


def test_the_sdk(qd: QDeckClient, server: LiveServer, ada: Account) -> None:
    assert len(qd.quest.lessons()) >= 12
    level = qd.quest.level("plus")
    assert level.reference_qasm is None
    assert qd.quest.hint("plus").number == 1
    graded = qd.quest.grade("plus", program(1, "h q[0];"))
    assert graded.passed and graded.stars == 3
    assert qd.quest.level("plus").reference_qasm is not None
    with pytest.raises(NotFoundError):
        qd.quest.level("nope")
    with pytest.raises(InvalidRequestError) as refused:
        qd.quest.grade("plus", program(17, "h q[0];"))
    assert refused.value.code == "too_many_qubits"

    job = qd.quest.run(program(1, "h q[0];"), shots=200, level_key="plus")
    assert "quest" in job.tags
    qd.jobs.wait(job.id, timeout=120)
    comparison = qd.quest.compare(job.id)
    assert comparison.status == "completed" and comparison.noisy is not None
    assert sum(comparison.noisy.values()) == pytest.approx(1.0)

    async def with_async() -> None:
        async with AsyncQDeckClient(server.url, ada.token) as client:
            progress = await client.quest.progress()
            assert progress.levels_solved == 1
            assert (await client.quest.lesson("qubit")).levels[0].key == "flip"
            assert len(await client.quest.challenges()) >= 6
            board = await client.quest.leaderboard("ghz5-kyiv")
            assert board.entries == []

    asyncio.run(with_async())


async def test_a_solved_level_arrives_live_for_its_solver_only(server: LiveServer) -> None:
    from tests.events.live_client import LiveClient

    lin, max_ = new_account(server, "Lin2"), new_account(server, "Max")
    mine = await LiveClient.open(server.url, lin.token)
    theirs = await LiveClient.open(server.url, max_.token)
    for live in (mine, theirs):
        assert (await live.subscribe("quest"))["type"] == "subscribed"
    async with AsyncQDeckClient(server.url, lin.token) as client:
        assert (await client.quest.grade("flip", program(1, "x q[0];"))).first_solve
    frame = await mine.next(60)
    assert frame["type"] == "event" and frame["event"] == "quest.level_solved", frame
    assert frame["data"]["level_key"] == "flip" and frame["data"]["stars"] == 3
    await theirs.send({"type": "ping", "ref": "after"})
    assert await theirs.next(10) == {"type": "pong", "ref": "after"}
    await mine.close()
    await theirs.close()
