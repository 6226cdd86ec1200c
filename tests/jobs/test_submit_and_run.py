"""A person submits circuits and gets real results back, checked against physics."""

from __future__ import annotations

import math

from tests.accounts import Accounts
from tests.jobs.conftest import BELL, BELL_NO_MEASURE, GHZ3, submit, wait_for


def within_5_sigma(count: int, shots: int, p: float) -> bool:
    sigma = math.sqrt(p * (1 - p) / shots)
    return abs(count / shots - p) <= 5 * sigma


async def test_bell_on_the_ideal_simulator(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    job = await submit(ada.client, BELL, shots=4000, name="my bell", tags=["bell", "demo"])
    assert job["status"] == "queued"
    assert job["num_qubits"] == 2
    assert job["tags"] == ["bell", "demo"]
    done = await wait_for(ada.client, job["id"])
    assert done["status"] == "completed", done
    counts = done["result"]["pubs"][0]["data"][0]["counts"]
    assert set(counts) == {"00", "11"}
    assert sum(counts.values()) == 4000
    assert all(within_5_sigma(c, 4000, 0.5) for c in counts.values())
    transpiled = done["result"]["pubs"][0]["transpiled"]
    assert transpiled["depth"] >= 2 and "OPENQASM" in transpiled["qasm"]
    assert set(done["result"]["timing"]) >= {"transpile_seconds", "execute_seconds"}

    steps = [(e["to_status"], e["phase"]) for e in done["events"]]
    assert steps == [
        ("queued", None),
        ("running", None),
        ("running", "transpiling"),
        ("running", "executing"),
        ("running", "post_processing"),
        ("completed", None),
    ]
    assert done["events"][0]["origin"] == "user"
    assert done["events"][-1]["origin"] == "engine"


async def test_ghz_in_openqasm3(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    job = await submit(ada.client, GHZ3, shots=3000)
    done = await wait_for(ada.client, job["id"])
    counts = done["result"]["pubs"][0]["data"][0]["counts"]
    assert set(counts) == {"000", "111"}
    assert all(within_5_sigma(c, 3000, 0.5) for c in counts.values())


async def test_noisy_bell_on_a_fake_ibm_device(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    job = await submit(ada.client, BELL, backend="fake_sherbrooke", shots=4000, seed=7)
    done = await wait_for(ada.client, job["id"])
    assert done["status"] == "completed", done.get("error_message")
    counts = done["result"]["pubs"][0]["data"][0]["counts"]
    good = counts.get("00", 0) + counts.get("11", 0)
    # Real calibration noise: mostly correlated outcomes, but not perfectly.
    assert 0.85 < good / 4000 < 1.0
    transpiled = done["result"]["pubs"][0]["transpiled"]
    assert len(transpiled["layout"]) == 2
    assert all(0 <= q < 127 for q in transpiled["layout"])
    assert set(transpiled["ops"]) <= {"ecr", "rz", "sx", "x", "measure", "barrier"}


async def test_estimator_on_a_bell_state(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    job = (
        await submit(
            ada.client,
            BELL_NO_MEASURE,
            primitive="estimator",
            circuits=None,
        )
        if False
        else None
    )
    response = await ada.client.post(
        "/api/v1/jobs",
        json={
            "primitive": "estimator",
            "circuits": [
                {
                    "source": BELL_NO_MEASURE,
                    "observables": [
                        [["ZZ", 1.0]],
                        [["XX", 1.0]],
                        [["ZI", 1.0]],
                        [["ZZ", 0.5], ["XX", 0.5]],
                    ],
                }
            ],
        },
    )
    assert response.status_code == 201, response.text
    job = response.json()
    done = await wait_for(ada.client, job["id"])
    assert done["status"] == "completed", done.get("error_message")
    evs = done["result"]["pubs"][0]["data"][0]["evs"]
    assert abs(evs[0] - 1) < 1e-6 and abs(evs[1] - 1) < 1e-6
    assert abs(evs[2]) < 1e-6 and abs(evs[3] - 1) < 1e-6


async def test_same_seed_same_counts(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    first = await submit(ada.client, BELL, backend="fake_sherbrooke", shots=500, seed=42)
    second = await submit(ada.client, BELL, backend="fake_sherbrooke", shots=500, seed=42)
    a = (await wait_for(ada.client, first["id"]))["result"]["pubs"][0]["data"][0]["counts"]
    b = (await wait_for(ada.client, second["id"]))["result"]["pubs"][0]["data"][0]["counts"]
    assert a == b
