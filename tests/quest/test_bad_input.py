"""Bad circuits get a clear 4xx naming what is wrong, and nothing is recorded: no attempt,
no progress, no job."""

from __future__ import annotations

import pytest

from tests.accounts import Accounts

HEADER = 'OPENQASM 2.0;\ninclude "qelib1.inc";\n'


def _many_gates(count: int) -> str:
    return HEADER + "qreg q[2];\n" + "x q[0];\n" * count


CASES = {
    "seventeen qubits": (HEADER + "qreg q[17];\nh q[0];\n", "too_many_qubits", "17 qubits"),
    "two registers past 16": (
        HEADER + "qreg a[9];\nqreg b[8];\nh a[0];\n",
        "too_many_qubits",
        "at most 16",
    ),
    "10,001 gates": (_many_gates(10_001), "too_many_gates", "10,000"),
    "an unknown gate": (HEADER + "qreg q[2];\nh q[0];\nfoo q[1];\n", "circuit_parse_error", "foo"),
    "a custom gate": (
        HEADER + "qreg q[2];\ngate mine a { h a; }\nmine q[0];\n",
        "unknown_gate",
        "mine",
    ),
    "a bad angle": (
        HEADER + "qreg q[1];\nrx(pi/) q[0];\n",
        "circuit_parse_error",
        "line 4, column 7",
    ),
    "a word for an angle": (HEADER + "qreg q[1];\nrx(half) q[0];\n", "circuit_parse_error", "half"),
    "no header": ("h q[0];\n", "circuit_parse_error", "OPENQASM"),
    "a reset": (HEADER + "qreg q[1];\nreset q[0];\nh q[0];\n", "unknown_gate", "reset"),
    "a mid-circuit measurement": (
        HEADER + "qreg q[1];\ncreg c[1];\nh q[0];\nmeasure q[0] -> c[0];\nh q[0];\n",
        "mid_circuit_measurement",
        "measure only at the end",
    ),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
async def test_a_bad_attempt_is_refused_and_not_recorded(accounts: Accounts, case: str) -> None:
    qasm, code, words = CASES[case]
    ada = await accounts.sign_up("Ada")
    response = await ada.client.post("/api/v1/quest/levels/bell/attempts", json={"qasm": qasm})
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["code"] == code
    assert words in problem["detail"]
    assert problem["errors"][0]["field"] == "qasm"
    progress = (await ada.client.get("/api/v1/quest/progress")).json()
    assert progress["levels"] == [] and progress["levels_solved"] == 0


async def test_a_parse_error_says_where(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    qasm = HEADER + "qreg q[2];\nh q[0];\ncx q[0] q[1];\n"
    response = await ada.client.post("/api/v1/quest/levels/bell/attempts", json={"qasm": qasm})
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["line"] == 5 and error["column"] is not None


async def test_bad_bodies_are_refused(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    url = "/api/v1/quest/levels/bell/attempts"
    bodies = [
        {},
        {"qasm": ""},
        {"qasm": HEADER, "seconds_spent": -1},
        {"qasm": HEADER, "seconds_spent": "ten"},
        {"qasm": HEADER, "extra": 1},
    ]
    for body in bodies:
        response = await ada.client.post(url, json=body)
        assert response.status_code == 422, (body, response.text)
    response = await ada.client.post(url, json={"qasm": "x" * 200_001})
    assert response.status_code == 422


async def test_bad_challenge_and_run_submissions_start_no_job(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    too_many_cx = HEADER + "qreg q[8];\nh q[0];\n" + "cx q[0],q[1];\n" * 9
    for url, body, code in (
        ("/api/v1/quest/challenges/ghz8-sherbrooke/attempts", {"qasm": too_many_cx},
         "over_two_qubit_budget"),
        ("/api/v1/quest/challenges/ghz5-kyiv/attempts",
         {"qasm": HEADER + "qreg q[3];\nh q[0];\n"}, "wrong_qubit_count"),
        ("/api/v1/quest/challenges/ghz5-kyiv/attempts",
         {"qasm": HEADER + "qreg q[5];\nfoo q[0];\n"}, "circuit_parse_error"),
        ("/api/v1/quest/runs", {"qasm": HEADER + "qreg q[17];\nh q[0];\n"}, "too_many_qubits"),
        ("/api/v1/quest/runs", {"qasm": HEADER + "qreg q[1];\nh q[0];\n", "backend": "nope"},
         "unknown_backend"),
    ):  # fmt: skip
        response = await ada.client.post(url, json=body)
        assert response.status_code == 422, (url, response.text)
        assert response.json()["code"] == code
    jobs = (await ada.client.get("/api/v1/jobs")).json()["items"]
    assert jobs == []
    challenge = (await ada.client.get("/api/v1/quest/challenges/ghz8-sherbrooke")).json()
    assert challenge["attempts"] == []
