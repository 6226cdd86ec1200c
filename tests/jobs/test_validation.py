"""Bad submissions get a clear 422 naming what is wrong, and nothing is stored."""

from __future__ import annotations

import pytest

from tests.accounts import Accounts
from tests.jobs.conftest import BELL, BELL_NO_MEASURE

TYPO = """OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
creg c[2];
h q[0];
cx q[0] q[1];
measure q -> c;
"""

TYPO3 = """OPENQASM 3.0;
include "stdgates.inc";
qubit[2] q;
bit[2] c;
h q[0];
cx q[0], q[1]
c = measure q;
"""


def wide(n: int) -> str:
    body = "".join(f"h q[{i}];\n" for i in range(n))
    return (
        f'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[{n}];\ncreg c[{n}];\n{body}measure q -> c;\n'
    )


async def _rejected(person, body: dict) -> dict:
    response = await person.client.post("/api/v1/jobs", json=body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    jobs = (await person.client.get("/api/v1/jobs")).json()["items"]
    assert jobs == [], "a rejected job must not be stored"
    return response.json()


async def test_parse_errors_point_at_line_and_column(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    problem = await _rejected(ada, {"circuits": [{"source": TYPO}]})
    assert problem["code"] == "circuit_parse_error"
    error = problem["errors"][0]
    assert error["field"] == "circuits[0].source"
    assert error["line"] == 6
    assert error["column"] is not None
    assert "line 6" in problem["detail"]

    problem3 = await _rejected(ada, {"circuits": [{"source": TYPO3}]})
    assert problem3["code"] == "circuit_parse_error"
    assert problem3["errors"][0]["line"] in (6, 7)


async def test_a_circuit_wider_than_the_device_names_both_numbers(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    problem = await _rejected(ada, {"backend": "fake_manila", "circuits": [{"source": wide(7)}]})
    assert problem["code"] == "circuit_too_wide"
    assert "7" in problem["detail"] and "5" in problem["detail"]


async def test_too_big_for_memory(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    source = wide(40).replace("h q[0];", "h q[0];\nt q[0];")
    problem = await _rejected(ada, {"circuits": [{"source": source}], "method": "statevector"})
    assert problem["code"] == "too_large_for_memory"
    assert problem["errors"][0]["required_bytes"] == 16 * 2**40


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"backend": "no_such_device", "circuits": [{"source": BELL}]}, "backend"),
        ({"circuits": [{"source": BELL}], "shots": 10**9}, "shots"),
        (
            {
                "primitive": "estimator",
                "circuits": [{"source": BELL_NO_MEASURE, "observables": [[["ZZZ", 1.0]]]}],
            },
            "circuits[0].observables",
        ),
        (
            {"primitive": "estimator", "circuits": [{"source": BELL_NO_MEASURE}]},
            "circuits[0].observables",
        ),
        ({"circuits": [{"source": BELL_NO_MEASURE}]}, "circuits[0].source"),
    ],
)
async def test_each_mistake_is_named(accounts: Accounts, body: dict, field: str) -> None:
    ada = await accounts.sign_up("Ada")
    problem = await _rejected(ada, body)
    assert problem["errors"][0]["field"].startswith(field), problem


async def test_an_unknown_backend_is_named_as_such(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    problem = await _rejected(ada, {"backend": "fake_atlantis", "circuits": [{"source": BELL}]})
    assert problem["code"] == "unknown_backend"
    assert "fake_atlantis" in problem["detail"]


async def test_wrong_width_observable_says_both_widths(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    problem = await _rejected(
        ada,
        {
            "primitive": "estimator",
            "circuits": [{"source": BELL_NO_MEASURE, "observables": [[["ZZZ", 1.0]]]}],
        },
    )
    assert problem["code"] == "observable_width_mismatch"
    assert "3" in problem["detail"] and "2" in problem["detail"]


async def test_schema_mistakes(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    for body in (
        {"circuits": []},
        {"circuits": [{"source": BELL}], "optimization_level": 7},
        {"circuits": [{"source": BELL}], "tags": ["has space"]},
        {"circuits": [{"source": BELL, "format": "quil"}]},
        {"circuits": [{"source": BELL}], "colour": "red"},
        {"circuits": "OPENQASM 2.0;"},
    ):
        problem = await _rejected(ada, body)
        assert problem["code"] == "validation_failed"


async def test_cannot_submit_into_someone_elses_workspace(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    eve = await accounts.sign_up("Eve")
    response = await eve.client.post(
        "/api/v1/jobs",
        json={"workspace_id": ada.personal_workspace_id, "circuits": [{"source": BELL}]},
    )
    assert response.status_code == 404
    assert (await ada.client.get("/api/v1/jobs")).json()["items"] == []
