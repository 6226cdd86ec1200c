"""Challenges scored by real jobs on noisy fake devices, their leaderboard, and "run it for
real" with the ideal and noisy distributions side by side."""

from __future__ import annotations

import math

from qdeck.quest.event_types import QUEST_CHALLENGE_SCORED
from tests.accounts import Accounts
from tests.quest.conftest import get_json, outbox, program, until

GHZ5 = program(5, "h q[0];", "cx q[0],q[1];", "cx q[1],q[2];", "cx q[2],q[3];", "cx q[3],q[4];")
HALF = program(5, "h q[0];")


async def _scored(client, key: str, attempt_id: str) -> dict:
    async def fetch():
        challenge = await get_json(client, f"/api/v1/quest/challenges/{key}")
        return next(a for a in challenge["attempts"] if a["id"] == attempt_id)

    return await until(fetch, lambda attempt: attempt["status"] != "pending")


async def test_ghz5_on_kyiv_is_scored_and_ranked(app, accounts: Accounts) -> None:
    ada, bob = await accounts.sign_up("Ada"), await accounts.sign_up("Bob")
    url = "/api/v1/quest/challenges/ghz5-kyiv/attempts"
    response = await ada.client.post(url, json={"qasm": GHZ5})
    assert response.status_code == 201, response.text
    attempt = response.json()
    assert attempt["status"] == "pending" and attempt["two_qubit_gates"] == 4

    job = await get_json(ada.client, f"/api/v1/jobs/{attempt['job_id']}")
    assert job["backend"] == "fake_kyiv" and {"quest", "challenge"} <= set(job["tags"])
    assert job["workspace_id"] == ada.personal_workspace_id

    mine = await _scored(ada.client, "ghz5-kyiv", attempt["id"])
    assert mine["status"] == "scored", mine
    # Real calibration noise: close to the ideal GHZ distribution, but not equal.
    assert 0.6 < mine["score"] < 1.0
    assert "Hellinger fidelity" in mine["feedback"]

    # Bob's circuit is no GHZ state: H alone gives 00000/00001, whose overlap with
    # the GHZ distribution is (sqrt(1/2 * 1/2))^2 = 1/4 at best.
    theirs = (await bob.client.post(url, json={"qasm": HALF})).json()
    bob_scored = await _scored(bob.client, "ghz5-kyiv", theirs["id"])
    assert bob_scored["score"] <= 0.25 + 0.05

    board = await get_json(bob.client, "/api/v1/quest/challenges/ghz5-kyiv/leaderboard")
    assert [e["display_name"] for e in board["entries"]] == ["Ada", "Bob"]
    top, second = board["entries"]
    assert math.isclose(top["score"], mine["score"]) and top["rank"] == 1
    # Bob has not beaten Ada, so her circuit stays hidden from him; his own he sees.
    assert top["qasm"] is None and second["qasm"] == HALF.strip() and second["is_you"]
    ada_board = await get_json(ada.client, "/api/v1/quest/challenges/ghz5-kyiv/leaderboard")
    assert ada_board["entries"][1]["qasm"] == HALF.strip()  # Ada beat Bob: she may look

    listing = await get_json(ada.client, "/api/v1/quest/challenges")
    assert len(listing) >= 6
    assert next(c for c in listing if c["key"] == "ghz5-kyiv")["best_score"] == mine["score"]

    events = await outbox(app.state.database, QUEST_CHALLENGE_SCORED)  # type: ignore[attr-defined]
    assert sorted(e.data["user_id"] for e in events) == sorted([ada.id, bob.id])


async def test_grover_success_probability(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    # One iteration for 101: oracle X(q1)-CCZ-X(q1), then the diffuser.
    ccz = ["h q[2];", "ccx q[0],q[1],q[2];", "h q[2];"]
    hs = ["h q[0];", "h q[1];", "h q[2];"]
    xs = ["x q[0];", "x q[1];", "x q[2];"]
    qasm = program(3, *hs, "x q[1];", *ccz, "x q[1];", *hs, *xs, *ccz, *xs, *hs)
    response = await ada.client.post(
        "/api/v1/quest/challenges/grover3-budget/attempts", json={"qasm": qasm}
    )
    assert response.status_code == 201, response.text
    assert response.json()["two_qubit_gates"] == 12
    scored = await _scored(ada.client, "grover3-budget", response.json()["id"])
    # Ideally 0.78125; the device loses some of it.
    assert 0.4 < scored["score"] < 0.85
    assert "read 101" in scored["feedback"]


async def test_run_it_for_real_on_a_fake_device(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    bell = program(2, "h q[0];", "cx q[0],q[1];")
    response = await ada.client.post(
        "/api/v1/quest/runs",
        json={"qasm": bell, "backend": "fake_sherbrooke", "level_key": "bell", "shots": 2000},
    )
    assert response.status_code == 201, response.text
    job = response.json()
    assert job["tags"] == ["level:bell", "quest"] and job["shots"] == 2000
    listed = (await ada.client.get("/api/v1/jobs", params={"tag": "quest"})).json()["items"]
    assert [j["id"] for j in listed] == [job["id"]]

    url = f"/api/v1/quest/runs/{job['id']}/comparison"
    comparison = await until(
        lambda: get_json(ada.client, url), lambda c: c["status"] in ("completed", "failed")
    )
    assert comparison["status"] == "completed", comparison
    assert comparison["ideal"] == {"00": 0.4999999999999999, "11": 0.4999999999999999} or (
        set(comparison["ideal"]) == {"00", "11"}
        and all(math.isclose(p, 0.5) for p in comparison["ideal"].values())
    )
    noisy = comparison["noisy"]
    assert math.isclose(sum(noisy.values()), 1.0)
    assert 0.85 < comparison["hellinger_fidelity"] < 1.0
    sentence = comparison["explanation"]
    assert sentence.startswith("On fake_sherbrooke the main cause is ")
    errors = comparison["errors"]
    assert 0 < errors["readout"] < 0.2 and 0 < errors["two_qubit_gates"] < 0.2
    assert 0 < errors["depth"] < 0.2
    # The cause named first is the largest of the three estimates; the others follow.
    names = {"readout": "readout error", "two_qubit_gates": "two-qubit gate error",
             "depth": "decoherence over the circuit's depth"}  # fmt: skip
    largest = max(names, key=lambda key: errors[key])
    assert sentence.startswith(f"On fake_sherbrooke the main cause is {names[largest]}: ")
    assert "reading qubits" in sentence and "1 two-qubit gate spoils" in sentence
    assert "waiting through depth" in sentence


async def test_run_on_the_ideal_simulator_and_before_it_finishes(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    plus = program(1, "h q[0];")
    job = (await ada.client.post("/api/v1/quest/runs", json={"qasm": plus})).json()
    assert job["backend"] == "aer_simulator" and job["tags"] == ["quest"]
    url = f"/api/v1/quest/runs/{job['id']}/comparison"
    first = await get_json(ada.client, url)
    assert first["ideal"] == {"0": 0.4999999999999999, "1": 0.4999999999999999} or all(
        math.isclose(p, 0.5) for p in first["ideal"].values()
    )
    if first["status"] != "completed":
        assert first["noisy"] is None and "comparison follows" in first["explanation"]
    done = await until(lambda: get_json(ada.client, url), lambda c: c["status"] == "completed")
    assert "sampling noise" in done["explanation"] and done["errors"] is None

    # Not a Quest run, or someone else's: refused.
    other = (await ada.client.post(
        "/api/v1/jobs", json={"circuits": [{"source": plus + "measure q[0] -> c[0];"}]}
    ))  # fmt: skip
    bob = await accounts.sign_up("Bob")
    assert (await bob.client.get(url)).status_code == 404
    if other.status_code == 201:
        response = await ada.client.get(f"/api/v1/quest/runs/{other.json()['id']}/comparison")
        assert response.status_code == 422 and response.json()["code"] == "not_a_quest_run"
