"""A header-less OpenQASM 2 file (``include "qelib1.inc";`` first, as many benchmark
suites publish them) is accepted through the API and runs with the right physics.
Before: refused with "could not detect the format"."""

from __future__ import annotations

from tests.accounts import Accounts
from tests.engine.test_circuits import BENCHMARK_STYLE_BELL
from tests.jobs.conftest import submit, wait_for


async def test_header_less_openqasm_2_runs_through_the_api(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    job = await submit(ada.client, BENCHMARK_STYLE_BELL, shots=4000)
    assert job["num_qubits"] == 2
    done = await wait_for(ada.client, job["id"])
    assert done["status"] == "completed", done
    counts = done["result"]["pubs"][0]["data"][0]["counts"]
    assert set(counts) == {"00", "11"}
    sigma = (0.25 / 4000) ** 0.5
    assert all(abs(n / 4000 - 0.5) <= 5 * sigma for n in counts.values()), counts
    # The stored circuit is the user's text; nothing was rewritten on the way in.
    assert done["spec"]["circuits"][0]["source"].startswith("// Name of Experiment")


async def test_the_fit_check_reads_it_the_same_way(accounts: Accounts) -> None:
    ada = await accounts.sign_up("Ada")
    response = await ada.client.post(
        "/api/v1/backends/fake_manila/fit", json={"source": BENCHMARK_STYLE_BELL}
    )
    assert response.status_code == 200, response.text
    assert response.json()["fits"] is True
